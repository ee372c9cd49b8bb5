// The loopback server of support/loopback-server.js, in its own process (so it has its own core and
// heap): POST /token answers a fresh token envelope, GET /__stats the mint count, anything else a small
// success envelope. Prints its port on stdout, exits when its parent closes stdin.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { Buffer } from 'node:buffer';

const BASE = '/v2/integrations';
let mints = 0;
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    let data;
    if (req.method === 'POST' && req.url === `${BASE}/token`) {
      mints += 1;
      data = Buffer.from(randomUUID()).toString('base64');
    } else if (req.url === '/__stats') {
      data = { mints };
    } else {
      data = { AppID: 'app-1', AppName: 'bench' };
    }
    const body = JSON.stringify({ RequestId: 'r', Status: 'Success', Code: 200, Error: '', Data: data });
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
