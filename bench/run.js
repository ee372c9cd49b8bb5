// `npm run bench`: every case of issue 7 against its baseline, measured in this run. Prints a table,
// writes bench/results.json (git-ignored; one run is recorded in BENCHMARKS.md). Loopback only.
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { coldHerd } from './cases/cold-herd.js';
import { interceptorOverhead } from './cases/interceptor-overhead.js';
import { memory } from './cases/memory.js';
import { rolloverLatency } from './cases/rollover-latency.js';
import { warmGetToken } from './cases/warm-get-token.js';
import { URL } from 'node:url';

const CASES = { warmGetToken, interceptorOverhead, rolloverLatency, coldHerd, memory };

function machine() {
  let cpuModel = cpus()[0]?.model ?? 'unknown';
  try {
    cpuModel = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpuModel;
  } catch {
    // not Linux: os.cpus() is good enough
  }
  return {
    node: process.version,
    nproc: cpus().length,
    cpuModel,
    memGiB: +(totalmem() / 2 ** 30).toFixed(1),
    platform: `${process.platform}-${process.arch}`,
  };
}

const only = process.argv.slice(2);
const started = Date.now();
const rows = [];
for (const [name, run] of Object.entries(CASES)) {
  if (only.length && !only.includes(name)) continue;
  process.stderr.write(`bench: ${name}...\n`);
  rows.push(...(await run()));
}
const format = (n) => (typeof n === 'number' && Number.isFinite(n) ? +n.toPrecision(4) : n);
console.table(
  rows.map((r) => ({
    case: r.case,
    subject: r.subject,
    metric: r.metric,
    value: format(r.value),
    [`ratio vs baseline`]: format(r.ratio),
    target: r.target ?? '',
  })),
);
for (const r of rows.filter((row) => row.note)) console.log(`- ${r.case} / ${r.subject}: ${r.note}`);
const results = {
  at: new Date().toISOString(),
  seconds: Math.round((Date.now() - started) / 1000),
  machine: machine(),
  rows,
};
writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
console.log(`\n${JSON.stringify(results.machine)}; ${results.seconds} s; written to bench/results.json`);
