/**
 * Browser script of the token page, kept as plain ES2017 text so there is no front-end build.
 * Rows are created once per credential and updated in place, so a button stays the same element
 * across polls.
 */
export const PAGE_SCRIPT = String.raw`
const body = document.getElementById('tokens');
const notice = document.getElementById('notice');
const rows = new Map();
const COLUMNS = ['entity', 'app', 'state', 'issued', 'expires', 'next', 'error'];

function span(ms) {
  if (ms <= 0) return 'now';
  const s = Math.floor(ms / 1000), d = Math.floor(s / 86400), h = Math.floor(s / 3600) % 24, m = Math.floor(s / 60) % 60;
  return d ? d + 'd ' + h + 'h' : h ? h + 'h ' + m + 'm' : m ? m + 'm ' + (s % 60) + 's' : s + 's';
}
const at = (ms) => (ms ? new Date(ms).toISOString().replace('T', ' ') : '-');
const until = (ms) => (ms ? 'in ' + span(ms - Date.now()) : '-');

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
  for (const s of list) {
    const cells = rowFor(s).children;
    const next = s.nextAttemptAt ? 'retry ' + until(s.nextAttemptAt) : until(s.refreshAt);
    const values = [s.entity, s.app || '', s.state, at(s.issuedAt), until(s.expiresAt), next,
      s.lastError ? s.lastError.name + ': ' + s.lastError.message : ''];
    values.forEach((text, i) => { cells[i].textContent = text; });
    cells[2].className = 'state state-' + s.state;
  }
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
`;
