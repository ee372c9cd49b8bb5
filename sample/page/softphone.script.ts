/**
 * Browser script of the softphone panel (plain ES2017 text, no front-end build). It starts Exotel's
 * browser SDK for one user and turns what the SDK does into stages. The SDK has no progress callback:
 * it only fetches (the app, its settings, the user mapping) and writes `[crm-websdk]` lines to the
 * console, so the panel watches both, and shows the SDK's own error text when it stops.
 */
export const SOFTPHONE_SCRIPT = String.raw`
(() => {
const config = JSON.parse(document.getElementById('softphone-config').textContent);
const sdk = window[config.sdkGlobal];
const stage = document.querySelector('[data-testid=softphone-stage]');
const steps = document.getElementById('softphone-steps');
const restartNote = document.querySelector('[data-testid=softphone-restart]');
const appSelect = document.getElementById('softphone-app');
const userInput = document.getElementById('softphone-user');
const userList = document.getElementById('softphone-users');
const startButton = document.getElementById('softphone-start');

// The SDK's start-up reads, in its order, and what each one means once it answered 2xx.
const SDK_READS = [
  ['/v2/integrations/app', 'app loaded'],
  ['/v2/integrations/app_setting', 'settings loaded'],
  ['/v2/integrations/usermapping', 'user loaded'],
];
// Start again this long before the token expires (less when the token has less left).
const RESTART_LEAD_MS = 10 * 60 * 1000;
const MIN_RESTART_GAP_MS = 30 * 1000;
// setTimeout fires at once for longer delays (2^31 ms, about 24.8 days), and tokens live 90 days.
const MAX_TIMER_MS = 2 ** 31 - 1;

let run = null; // { failed, active } of the latest start; the watchers below act while it is active
let runs = 0;
let restartTimer;

if (!sdk) {
  stage.textContent = "Exotel's browser SDK bundle did not load: run npm run sample:build (npm run sample does it).";
  startButton.disabled = true;
  return;
}

function show(text, step) {
  stage.textContent = text;
  if (step) steps.appendChild(Object.assign(document.createElement('li'), { textContent: text }));
}
function fail(text) {
  if (!run || !run.active || run.failed) return;
  run.failed = true;
  show('Stopped: ' + text, true);
}

// ---- Embedded fake only ------------------------------------------------------------------------
// The SDK calls a host fixed in its code (sdk.icoreBaseURL). With the embedded fake, this shim
// rewrites that origin to the fake's, and nothing else. It is never installed against real Exotel
// (config.fakeOrigin is null then). The fake answers the browser's CORS preflights for this page.
if (config.fakeOrigin) {
  const fetchToExotel = window.fetch;
  window.fetch = function embeddedFakeShim(input, init) {
    if (typeof input === 'string' && input.startsWith(sdk.icoreBaseURL + '/'))
      input = config.fakeOrigin + input.slice(sdk.icoreBaseURL.length);
    return fetchToExotel.call(window, input, init);
  };
}
// -------------------------------------------------------------------------------------------------

// Watches the SDK's reads (against real Exotel too): each 2xx is a stage done.
const fetchForSdk = window.fetch;
window.fetch = async function watchSdkReads(input, init) {
  const response = await fetchForSdk.call(window, input, init);
  const url = typeof input === 'string' && input.startsWith(sdk.icoreBaseURL + '/') ? new URL(input) : null;
  const read = url && SDK_READS.find(([path]) => path === url.pathname);
  if (read && run && run.active && response.ok) show(read[1], true);
  return response;
};

// The SDK reports its outcome on the console only. Its SIP info line carries the SIP password:
// it is recognised by its words, and its arguments are never shown.
for (const level of ['error', 'warn', 'info']) {
  const original = console[level];
  console[level] = function watchSdkConsole(...args) {
    original.apply(console, args);
    const first = typeof args[0] === 'string' ? args[0] : '';
    if (!run || !run.active || !first.startsWith('[crm-websdk]')) return;
    if (level === 'info' && first.startsWith('[crm-websdk] sipInfo')) show('SIP info built', true);
    else if (level === 'error' || level === 'warn') {
      const cause = args.find((arg) => arg instanceof Error);
      fail(cause ? cause.message : first.replace('[crm-websdk] ', ''));
    }
  };
}

function scheduleRestart(expiresAt, choice) {
  clearTimeout(restartTimer);
  const now = Date.now();
  const left = expiresAt - now;
  if (!(left > 0)) {
    restartNote.textContent = 'The token has already expired by this browser\'s clock: press Start softphone again.';
    return;
  }
  const at = now + Math.max(Math.min(MIN_RESTART_GAP_MS, left), left - Math.min(RESTART_LEAD_MS, left / 2));
  const fire = () => {
    const wait = at - Date.now();
    if (wait > 0) restartTimer = setTimeout(fire, Math.min(wait, MAX_TIMER_MS));
    else start('restart before the token expires', choice);
  };
  restartTimer = setTimeout(fire, Math.min(at - now, MAX_TIMER_MS));
  restartNote.textContent = 'Token expires ' + new Date(expiresAt).toISOString() + '; the SDK starts again at ' +
    new Date(at).toISOString() + ' with a fresh one.';
  restartNote.dataset.restartAt = String(at);
}

// choice: { app, user } as picked when the button was pressed; a restart keeps it.
async function start(reason, choice) {
  clearTimeout(restartTimer);
  runs += 1;
  const mine = (run = { failed: false, active: true });
  steps.textContent = '';
  restartNote.textContent = '';
  startButton.dataset.starts = String(runs);
  show('start #' + runs + ' (' + reason + '): asking the sample for a token', true);
  try {
    await startSdk(mine, choice);
  } finally {
    mine.active = false;
  }
}

async function startSdk(mine, { app, user }) {
  let boot;
  try {
    const reply = await fetch('/softphone/' + encodeURIComponent(user) + '?app=' + encodeURIComponent(app));
    boot = await reply.json();
    if (!reply.ok) return fail('the sample refused (' + reply.status + '): ' + boot.message);
  } catch (e) {
    return fail('cannot reach the sample: ' + e.message);
  }
  show('token received; starting the SDK', true);
  // The id the SDK can look up as is (see sdkUserId on the server); the token is the app token.
  const phone = await new sdk.ExotelCRMWebSDK(boot.token, boot.sdkUserId, false).Initialize(
    () => undefined, () => undefined, () => undefined);
  if (run !== mine) return;
  if (!phone) return fail('the SDK stopped without saying why (see the browser console)');
  show('SIP info built; phone initialised (SIP registration not attempted: no SIP server)');
  if (boot.tokenExpiresAt) scheduleRestart(boot.tokenExpiresAt, { app, user });
}

async function loadUsers() {
  try {
    const reply = await fetch('/users?pageSize=100&app=' + encodeURIComponent(appSelect.value));
    const page = reply.ok ? await reply.json() : { Users: [] };
    userList.replaceChildren(...page.Users.map((u) => Object.assign(document.createElement('option'), { value: u.AppUserId })));
  } catch {
    // the list is a convenience: typing an id works without it
  }
}

// The token section announces its rows: every managed app is one of them.
document.addEventListener('sample:tokens', (event) => {
  const names = event.detail.filter((s) => s.entity === 'app').map((s) => s.app);
  const known = new Set(Array.from(appSelect.options, (o) => o.value));
  for (const name of names) if (!known.has(name)) appSelect.add(new Option(name, name));
});
appSelect.addEventListener('change', loadUsers);
userInput.addEventListener('focus', loadUsers);
startButton.addEventListener('click', () => {
  const user = userInput.value.trim();
  if (user) start('button', { app: appSelect.value, user });
  else stage.textContent = 'Type a user id first.';
});
})();
`;
