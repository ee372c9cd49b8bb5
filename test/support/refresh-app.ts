import type { INestApplication } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { Test } from '@nestjs/testing';
import { EXOTEL_WEBRTC_RANDOM } from '../../lib/exotel-webrtc.constants.js';
import { RefreshScheduler } from '../../lib/scheduling/refresh-scheduler.js';
import {
  ExotelWebrtcModule,
  type ExotelWebrtcModuleOptions,
  type TokenEvent,
  TokenService,
} from 'nestjs-exotel-webrtc';
import { useFakeClock } from './fake-clock.js';

export interface RefreshApp {
  app: INestApplication;
  tokens: TokenService;
  scheduler: RefreshScheduler;
  events: TokenEvent[];
  /** True when no mint is in flight (used to let HTTP settle between fake-time steps). */
  idle: () => boolean;
}

/**
 * Compiles a Nest app with the module, switches to fake timers (Date included) and only then runs
 * init, so eager mints and every timer live on the fake clock. Randomness is fixed at 0.5, which
 * makes jitter and backoff deterministic.
 */
export async function createRefreshApp(
  options: ExotelWebrtcModuleOptions,
  { withSchedule = true, now = Date.UTC(2026, 0, 1), init = true } = {},
): Promise<RefreshApp> {
  const imports = [ExotelWebrtcModule.forRoot(options)] as any[];
  if (withSchedule) imports.unshift(ScheduleModule.forRoot());
  const moduleRef = await Test.createTestingModule({ imports })
    .overrideProvider(EXOTEL_WEBRTC_RANDOM)
    .useValue(() => 0.5)
    .compile();
  useFakeClock(now);
  const app = moduleRef.createNestApplication({ logger: false });
  const tokens = app.get(TokenService);
  const events: TokenEvent[] = [];
  tokens.events$.subscribe((e) => events.push(e));
  if (init) await app.init();
  return {
    app,
    tokens,
    scheduler: app.get(RefreshScheduler),
    events,
    idle: () => tokens.status().every((s) => s.state !== 'refreshing'),
  };
}
