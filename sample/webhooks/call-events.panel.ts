import type { PageSection } from '../page/page.html.js';

/**
 * The page's "last call events" section: markup, and a plain-DOM script that polls `GET /call-events`
 * every 2 s and offers `POST /call-events/simulate-inbound` (embedded fake only). No framework, no
 * innerHTML of server data: every value goes in with textContent.
 */
const CALL_EVENTS_HTML = `
  <p>Exotel's call notifications as the <code>@OnExotelCall</code> handlers received them (numbers masked).</p>
  <button type="button" id="call-events-simulate">Simulate an inbound call</button>
  <span id="call-events-status" role="status"></span>
  <table>
    <thead><tr><th>Received</th><th>Kind</th><th>CallSid</th><th>State</th><th>Status</th><th>From</th><th>To</th><th>Seconds</th></tr></thead>
    <tbody id="call-events-rows"><tr><td colspan="8">No call events yet</td></tr></tbody>
  </table>`;

const CALL_EVENTS_SCRIPT = `
(() => {
  const rows = document.getElementById('call-events-rows');
  const status = document.getElementById('call-events-status');
  const cell = (text) => {
    const td = document.createElement('td');
    td.textContent = text === undefined || text === null ? '' : String(text);
    return td;
  };
  const render = (events) => {
    rows.replaceChildren();
    if (events.length === 0) {
      const tr = document.createElement('tr');
      const td = cell('No call events yet');
      td.colSpan = 8;
      tr.append(td);
      rows.append(tr);
      return;
    }
    for (const e of events) {
      const tr = document.createElement('tr');
      tr.dataset.kind = e.kind;
      tr.append(
        cell(new Date(e.receivedAt).toLocaleTimeString()),
        cell(e.kind),
        cell(e.callSid),
        cell(e.callState),
        cell(e.callStatus),
        cell(e.from),
        cell(e.to),
        cell(e.totalDuration),
      );
      rows.append(tr);
    }
  };
  const refresh = async () => {
    try {
      const res = await fetch('/call-events');
      if (res.ok) render(await res.json());
    } catch {
      // The next poll tries again.
    }
  };
  document.getElementById('call-events-simulate').addEventListener('click', async () => {
    status.textContent = 'Calling...';
    const res = await fetch('/call-events/simulate-inbound', { method: 'POST' }).catch(() => undefined);
    status.textContent = res && res.ok ? 'Inbound call played' : 'Not available (needs the embedded fake)';
    await refresh();
  });
  void refresh();
  setInterval(refresh, 2000);
})();
`;

export const CALL_EVENTS_SECTION: PageSection = {
  id: 'call-events',
  title: 'Last call events',
  html: CALL_EVENTS_HTML,
  script: CALL_EVENTS_SCRIPT,
};
