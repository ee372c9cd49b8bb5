// The one round loop of the bench, the measures it runs, and the rows and targets built from its output.
// On a shared 2-core machine the load drifts over seconds, so no figure rests on one measurement: every
// case runs at least MIN_ROUNDS rounds, each round measures every variant once (baseline and subjects
// side by side, order reversed every other round), and a row reports the median of the per-round figures
// with their min–max and IQR. Targets are judged on the median. Cases only say what they measure:
// compareOps() for ops/s (calls alternate within the round too), compare() for any other per-variant
// measure (heapBytesPerItem(), a whole run ...), interleave()/eachRound() when one run yields several
// figures, and roundsRow() + target() for the reported row.
import { performance } from 'node:perf_hooks';
import { summarize } from './stats.js';

/** Fewest rounds any figure may rest on. */
export const MIN_ROUNDS = 5;

/** Variant order in round `round`: as listed in even rounds, reversed in odd ones, so drift hits all alike. */
export function roundOrder(names, round) {
  return round % 2 === 0 ? [...names] : [...names].reverse();
}

/**
 * The round loop: round i calls `measure(name, i)` once for every variant, in roundOrder(names, i).
 * Returns each variant's samples (whatever `measure` returns), one per round, in round order.
 */
export async function interleave(names, measure, { rounds = MIN_ROUNDS } = {}) {
  if (!Number.isInteger(rounds) || rounds < MIN_ROUNDS)
    throw new RangeError(`bench: ${rounds} rounds asked for; every figure rests on at least ${MIN_ROUNDS}`);
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < rounds; round++)
    for (const name of roundOrder(names, round)) samples[name].push(await measure(name, round));
  return samples;
}

/** One variant, `rounds` times (for figures whose baseline is taken inside the same round). */
export async function eachRound(measure, { rounds } = {}) {
  return (await interleave(['only'], (_name, round) => measure(round), { rounds })).only;
}

/** value / baseline of the same round, round by round. */
export function perRoundRatios(values, baselines) {
  return values.map((value, round) => value / baselines[round]);
}

/**
 * Variants measured by their own functions, interleaved. `measures` maps a name to `(round) => sample`;
 * `pick(sample)` is the number compared (default: the sample itself, e.g. ops/s or bytes per item).
 * Per variant: `samples`, `values` (picked, one per round) and `ratios` (value / the baseline's value in
 * the same round). The baseline is the first variant unless `baseline` names another. For ops/s use
 * compareOps() (finer interleaving); compare() suits measures such as heapBytesPerItem() or a whole run.
 */
export async function compare(measures, { baseline, rounds, pick = (sample) => sample } = {}) {
  const names = Object.keys(measures);
  const base = baseline ?? names[0];
  if (!names.includes(base)) throw new Error(`bench: no variant named ${base}`);
  const samples = await interleave(names, (name, round) => measures[name](round), { rounds });
  const values = Object.fromEntries(names.map((name) => [name, samples[name].map(pick)]));
  return Object.fromEntries(
    names.map((name) => [
      name,
      { samples: samples[name], values: values[name], ratios: perRoundRatios(values[name], values[base]) },
    ]),
  );
}

/**
 * One round of ops/s for several tasks measured side by side: their calls alternate (A B, B A, A B ...)
 * for `time` ms per task after `warmupCalls` calls each, and every call is timed, so load that comes and
 * goes within the round hits every task alike. `fn` does `batch` operations per call, so nanosecond-scale
 * operations are not drowned by the timing itself. Returns { [task]: ops/s }.
 */
export async function sideBySideOps(tasks, { batch = 1, time = 300, warmupCalls = 16 } = {}) {
  const names = Object.keys(tasks);
  const reversed = [...names].reverse();
  for (let i = 0; i < warmupCalls; i++) for (const name of names) await tasks[name]();
  const spent = Object.fromEntries(names.map((name) => [name, 0]));
  const calls = Object.fromEntries(names.map((name) => [name, 0]));
  const deadline = performance.now() + time * names.length;
  for (let pair = 0; performance.now() < deadline; pair++) {
    for (const name of pair % 2 === 0 ? names : reversed) {
      const started = performance.now();
      await tasks[name]();
      spent[name] += performance.now() - started;
      calls[name] += 1;
    }
  }
  return Object.fromEntries(names.map((name) => [name, (calls[name] * batch * 1000) / spent[name]]));
}

