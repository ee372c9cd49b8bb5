import { randomBytes } from 'node:crypto';
import type { ExotelCallKind } from '../../options/webhook-routes.js';
import type { FakeApp } from '../model/model.js';
import type { FakeCallPayload } from './call-notifier.js';

/**
 * What `simulateInboundCall()` plays.
 * @publicApi
 */
export interface FakeInboundCallInput {
  /** The app whose `popup` / `incomingCallHangup` / `missedCall` settings are called. */
  appId: string;
  /** The caller's number. */
  from: string;
  /** The number dialled; default the virtual number of the answering user. */
  to?: string;
  /** AppUserId of the user the call rings; default the app's first mapped user, if any. */
  userId?: string;
  /** Default `true`: `popup`, then `incomingCallHangup`. `false`: `popup`, then `missedCall`. */
  answered?: boolean;
  /** Talk time of an answered call in seconds (default 30); a missed call has `TotalDuration: ""`. */
  durationSeconds?: number;
}

type Notifications = [ExotelCallKind, FakeCallPayload][];

/** A new CallSid, shaped like Exotel's (32 hex characters). */
export function newCallSid(): string {
  return randomBytes(16).toString('hex');
}

/** Where the fake says a recording of `callSid` is; only ever a reserved `.test` host. */
export function recordingUrl(callSid: string): string {
  return `https://recordings.fake-exotel.test/${callSid}.mp3`;
}

/**
 * The `callback` notifications of an outbound call whose reply was `call`: `active` (ringing), then
 * `terminal` (completed, with a recording URL when the app's `record` setting is `"true"`).
 */
export function outboundNotifications(app: FakeApp, call: FakeCallPayload): Notifications {
  const start = new Date(Date.now());
  const end = new Date(start.getTime() + 42_000);
  const recorded = app.settings.get('record') === 'true';
  return [
    [
      'callback',
      {
        ...call,
        CallStatus: 'in-progress',
        CallState: 'active',
        StartTime: start.toISOString(),
        EndTime: '',
        TotalDuration: '',
      },
    ],
    [
      'callback',
      {
        ...call,
        CallStatus: 'completed',
        CallState: 'terminal',
        StartTime: start.toISOString(),
        EndTime: end.toISOString(),
        TotalDuration: 42,
        CallRecordings: recorded ? recordingUrl(call.CallSid) : '',
        CallDetail: recorded ? 'recording_stop_success' : null,
        UpdatedAt: end.toISOString(),
      },
    ],
  ];
}

/** `popup`, then `incomingCallHangup` (answered) or `missedCall`, for an inbound call to `app`. */
export function inboundNotifications(
  app: FakeApp,
  input: FakeInboundCallInput,
  callSid: string,
): Notifications {
  const user = input.userId !== undefined ? app.users.get(input.userId) : app.users.values().next().value;
  const start = new Date(Date.now());
  const answered = input.answered ?? true;
  const seconds = input.durationSeconds ?? 30;
  const end = new Date(start.getTime() + (answered ? seconds * 1000 : 20_000));
  const base = {
    CustomerId: app.customerId,
    AppId: app.id,
    CallSid: callSid,
    ExotelAccountSid: app.accountSid,
    DialWhomNumber: user?.AgentNumber ?? '',
    AppUserID: user?.AppUserId ?? '',
    VirtualNumber: user?.VirtualNumber ?? '',
    Direction: 'incoming',
    ToNumber: input.to ?? user?.VirtualNumber ?? '',
    FromNumber: input.from,
    AccountDomain: app.domain,
    TicketId: '',
    CreatedAt: start.toISOString(),
  };
  const ringing = {
    ...base,
    CallStatus: 'busy',
    CallState: 'active',
    TotalDuration: '',
    CallRecordings: '',
    CallDetail: null,
    StartTime: start.toISOString(),
    EndTime: '',
    UpdatedAt: start.toISOString(),
  };
  const over = {
    ...base,
    CallStatus: 'free',
    CallState: 'terminal',
    TotalDuration: answered ? seconds : '',
    CallRecordings: answered ? recordingUrl(callSid) : '',
    CallDetail: null,
    StartTime: start.toISOString(),
    EndTime: end.toISOString(),
    UpdatedAt: end.toISOString(),
  };
  return [
    ['popup', ringing],
    [answered ? 'incomingCallHangup' : 'missedCall', over],
  ];
}
