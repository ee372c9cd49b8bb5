import { PAGE_SCRIPT } from './page.script.js';

/** The token page: static HTML, filled in and kept live by {@link PAGE_SCRIPT} from GET /tokens. */
export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>nestjs-exotel-webrtc sample</title>
  <style>
    body { font: 14px system-ui, sans-serif; margin: 2rem; color: #222; }
    table { border-collapse: collapse; }
    th, td { border: 1px solid #ccc; padding: .35rem .6rem; text-align: left; }
    th { background: #f3f3f3; }
    .state { font-weight: 600; }
    .state-fresh { color: #17803d; } .state-retrying, .state-refreshing { color: #b36b00; }
    .state-expired, .state-failed { color: #c0262d; }
    #notice { min-height: 1.2em; color: #c0262d; }
  </style>
</head>
<body>
  <h1>Exotel tokens</h1>
  <p>Live view of <code>TokenService.status()</code> (GET /tokens, every 2 s). No token or secret is shown.</p>
  <table>
    <thead><tr><th>Entity</th><th>App</th><th>State</th><th>Issued</th><th>Expires in</th>
      <th>Next refresh</th><th>Last error</th><th></th></tr></thead>
    <tbody id="tokens"></tbody>
  </table>
  <p id="notice" role="status"></p>
  <script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
