import type { TokenStatus } from 'nestjs-exotel-webrtc';
import type { EmbeddedExotel } from './embedded-exotel/embedded-exotel.js';

const REAL_HOST = 'https://integrationscore.mum1.exotel.com/v2/integrations';

/** The start-up text: where the sample and its Exotel are, and how to switch. No secret or token. */
export function banner(
  url: string,
  embedded: EmbeddedExotel,
  exotelBaseUrl: string,
  tokens: TokenStatus[],
): string {
  const credentials = tokens.map((t) => `${t.credential} (${t.state})`).join(', ') || 'none';
  const lines = [
    '',
    `nestjs-exotel-webrtc sample listening on ${url}`,
    `  Token page:   ${url}/        (also: curl ${url}/tokens, ${url}/health)`,
    `  Credentials:  ${credentials}`,
  ];
  if (embedded.fake) {
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
  return lines.join('\n') + '\n';
}
