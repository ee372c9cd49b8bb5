import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { isAxiosError } from 'axios';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import {
  ExotelError,
  ExotelHttpService,
  ExotelWebrtcClient,
  type ExotelWebrtcModuleOptions,
} from 'nestjs-exotel-webrtc';
import { createExotelApp } from './support/exotel-app.js';
import { logGuard } from './support/log-guard-core.js';

const TOKEN = 'echoed-token-4b9d2e7a1c';
const BASE = '/v2/integrations';

/**
 * A hostile "Exotel": mints TOKEN, then answers every other call by echoing the Authorization it got
 * into the JSON body (RequestId, Error, nested Data, a key), into response headers and into the status
 * text. `/fail<status>` picks the status; `/ok-failed` is HTTP 200 with `Status: "Failed"`.
 */
class EchoingExotel {
  private readonly server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0].slice(BASE.length);
      if (path === '/token') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({ RequestId: 'r-mint', Status: 'Success', Code: 200, Error: '', Data: TOKEN }),
        );
        return;
      }
      const auth = req.headers.authorization ?? '';
      const status = path === '/ok-failed' ? 200 : Number(path.replace('/fail', '')) || 500;
      res.writeHead(status, `Refused ${auth}`, {
        'Content-Type': 'application/json',
        'X-Echo': auth,
        'WWW-Authenticate': `Bearer realm="${auth}"`,
        'Set-Cookie': [`seen=${auth}`, 'other=1'],
      });
      res.end(
        JSON.stringify({
          RequestId: auth,
          Status: 'Failed',
          Code: status,
          Error: `token ${auth} refused`,
          Data: { echo: [auth, { deeper: `x${auth}x` }], [auth]: 'key' },
        }),
      );
    });
  });

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${BASE}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

/** Every way a caller or a logger might print the error. */
function printed(error: unknown): string {
  return [
    JSON.stringify(error),
    String(error),
    inspect(error, { depth: Infinity }),
    inspect(error, { depth: Infinity, showHidden: true }),
    (error as Error).stack ?? '',
  ].join('\n');
}

describe.each(['raw', 'Bearer'] as NonNullable<ExotelWebrtcModuleOptions['authScheme']>[])(
  'token text echoed back by the server never leaves in an error (authScheme %s)',
  (authScheme) => {
    let exotel: EchoingExotel;
    let app: INestApplication;
    let http: ExotelHttpService;
    let client: ExotelWebrtcClient;

    beforeAll(async () => {
      logGuard.watch(TOKEN);
      exotel = await new EchoingExotel().start();
      ({ app } = await createExotelApp({
        baseUrl: exotel.baseUrl,
        customer: { id: 'customer-id', secret: 'customer-secret-3f9a' },
        app: { id: 'app-id', secret: 'app-secret-8c1d' },
        authScheme,
        logger: false,
      }));
      http = app.get(ExotelHttpService);
      client = app.get(ExotelWebrtcClient);
    });
    afterAll(async () => {
      await app.close();
      await exotel.stop();
    });

    it.each(['json', 'text', 'arraybuffer'] as const)(
      'ExotelHttpService: the axios error of a 500 (responseType %s)',
      async (responseType) => {
        const error = await http.axiosRef.get('/fail500', { responseType }).catch((e: unknown) => e);
        expect(isAxiosError(error) && error.response?.status).toBe(500);
        if (!isAxiosError(error) || !error.response) throw new Error('expected an axios error with a reply');
        const text = printed(error);
        expect(text).not.toContain(TOKEN);
        expect(text).toContain('[redacted]');
        const { data, headers, statusText } = error.response;
        const body = responseType === 'json' ? JSON.stringify(data) : Buffer.from(data as string).toString();
        expect(body).not.toContain(TOKEN);
        expect(body).toContain('[redacted]');
        expect(JSON.stringify(headers)).not.toContain(TOKEN);
        expect(String(headers['x-echo'])).toContain('[redacted]');
        expect(statusText).not.toContain(TOKEN);
      },
    );

    it.each([
      ['a 500', '/fail500'],
      ['a 400', '/fail400'],
      ['a 404', '/fail404'],
      ['HTTP 200 with Status "Failed"', '/ok-failed'],
    ])('client: the typed error of %s, RequestId included', async (_what, path) => {
      const error = await client.request({ method: 'GET', path, entity: 'app' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ExotelError);
      const typed = error as ExotelError;
      expect(printed(typed)).not.toContain(TOKEN);
      // A RequestId holding the token is dropped, not kept half-scrubbed.
      expect(typed.requestId).toBeUndefined();
      expect(typed.message).toContain('[redacted]');
    });
  },
);
