import { WEBSDK_FILE, WEBSDK_GLOBAL, WEBSDK_PATH } from '../softphone/websdk.js';
import type { PageSection } from './page.html.js';
import { SOFTPHONE_SCRIPT } from './softphone.script.js';

/** What the softphone script needs from the server, written into the page as JSON. */
export interface SoftphoneConfig {
  /** Origin of the embedded fake Exotel; null when the sample talks to a real Exotel host. */
  fakeOrigin: string | null;
  /** Name of the global the SDK bundle defines. */
  sdkGlobal: string;
}

/**
 * The softphone panel: starts Exotel's own browser SDK (bundled from node_modules, unmodified) with
 * the token from `GET /softphone/:appUserId` and shows how far it got.
 */
export function softphoneSection(fakeOrigin: string | undefined): PageSection {
  const config: SoftphoneConfig = { fakeOrigin: fakeOrigin ?? null, sdkGlobal: WEBSDK_GLOBAL };
  // '<' escaped so that no value can close the script element.
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  const where = fakeOrigin
    ? `Against the embedded fake Exotel (${fakeOrigin}). The SDK's host is fixed in its code, so a small
      shim on this page, active only with the embedded fake, sends its calls there instead.`
    : 'Against the configured Exotel host: the SDK calls Exotel directly, no shim is installed.';
  return {
    id: 'softphone',
    title: 'Softphone',
    html: `    <p>Starts Exotel's browser SDK (<code>@exotel-npm-dev/exotel-ip-calling-crm-websdk</code>, unmodified) for one
      user, with the app token from <code>GET /softphone/:appUserId</code>. ${where}</p>
    <p class="note">SIP registration and media are out of scope here: there is no SIP server, so the panel
      stops once the SDK has built its SIP account info and initialised the phone. The SDK takes its token
      once, when it starts, so the panel starts it again before the token expires.</p>
    <p>
      <label>App <select id="softphone-app"><option value="default">default</option></select></label>
      <label>User <input id="softphone-user" list="softphone-users" placeholder="AppUserId, e.g. priya@example.com" size="32"></label>
      <datalist id="softphone-users"></datalist>
      <button id="softphone-start" type="button">Start softphone</button>
    </p>
    <p>Stage: <strong data-testid="softphone-stage" role="status">not started</strong></p>
    <ol id="softphone-steps" data-testid="softphone-steps"></ol>
    <p data-testid="softphone-restart" class="note"></p>
    <script id="softphone-config" type="application/json">${json}</script>
    <script src="${WEBSDK_PATH}/${WEBSDK_FILE}"></script>`,
    script: SOFTPHONE_SCRIPT,
  };
}
