import { describe, expect, it } from '@jest/globals';
import { AxiosError, AxiosHeaders, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import { inspect } from 'node:util';
import { redactAxiosError } from './redact-axios-error.js';

const TOKEN = 'unit-token-5a4b3c2d1e';

function errorWith(data: unknown, headers: Record<string, unknown> = {}): AxiosError {
  const config = {
    headers: new AxiosHeaders({ Authorization: `Bearer ${TOKEN}` }),
  } as InternalAxiosRequestConfig;
  const response = {
    status: 500,
    statusText: `no ${TOKEN}`,
    headers: new AxiosHeaders(headers as never),
    config,
    data,
  } as AxiosResponse;
  return new AxiosError(`failed for ${TOKEN}`, 'ERR_BAD_RESPONSE', config, undefined, response);
}

const printed = (value: unknown): string =>
  `${inspect(value, { depth: Infinity, showHidden: true })}\n${JSON.stringify(value)}`;

describe('redactAxiosError scrubs tokens echoed in the reply', () => {
  it('in JSON values and keys at any depth, response headers and the status text', () => {
    const data = { RequestId: TOKEN, list: [{ deep: [`a${TOKEN}b`] }], [TOKEN]: 1, n: 5, nil: null };
    const error = redactAxiosError(errorWith(data, { 'x-echo': TOKEN, 'set-cookie': [`t=${TOKEN}`, 'u=1'] }));
    expect(printed(error)).not.toContain(TOKEN);
    expect(error.response?.data).toEqual({
      RequestId: '[redacted]',
      list: [{ deep: ['a[redacted]b'] }],
      '[redacted]': 1,
      n: 5,
      nil: null,
    });
    expect(error.response?.headers['set-cookie']).toEqual(['t=[redacted]', 'u=1']);
  });

  it('in a Buffer body, replaced only when it held a token', () => {
    const clean = Buffer.from('{"ok":true}');
    expect(redactAxiosError(errorWith(clean)).response?.data).toBe(clean);
    const echoed = redactAxiosError(errorWith(Buffer.from(`{"e":"${TOKEN}"}`)));
    expect(String(echoed.response?.data)).toBe('{"e":"[redacted]"}');
  });

  it('walks a body nested deeper than the call stack, and a cyclic one, without throwing', () => {
    let deep: unknown[] = [TOKEN];
    for (let i = 0; i < 200_000; i++) deep = [deep];
    const cyclic: Record<string, unknown> = { t: TOKEN };
    cyclic.self = cyclic;
    expect(() => redactAxiosError(errorWith(deep))).not.toThrow();
    expect(redactAxiosError(errorWith(cyclic)).response?.data).toMatchObject({ t: '[redacted]' });
  });
});
