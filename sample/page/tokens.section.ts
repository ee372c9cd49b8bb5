import type { PageSection } from './page.html.js';
import { TIMELINE_SCRIPT } from './timeline.script.js';

/**
 * Browser script of the token table, kept as plain ES2017 text so there is no front-end build.
 * Rows are created once per credential and updated in place, so a button stays the same element
 * across polls. Each poll's rows are announced as a `sample:tokens` event for the other sections.
 */
const TOKENS_SCRIPT = String.raw`
(() => {
const body = document.getElementById('tokens-rows');
const notice = document.getElementById('tokens-notice');
const rows = new Map();
const COLUMNS = ['entity', 'app', 'state', 'issued', 'expires', 'next', 'error', 'timeline'];

const at = (ms) => (ms ? new Date(ms).toISOString().replace('T', ' ') : '-');
const until = (ms) => (ms ? 'in ' + sampleSpan(ms - Date.now()) : '-');

function rowFor(status) {
  let row = rows.get(status.credential);
  if (row) return row;
  row = document.createElement('tr');
  row.dataset.credential = status.credential;
  for (const name of COLUMNS) row.appendChild(Object.assign(document.createElement('td'), { className: name }));
  const button = Object.assign(document.createElement('button'), { textContent: 'Refresh', className: 'refresh' });
  button.onclick = () => refresh(status, button);
  row.appendChild(document.createElement('td')).appendChild(button);
  rows.set(status.credential, row);
  body.appendChild(row);
  return row;
}

function render(list) {
  const now = Date.now();
  for (const s of list) {
    const cells = rowFor(s).children;
    const next = s.nextAttemptAt ? 'retry ' + until(s.nextAttemptAt) : until(s.refreshAt);
    const values = [s.entity, s.app || '', s.state, at(s.issuedAt), until(s.expiresAt), next,
      s.lastError ? s.lastError.name + ': ' + s.lastError.message : ''];
    values.forEach((text, i) => { cells[i].textContent = text; });
    cells[2].className = 'state state-' + s.state;
    cells[7].replaceChildren(tokenTimelineSvg(s, now));
  }
  document.dispatchEvent(new CustomEvent('sample:tokens', { detail: list }));
}

async function load() {
  try {
    const reply = await fetch('/tokens');
    render(await reply.json());
  } catch (e) {
    notice.textContent = 'Cannot reach the sample: ' + e.message;
  }
}

async function refresh(status, button) {
  button.disabled = true;
  notice.textContent = '';
  const query = status.entity === 'app' && status.app ? '?app=' + encodeURIComponent(status.app) : '';
  try {
    const reply = await fetch('/tokens/' + status.entity + '/refresh' + query, { method: 'POST' });
    if (!reply.ok) notice.textContent = 'Refresh failed: ' + ((await reply.json()).message || reply.status);
  } finally {
    button.disabled = false;
    await load();
  }
}

load();
setInterval(load, 2000);
})();
`;

/** The token table with a timeline per credential, filled in and kept live from GET /tokens. */
export const TOKENS_SECTION: PageSection = {
  id: 'tokens',
  title: 'Exotel tokens',
  html: `    <p>Live view of <code>TokenService.status()</code> (GET /tokens, every 2 s). No token or secret is shown.
      The timeline runs from when the token was issued to when it expires: the dashed line is the planned
      refresh, the blue line is now, and an orange mark is the next retry after a failed refresh.</p>
    <table>
      <thead><tr><th>Entity</th><th>App</th><th>State</th><th>Issued</th><th>Expires in</th>
        <th>Next refresh</th><th>Last error</th><th>Timeline</th><th></th></tr></thead>
      <tbody id="tokens-rows"></tbody>
    </table>
    <p id="tokens-notice" class="notice" role="status"></p>`,
  script: TIMELINE_SCRIPT + TOKENS_SCRIPT,
};
