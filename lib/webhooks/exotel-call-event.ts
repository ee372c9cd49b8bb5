import { collectProblems, pickOwn } from '../options/collect-problems.js';
import type { ExotelCallKind } from '../options/webhook-routes.js';
import { ExotelCallNotificationDto } from './call-notification.dto.js';

/**
 * One call notification, typed: numbers as numbers, `""` and `null` as undefined, timestamps as
 * `Date`. `raw` is the body as Exotel sent it (fields not listed here included).
 * @publicApi
 */
export interface ExotelCallEvent {
  readonly kind: ExotelCallKind;
  readonly callSid: string;
  /** `active` while the call runs or is being processed, `terminal` once it is over. */
  readonly callState?: 'active' | 'terminal';
  /** E.g. `busy` while ringing or connected, `free` when done (inbound); Exotel's status text (outbound). */
  readonly callStatus?: string;
  /** `outbound`, `inbound` or `incoming`. */
  readonly direction?: string;
  readonly customerId?: string;
  readonly appId?: string;
  readonly exotelAccountSid?: string;
  /** The AppUserId of the user the call belongs to. */
  readonly appUserId?: string;
  readonly virtualNumber?: string;
  readonly dialWhomNumber?: string;
  readonly fromNumber?: string;
  readonly toNumber?: string;
  /** Seconds; undefined while Exotel sends `""`. */
  readonly totalDuration?: number;
  /** Recording URL(s), set at the end of a recorded call. */
  readonly callRecordings?: string;
  readonly accountDomain?: string;
  readonly ticketId?: string;
  readonly callDetail?: unknown;
  readonly startTime?: Date;
  readonly endTime?: Date;
  readonly createdAt?: Date;
  readonly updatedAt?: Date;
  readonly raw: Readonly<Record<string, unknown>>;
}

/** Either the event, or the problems (`Field: message`, never a value) that make the body invalid. */
export type ParsedNotification = { event: ExotelCallEvent } | { problems: string[] };

/** Validates a notification body and normalises it into an {@link ExotelCallEvent}. */
export function parseCallNotification(kind: ExotelCallKind, body: unknown): ParsedNotification {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { problems: ['body: must be a JSON object'] };
  }
  if (deeperThan(body, MAX_DEPTH)) return { problems: [`body: nested deeper than ${MAX_DEPTH} levels`] };
  const raw = body as Record<string, unknown>;
  const dto = pickOwn(new ExotelCallNotificationDto(), raw, FIELDS);
  const problems = collectProblems(dto, '');
  if (problems.length) return { problems };
  return {
    event: {
      kind,
      callSid: dto.CallSid,
      callState: text(dto.CallState) as ExotelCallEvent['callState'],
      callStatus: text(dto.CallStatus),
      direction: text(dto.Direction),
      customerId: text(dto.CustomerId),
      appId: text(dto.AppId),
      exotelAccountSid: text(dto.ExotelAccountSid),
      appUserId: text(dto.AppUserID),
      virtualNumber: text(dto.VirtualNumber),
      dialWhomNumber: text(dto.DialWhomNumber),
      fromNumber: text(dto.FromNumber),
      toNumber: text(dto.ToNumber),
      totalDuration: seconds(dto.TotalDuration),
      callRecordings: text(dto.CallRecordings),
      accountDomain: text(dto.AccountDomain),
      ticketId: text(dto.TicketId),
      callDetail: dto.CallDetail ?? undefined,
      startTime: date(dto.StartTime),
      endTime: date(dto.EndTime),
      createdAt: date(dto.CreatedAt),
      updatedAt: date(dto.UpdatedAt),
      raw: Object.freeze({ ...raw }),
    },
  };
}

/**
 * Deepest nesting accepted. A real notification is flat; a hostile one nested thousands deep would
 * make a handler's `JSON.stringify(event.raw)` overflow the stack, fail, and be resent forever.
 */
const MAX_DEPTH = 32;

/** Walks without recursion, so the check itself cannot overflow the stack. */
function deeperThan(value: object, max: number): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [node, depth] = next;
    if (node === null || typeof node !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(node)) pending.push([child, depth + 1]);
  }
  return false;
}

const FIELDS = [
  'CallSid',
  'CallState',
  'CustomerId',
  'AppId',
  'ExotelAccountSid',
  'DialWhomNumber',
  'AppUserID',
  'VirtualNumber',
  'Direction',
  'CallStatus',
  'ToNumber',
  'FromNumber',
  'TotalDuration',
  'CallRecordings',
  'AccountDomain',
  'TicketId',
  'StartTime',
  'EndTime',
  'CreatedAt',
  'UpdatedAt',
  'CallDetail',
] as const;

function text(value: string | null | undefined): string | undefined {
  return value === null || value === undefined || value === '' ? undefined : value;
}

function seconds(value: number | string | null | undefined): number | undefined {
  if (typeof value === 'number') return value;
  return typeof value === 'string' && value.trim() !== '' ? Number(value) : undefined;
}

/** A Date for any format `Date` reads; an unreadable timestamp stays in `raw` only. */
function date(value: string | null | undefined): Date | undefined {
  if (!value) return undefined;
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed;
}
