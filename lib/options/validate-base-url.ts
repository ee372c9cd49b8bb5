const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** True for hosts that may be reached over plain http (tests, the embedded fake). */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.test(hostname);
}

/** Returns a problem description for a bad baseUrl, or undefined when it is acceptable. */
export function baseUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute URL such as https://integrationscore.mum1.exotel.com/v2/integrations';
  }
  if (url.username || url.password) return 'must not contain user info';
  if (url.search || url.hash) return 'must not contain a query or fragment';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return undefined;
  return 'must use https (plain http is allowed only for loopback hosts)';
}
