import type { OnApplicationShutdown } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';
import { FAKE_SEED, FakeExotelServer } from 'nestjs-exotel-webrtc/testing';

/**
 * Pages that may call the embedded fake from a browser: the sample's own page, which runs Exotel's
 * browser SDK, on a loopback address (the fake only listens on 127.0.0.1, so no other machine's
 * browser could reach it anyway).
 */
const LOOPBACK_PAGES = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/;

/**
 * The Exotel the sample talks to: the embedded fake (seeded with demo credentials) when
 * EXOTEL_WEBRTC_BASE_URL is unset or empty, otherwise nothing here and the configured host is used.
 * Created by an async provider, so the fake is listening before the Exotel options factory runs.
 */
export class EmbeddedExotel implements OnApplicationShutdown {
  private constructor(readonly fake?: FakeExotelServer) {}

  static async create(config: ConfigService): Promise<EmbeddedExotel> {
    if (config.get<string>('EXOTEL_WEBRTC_BASE_URL')) return new EmbeddedExotel();
    return new EmbeddedExotel(
      await new FakeExotelServer({ seed: true, cors: { origins: [LOOPBACK_PAGES] } }).start(),
    );
  }

  /** `http://127.0.0.1:<port>` of the embedded fake; undefined when a real Exotel host is configured. */
  get origin(): string | undefined {
    return this.fake?.origin;
  }

  /** Environment for `fromEnv` that points at the fake with its demo credentials; undefined when not embedded. */
  demoEnv(): Record<string, string> | undefined {
    if (!this.fake) return undefined;
    return {
      EXOTEL_WEBRTC_BASE_URL: this.fake.baseUrl,
      EXOTEL_CUSTOMER_ID: FAKE_SEED.customer.id,
      EXOTEL_CUSTOMER_SECRET: FAKE_SEED.customer.secret,
      EXOTEL_APP_ID: FAKE_SEED.app.id,
      EXOTEL_APP_SECRET: FAKE_SEED.app.secret,
    };
  }

  // Application shutdown runs after every module's onModuleDestroy, so the token service has
  // stopped its timers and aborted its mints before the fake goes away.
  async onApplicationShutdown(): Promise<void> {
    await this.fake?.stop();
  }
}
