import type { INestApplication } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AddressInfo } from 'node:net';
import {
  EXOTEL_WEBRTC_RESOLVED_OPTIONS,
  type ResolvedExotelOptions,
  TokenService,
  type TokenStatus,
} from 'nestjs-exotel-webrtc';
import { EmbeddedExotel } from './embedded-exotel/embedded-exotel.js';
import { redisAddress, redisUrlOf } from './exotel/token-store.js';

const REAL_HOST = 'https://integrationscore.mum1.exotel.com/v2/integrations';

/** What the start-up text reports. No secret, no token, no Redis password. */
export interface BannerFacts {
  /** The address the HTTP server is bound to, as `server.address()` reports it. */
  listen: Pick<AddressInfo, 'address' | 'port'>;
  /** True when the embedded FakeExotelServer was started. */
  embedded: boolean;
  exotelBaseUrl: string;
  /** `EXOTEL_REDIS_URL` when set (only its host and port are printed). */
  redisUrl?: string;
  tokens: TokenStatus[];
}

const WILDCARDS = new Set(['0.0.0.0', '::']);

/** The start-up text: where the sample and its Exotel are, and how to switch. No secret or token. */
export function banner({ listen, embedded, exotelBaseUrl, redisUrl, tokens }: BannerFacts): string {
  const host = listen.address.includes(':') ? `[${listen.address}]` : listen.address;
  const url = `http://${host}:${listen.port}`;
  const everywhere = WILDCARDS.has(listen.address);
  // A wildcard address is not where a browser goes: link to this machine's loopback instead.
  const link = everywhere ? `http://localhost:${listen.port}` : url;
  const credentials = tokens.map((t) => `${t.credential} (${t.state})`).join(', ') || 'none';
  const lines = [
    '',
    `nestjs-exotel-webrtc sample listening on ${url}${everywhere ? ' (every interface)' : ''}`,
    `  Token page:   ${link}/        (also: curl ${link}/tokens, ${link}/health)`,
  ];
  if (everywhere) {
    lines.push(
      '  WARNING:      reachable from other machines, and GET /softphone/:id hands out the app token',
      '                without authentication; unset HOST to listen on 127.0.0.1 only.',
    );
  }
  lines.push(`  Credentials:  ${credentials}`);
  if (embedded) {
    lines.push(
      `  Exotel:       embedded FakeExotelServer at ${exotelBaseUrl}`,
      '                (demo credentials that only work against this fake; no account, no network)',
      '  Real Exotel:  set EXOTEL_WEBRTC_BASE_URL (e.g. ' + REAL_HOST + '),',
      '                EXOTEL_CUSTOMER_ID, EXOTEL_CUSTOMER_SECRET, EXOTEL_APP_ID and EXOTEL_APP_SECRET',
      '                in the environment or in .env, then restart; no fake is started then.',
    );
  } else {
    lines.push(`  Exotel:       ${exotelBaseUrl} (from EXOTEL_WEBRTC_BASE_URL; no fake started)`);
  }
  lines.push(
    redisUrl
      ? `  Token store:  tokens shared through Redis at ${redisAddress(redisUrl)} (EXOTEL_REDIS_URL)`
      : '  Token store:  in memory (set EXOTEL_REDIS_URL to share tokens between replicas)',
  );
  return lines.join('\n') + '\n';
}

/** The banner of a listening sample app. */
export function bannerOf(app: INestApplication): string {
  const options = app.get<ResolvedExotelOptions>(EXOTEL_WEBRTC_RESOLVED_OPTIONS);
  return banner({
    listen: app.getHttpServer().address() as AddressInfo,
    embedded: app.get(EmbeddedExotel).fake !== undefined,
    exotelBaseUrl: options.baseUrl,
    redisUrl: redisUrlOf(app.get(ConfigService)),
    tokens: app.get(TokenService).status(),
  });
}
