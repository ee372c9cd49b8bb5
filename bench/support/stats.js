import { Bench } from 'tinybench';

/** Value at quantile q (0..1) of an ascending-sorted array, nearest-rank. */
export function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export function median(values) {
  return quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}

/** p50/p99/max of latencies in ms. */
export function latencySummary(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    max: sorted.at(-1) ?? NaN,
  };
}

/**
 * Operations per second of each async task with tinybench. Every task function runs `batch` operations
 * per call, so nanosecond-scale operations are not drowned by the per-call timing overhead. With
 * `rounds` > 1 the tasks are run round after round (A, B, A, B ...) and the median per task is kept,
 * which evens out the noise of a shared machine.
 */
export async function opsPerSecond(tasks, { batch = 1, time = 1000, rounds = 1 } = {}) {
  const perTask = Object.fromEntries(Object.keys(tasks).map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    const bench = new Bench({ time, warmupTime: Math.min(250, time / 4), throws: true });
    for (const [name, fn] of Object.entries(tasks)) bench.add(name, fn);
    await bench.run();
    for (const task of bench.tasks) perTask[task.name].push((batch * 1000) / task.result.period);
  }
  return Object.fromEntries(Object.entries(perTask).map(([name, values]) => [name, median(values)]));
}

/**
 * Throughput of `subject` relative to `baseline`, measured in many short tinybench rounds that alternate
 * which task goes first, keeping the median of the per-round ratios: on a shared machine the load drifts
 * over seconds, and only measurements taken side by side are comparable.
 */
export async function pairedRatio(baseline, subject, { batch = 1, time = 300, rounds = 15 } = {}) {
  const ratios = [];
  const rates = { baseline: [], subject: [] };
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? ['baseline', 'subject'] : ['subject', 'baseline'];
    const fns = { baseline, subject };
    const ops = await opsPerSecond(Object.fromEntries(order.map((k) => [k, fns[k]])), { batch, time });
    rates.baseline.push(ops.baseline);
    rates.subject.push(ops.subject);
    ratios.push(ops.subject / ops.baseline);
  }
  return {
    ratio: median(ratios),
    baseline: median(rates.baseline),
    subject: median(rates.subject),
    spread: [Math.min(...ratios), Math.max(...ratios)],
  };
}
