import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { FakeExchange } from './exchange.js';

/**
 * The PascalCase envelope the fake wraps every JSON answer in, with every field always present (the root
 * package's `ExotelEnvelope` is the looser shape the client accepts from the real service).
 */
export interface FakeEnvelope {
  RequestId: string;
  Status: 'Success' | 'Failed';
  Code: number;
  Error: string;
  Data: unknown;
}

/** Answers with the success envelope; `Code` mirrors the status unless a fault tweaked it. */
export function sendSuccess(ex: FakeExchange, data: unknown, status = 200): void {
  sendJson(ex, status, {
    RequestId: randomUUID(),
    Status: 'Success',
    Code: ex.tweaks.code ?? status,
    Error: '',
    Data: data,
  });
}

/** Answers with the failure envelope and `Data: null` (the real `Data` on errors is undocumented). */
export function sendFailure(ex: FakeExchange, status: number, error: string): void {
  sendJson(ex, status, {
    RequestId: randomUUID(),
    Status: 'Failed',
    Code: ex.tweaks.code ?? status,
    Error: error,
    Data: null,
  });
}

/** Serialises any envelope (also deliberately inconsistent ones built by faults). */
export function sendJson(ex: FakeExchange, status: number, envelope: FakeEnvelope): void {
  sendRaw(ex, status, JSON.stringify(envelope), 'application/json');
}

/** Writes a body as-is; silently gives up when the client has already gone (aborted or timed out). */
export function sendRaw(
  ex: FakeExchange,
  status: number,
  body: string,
  contentType: string,
  extraHeaders: Record<string, string> = {},
): void {
  const { res } = ex;
  if (res.headersSent || res.destroyed || res.writableEnded) return;
  const headers: Record<string, string> = {
    'Content-Type': contentType,
    'Content-Length': String(Buffer.byteLength(body)),
    ...extraHeaders,
  };
  if (ex.tweaks.retryAfter !== undefined) headers['Retry-After'] = String(ex.tweaks.retryAfter);
  res.writeHead(status, STATUS_CODES[status] ?? 'Unknown', headers);
  res.end(body);
}

/** A short reason phrase for scripted failures, e.g. 'Too Many Requests' for 429. */
export function reasonFor(status: number): string {
  return STATUS_CODES[status] ?? `HTTP ${status}`;
}
