/** Shows enough of an Id to recognise it in status output (`99fa…6ef0`). Ids are not secrets, but need not be whole. */
export function maskId(id: string): string {
  return id.length <= 8 ? `${id.slice(0, 2)}…` : `${id.slice(0, 4)}…${id.slice(-4)}`;
}
