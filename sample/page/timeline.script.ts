/**
 * Browser functions that draw one credential's token timeline as inline SVG (no chart library):
 * issued → planned refresh → expiry on one axis, a "now" line, and the next retry when a refresh
 * failed. Plain ES2017 text; it defines `sampleSpan` and `tokenTimelineSvg` for the token section.
 * The SVG is built with DOM calls: what the server sent lands in attributes and text nodes, never in
 * markup, so a status field can never add an element to the page.
 */
export const TIMELINE_SCRIPT = String.raw`
function sampleSpan(ms) {
  if (ms <= 0) return 'now';
  const s = Math.floor(ms / 1000), d = Math.floor(s / 86400), h = Math.floor(s / 3600) % 24, m = Math.floor(s / 60) % 60;
  return d ? d + 'd ' + h + 'h' : h ? h + 'h ' + m + 'm' : m ? m + 'm ' + (s % 60) + 's' : s + 's';
}

// One SVG element with these attributes and, when given, this text.
function svgElement(name, attributes, text) {
  const element = document.createElementNS('http://www.w3.org/2000/svg', name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

function tokenTimelineSvg(s, now) {
  const W = 360, H = 72, PAD = 26, AXIS = 42;
  const iso = (ms) => new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  const failed = s.consecutiveFailures + ' failed refresh' + (s.consecutiveFailures === 1 ? '' : 'es');
  const retry = s.nextAttemptAt
    ? 'next retry ' + (s.nextAttemptAt > now ? 'in ' + sampleSpan(s.nextAttemptAt - now) : 'now') + ' after ' + failed
    : '';
  const svg = svgElement('svg', { width: W, height: H, role: 'img', 'data-retry': s.nextAttemptAt ? 'yes' : 'no' });
  if (!s.issuedAt || !s.expiresAt) {
    const words = 'no token yet' + (retry ? '; ' + retry : '');
    svg.setAttribute('aria-label', words);
    svg.appendChild(svgElement('text', { x: 4, y: AXIS, 'font-size': 12, fill: '#c0262d' }, words));
    return svg;
  }
  // The axis spans the token's life, stretched when now or the next retry falls outside it.
  const from = Math.min(s.issuedAt, now);
  const to = Math.max(s.expiresAt, now, s.nextAttemptAt || 0);
  const x = (t) => (PAD + ((t - from) / Math.max(1, to - from)) * (W - 2 * PAD)).toFixed(1);
  const bar = (t1, t2, color) =>
    svgElement('line', { x1: x(t1), x2: x(t2), y1: AXIS, y2: AXIS, stroke: color, 'stroke-width': 4 });
  const tick = (mark, t, color, label, labelY, dash) => {
    const group = svgElement('g', { 'data-mark': mark, 'data-x': x(t) });
    group.appendChild(svgElement('title', {}, label + ': ' + iso(t)));
    const line = svgElement('line', { x1: x(t), x2: x(t), y1: AXIS - 9, y2: AXIS + 9, stroke: color, 'stroke-width': 2 });
    if (dash) line.setAttribute('stroke-dasharray', '3 2');
    group.appendChild(line);
    group.appendChild(svgElement('text', { x: x(t), y: labelY, 'font-size': 10, 'text-anchor': 'middle', fill: color }, label));
    return group;
  };
  // Label rows: retry on top, now and refresh above the axis, issued and expiry below it.
  const TOP = 12, ABOVE = AXIS - 13, BELOW = AXIS + 21;
  const refreshAt = s.refreshAt && s.refreshAt < s.expiresAt ? s.refreshAt : undefined;
  const parts = [
    // Green while the token is used as is, amber from the planned refresh to expiry.
    bar(s.issuedAt, refreshAt || s.expiresAt, '#17803d'),
    refreshAt && bar(refreshAt, s.expiresAt, '#e0a030'),
    tick('issued', s.issuedAt, '#555', 'issued', BELOW),
    refreshAt && tick('refresh', refreshAt, '#b36b00', 'refresh', ABOVE, true),
    tick('expiry', s.expiresAt, '#c0262d', 'expiry', BELOW),
    s.nextAttemptAt && tick('retry', s.nextAttemptAt, '#e06000', 'retry', TOP),
    tick('now', now, '#1f5fbf', 'now', ABOVE),
  ];
  for (const part of parts) if (part) svg.appendChild(part);
  svg.setAttribute('aria-label', 'issued ' + iso(s.issuedAt) + (refreshAt ? ', refresh ' + iso(refreshAt) : '') +
    ', expires ' + iso(s.expiresAt) + ', state ' + s.state + (retry ? ', ' + retry : ''));
  return svg;
}
`;
