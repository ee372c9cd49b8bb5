/**
 * Pollution detector for property tests: a snapshot of the own keys of the built-in prototypes a
 * hostile `__proto__` / `constructor.prototype` payload would reach, compared after every run.
 */
const WATCHED: readonly object[] = [Object.prototype, Array.prototype, Function.prototype, String.prototype];

export type PrototypeSnapshot = string[][];

export function snapshotPrototypes(): PrototypeSnapshot {
  return WATCHED.map((proto) => Reflect.ownKeys(proto).map(String).sort());
}

/** True when no watched prototype gained or lost a key and a fresh object has no `polluted` property. */
export function prototypesUntouched(before: PrototypeSnapshot): boolean {
  const now = snapshotPrototypes();
  const same = now.every(
    (keys, i) => keys.length === before[i].length && keys.every((k, j) => k === before[i][j]),
  );
  return (
    same &&
    ({} as Record<string, unknown>).polluted === undefined &&
    Object.getPrototypeOf({}) === Object.prototype
  );
}
