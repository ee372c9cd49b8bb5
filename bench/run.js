// `npm run bench`: every case of issue 7 against its baseline, measured in this run. Each figure is the
// median of at least 5 interleaved rounds (support/rounds.js), shown with the min–max of its rounds;
// targets are judged on the median. Prints a table, writes bench/results.json (git-ignored; one run is
// recorded in BENCHMARKS.md). Loopback only. `node --expose-gc bench/run.js memory coldHerd` runs some.
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { coldHerd } from './cases/cold-herd.js';
import { interceptorOverhead } from './cases/interceptor-overhead.js';
import { manyApps } from './cases/many-apps.js';
import { memory } from './cases/memory.js';
import { rolloverLatency } from './cases/rollover-latency.js';
import { warmGetToken } from './cases/warm-get-token.js';
import { MIN_ROUNDS } from './support/rounds.js';
import { URL } from 'node:url';

const CASES = { warmGetToken, interceptorOverhead, rolloverLatency, coldHerd, memory, manyApps };

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
const unknown = only.filter((name) => !(name in CASES));
if (unknown.length)
  throw new Error(`bench: no case ${unknown.join(', ')}; cases: ${Object.keys(CASES).join(', ')}`);
const started = Date.now();
const loadAtStart = loadavg()[0];
const rows = [];
const caseSeconds = {};
for (const [name, run] of Object.entries(CASES)) {
  if (only.length && !only.includes(name)) continue;
  process.stderr.write(`bench: ${name}...`);
  const caseStarted = Date.now();
  rows.push(...(await run()));
  caseSeconds[name] = Math.round((Date.now() - caseStarted) / 1000);
  process.stderr.write(` ${caseSeconds[name]} s\n`);
}

const format = (n) => (typeof n === 'number' && Number.isFinite(n) ? +n.toPrecision(4) : (n ?? ''));
const span = (pair) => (pair ? `${format(pair[0])}–${format(pair[1])}` : '');
const verdict = (r) =>
  r.target === undefined ? '' : `${r.met ? 'met' : 'MISSED'} (${r.roundsMet}/${r.rounds} rounds met)`;
console.table(
  rows.map((r) => ({
    case: r.case,
    subject: r.subject,
    metric: r.metric,
    value: format(r.value),
    'value min–max': span(r.valueSpread),
    ratio: format(r.ratio),
    'ratio min–max': span(r.ratioSpread),
    rounds: r.rounds,
    target: r.target ?? '',
    'on the median': verdict(r),
  })),
);
for (const r of rows.filter((row) => row.note)) console.log(`- ${r.case} / ${r.subject}: ${r.note}`);
const judged = rows.filter((r) => r.target !== undefined);
const missed = judged.filter((r) => !r.met);
console.log(
  `\ntargets (judged on the median of the rounds): ${judged.length - missed.length} met, ${missed.length} missed` +
    missed
      .map(
        (r) =>
          `\n  MISSED ${r.case} / ${r.subject}: ${format(r[r.judgedOn === 'median ratio' ? 'ratio' : 'value'])} vs ${r.target}`,
      )
      .join(''),
);

const results = {
  at: new Date().toISOString(),
  seconds: Math.round((Date.now() - started) / 1000),
  caseSeconds,
  machine: { ...machine(), loadAverage1m: { start: +loadAtStart.toFixed(2), end: +loadavg()[0].toFixed(2) } },
  method:
    `each row: median of its per-round figures over >= ${MIN_ROUNDS} interleaved rounds (variant order ` +
    `reversed every other round); valueSpread/ratioSpread are min–max, ratioIqr the quartiles; ` +
    `targets judged on the median (met), roundsMet counts single rounds meeting it`,
  rows,
};
writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
console.log(`\n${JSON.stringify(results.machine)}; ${results.seconds} s; written to bench/results.json`);
