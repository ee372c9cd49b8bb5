import type { InternalAxiosRequestConfig } from 'axios';

type BeforeRedirect = NonNullable<InternalAxiosRequestConfig['beforeRedirect']>;

/**
 * Makes sure a followed redirect carries the token only to a URL that may receive it. Axios already
 * drops Authorization on cross-origin hops; this also covers same-origin hops out of the base path and
 * does not depend on that behaviour staying. A caller's own `beforeRedirect` still runs, before the
 * check, so it cannot put the header back. (Applies to the Node http adapter, which is the one that
 * follows redirects itself; fetch drops Authorization on cross-origin redirects by specification.)
 */
export function guardRedirects(
  config: InternalAxiosRequestConfig,
  mayReceiveToken: (href: string) => boolean,
): void {
  const previous = config.beforeRedirect;
  const guarded: BeforeRedirect = (options, responseDetails, requestDetails) => {
    previous?.(options, responseDetails, requestDetails);
    const href = typeof options.href === 'string' ? options.href : '';
    if (mayReceiveToken(href)) return;
    const headers = options.headers as Record<string, unknown> | undefined;
    for (const name of Object.keys(headers ?? {})) {
      if (name.toLowerCase() === 'authorization') delete (headers as Record<string, unknown>)[name];
    }
  };
  config.beforeRedirect = guarded;
}