/**
 * Ops/s of `tasks` (name => fn doing `batch` operations per call), one sideBySideOps() per round with
 * the task order reversed every other round. Like compare(), per task: `values` (ops/s,
 * one per round) and `ratios` (against the baseline, the first task unless `baseline` names another).
 *
 * Subjects with a costly set-up (a context holding 100,000 apps, say) are built before the call and
 * measured together, so every round sees the same process state:
 *
 *   const m = await compareOps({ '1 app': () => getMany(one), '100,000 apps': () => getMany(many) },
 *     { batch: 1000 });
 *   roundsRow({ ...fields, values: m['100,000 apps'].values, ratios: m['100,000 apps'].ratios });
 */
export async function compareOps(tasks, { batch, time, warmupCalls, baseline, rounds } = {}) {
  const names = Object.keys(tasks);
  const base = baseline ?? names[0];
  if (!names.includes(base)) throw new Error(`bench: no task named ${base}`);
  const perRound = await eachRound(
    (round) => {
      const ordered = Object.fromEntries(roundOrder(names, round).map((name) => [name, tasks[name]]));
      return sideBySideOps(ordered, { batch, time, warmupCalls });
    },
    { rounds },
  );
  const baselines = perRound.map((ops) => ops[base]);
  return Object.fromEntries(
    names.map((name) => {
      const values = perRound.map((ops) => ops[name]);
      return [name, { values, ratios: perRoundRatios(values, baselines) }];
    }),
  );
}

/** heapUsed after full collections (needs node --expose-gc; the bench script passes it). */
export function settledHeap() {
  if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc (npm run bench does)');
  for (let i = 0; i < 3; i++) globalThis.gc();
  return process.memoryUsage().heapUsed;
}

let retained; // what add() returned, reachable while the heap is read (a dead local could be collected)

/**
 * One measurement (a compare() measure) of retained heap bytes per item. `prepare()` builds what the
 * items go into, outside the count; the heap is read after full collections, `add(state, count)` adds
 * `count` items, the heap is read again, and `dispose(state, added)` frees everything. Returns
 * (after − before) / count. Readings move by tens of KiB, so `count` must make that small per item
 * (10,000 items or more).
 */
export async function heapBytesPerItem({
  count,
  prepare = async () => undefined,
  add,
  dispose = async () => {},
}) {
  const state = await prepare();
  const before = settledHeap();
  retained = await add(state, count);
  const after = settledHeap();
  const added = retained;
  retained = undefined;
  await dispose(state, added);
  return (after - before) / count;
}

const PASSES = {
  '>=': (x, limit) => x >= limit,
  '>': (x, limit) => x > limit,
  '<=': (x, limit) => x <= limit,
  '<': (x, limit) => x < limit,
  '==': (x, limit) => x === limit,
};

/** A target on the median `ratio` or `value` of a row, e.g. target('ratio', '>=', 0.97). */
export function target(on, op, limit, text = `${on} ${op} ${limit}`) {
  if (on !== 'ratio' && on !== 'value')
    throw new Error(`bench: a target is on 'ratio' or 'value', not ${on}`);
  if (!PASSES[op]) throw new Error(`bench: unknown target operator ${op}`);
  return { on, op, limit, text };
}

/**
 * A result row from per-round figures: `value` and `ratio` are the medians of `values` and `ratios`, with
 * their min–max (`valueSpread`, `ratioSpread`) and the ratio's IQR. With a `target`, `met` says whether the
 * median meets it and `roundsMet` in how many single rounds it was met.
 */
export function roundsRow({ values, ratios, target: goal, ...fields }) {
  const value = summarize(values);
  const ratio = ratios && summarize(ratios);
  const row = {
    ...fields,
    rounds: value.n,
    value: value.median,
    valueSpread: [value.min, value.max],
    ratio: ratio?.median,
    ratioSpread: ratio && [ratio.min, ratio.max],
    ratioIqr: ratio && [ratio.q1, ratio.q3],
    perRound: { values, ratios },
  };
  if (goal) {
    const pass = (x) => PASSES[goal.op](x, goal.limit);
    const judged = goal.on === 'ratio' ? ratios : values;
    Object.assign(row, {
      target: goal.text,
      judgedOn: `median ${goal.on}`,
      met: pass(goal.on === 'ratio' ? row.ratio : row.value),
      roundsMet: judged.filter(pass).length,
    });
  }
  return row;
}
