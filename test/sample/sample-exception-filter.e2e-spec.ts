import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConflictException, Controller, Get, type INestApplication } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import type { AddressInfo } from 'node:net';
import { ExotelNotFoundError } from 'nestjs-exotel-webrtc';
import { SampleExceptionFilter } from '../../sample/errors/sample-exception.filter.js';
import { call } from './support/sample-app.js';

const SHAPE = ['credential', 'error', 'exotelStatus', 'message', 'requestId', 'statusCode'];

@Controller()
class ThrowingController {
  @Get('bug')
  bug(): never {
    throw new TypeError("Cannot read properties of undefined (reading 'SipId')");
  }

  @Get('refusal')
  refusal(): never {
    const exotel = new ExotelNotFoundError('GET /app_setting failed with HTTP 404', {
      requestId: 'req-123',
      httpStatus: 404,
    });
    throw new ConflictException('The app has no settings', { cause: exotel });
  }
}

/** The sample's error bodies for what its real routes cannot be made to throw on demand. */
describe('SampleExceptionFilter', () => {
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      controllers: [ThrowingController],
      providers: [{ provide: APP_FILTER, useClass: SampleExceptionFilter }],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await app?.close();
  });

  it('answers a bug as a plain 500 in the one error shape, without its message or stack', async () => {
    const reply = await call(`${url}/bug`);
    expect(reply.status).toBe(500);
    expect(Object.keys(reply.body).sort()).toEqual(SHAPE);
    expect(reply.body).toMatchObject({ statusCode: 500, requestId: null, exotelStatus: null });
    expect(reply.text).not.toContain('SipId');
  });

  it('carries the RequestId and status of the Exotel answer a refusal was made for', async () => {
    const reply = await call(`${url}/refusal`);
    expect(reply.status).toBe(409);
    expect(Object.keys(reply.body).sort()).toEqual(SHAPE);
    expect(reply.body).toMatchObject({
      message: 'The app has no settings',
      requestId: 'req-123',
      exotelStatus: 404,
    });
  });
});
