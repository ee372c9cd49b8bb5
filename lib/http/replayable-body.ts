/**
 * False for request bodies that are consumed by sending them (Node streams, web streams, async
 * iterables): a 401 retry must not send such a body again, half-read or empty.
 */
export function isReplayableBody(data: unknown): boolean {
  if (data === undefined || data === null || typeof data !== 'object') return true;
  const body = data as Record<string | symbol, unknown>;
  if (typeof body.pipe === 'function' || typeof body.getReader === 'function') return false;
  return typeof body[Symbol.asyncIterator] !== 'function';
}
