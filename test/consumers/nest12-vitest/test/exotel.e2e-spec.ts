import { TokenService } from 'nestjs-exotel-webrtc';
import { bootWithFakeExotel, type ExotelTestingApp } from 'nestjs-exotel-webrtc/testing';
import { AppModule } from '../src/app.module.js';

describe('AppModule with nestjs-exotel-webrtc (Nest 12, ESM, Vitest)', () => {
  let exotel: ExotelTestingApp;
  afterEach(() => exotel.close());

  it('mints, and refreshes on day 54', async () => {
    exotel = await bootWithFakeExotel(AppModule, { timers: vi });
    await exotel.app.get(TokenService).getToken('app');
    await exotel.advanceDays(55);
    expect(exotel.fake.mintCount(exotel.credentials.apps.default.id)).toBe(2);
  });

  it('answers an Exotel 404 with HTTP 404 through ExotelExceptionFilter', async () => {
    exotel = await bootWithFakeExotel(AppModule);
    const res = await fetch(`${exotel.url}/users/nobody@example.com`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'ExotelNotFoundError', requestId: expect.any(String) });
  });
});
