import type { IncomingMessage, ServerResponse } from 'node:http';

/** The fake's base path; everything else is answered with 404. */
export const BASE_PATH = '/v2/integrations';

// Bodies bigger than this are cut off: the fake only ever needs small JSON documents.
const MAX_BODY_BYTES = 1024 * 1024;

/** Changes a scripted fault makes to the normal answer on its way out. */
export interface FakeTweaks {
  /** Envelope `Code` to send instead of the HTTP status. */
  code?: number;
  /** Seconds for a `Retry-After` header. */
  retryAfter?: number;
  /** `POST /token`: hand back the previous token instead of minting. */
  sameToken?: boolean;
}

/** One request/response pair, with the request already read and parsed. */
export interface FakeExchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly method: string;
  /** Path relative to {@link BASE_PATH}; the full path when the request was outside it. */
  readonly path: string;
  /** False when the request path was not under {@link BASE_PATH}. */
  readonly underBase: boolean;
  readonly query: Record<string, string>;
  readonly rawBody: string;
  /** Parsed JSON, or the raw text when it was not JSON, or `undefined` when empty. */
  readonly body: unknown;
  /** True when a non-empty body failed to parse as JSON. */
  readonly bodyNotJson: boolean;
  readonly tweaks: FakeTweaks;
}

/** Reads the whole request body and splits the URL into the pieces the routes need. */
export async function readExchange(req: IncomingMessage, res: ServerResponse): Promise<FakeExchange> {
  const rawBody = await readBody(req);
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const fullPath = url.pathname;
  const underBase = fullPath === BASE_PATH || fullPath.startsWith(`${BASE_PATH}/`);
  const path = underBase ? fullPath.slice(BASE_PATH.length) || '/' : fullPath;
  const { body, bodyNotJson } = parseBody(rawBody);
  return {
    req,
    res,
    method: (req.method ?? 'GET').toUpperCase(),
    path,
    underBase,
    query: Object.fromEntries(url.searchParams),
    rawBody,
    body,
    bodyNotJson,
    tweaks: {},
  };
}

function parseBody(rawBody: string): { body: unknown; bodyNotJson: boolean } {
  if (rawBody.trim() === '') return { body: undefined, bodyNotJson: false };
  try {
    return { body: JSON.parse(rawBody) as unknown, bodyNotJson: false };
  } catch {
    return { body: rawBody, bodyNotJson: true };
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
