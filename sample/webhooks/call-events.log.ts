import { Injectable } from '@nestjs/common';
import { type ExotelCallEvent, OnExotelCall } from 'nestjs-exotel-webrtc/webhooks';

/** What the page shows of one call event: numbers masked to their last four digits, no recording URL. */
export interface CallEventView {
  kind: ExotelCallEvent['kind'];
  callSid: string;
  callState?: string;
  callStatus?: string;
  direction?: string;
  from?: string;
  to?: string;
  totalDuration?: number;
  recorded: boolean;
  receivedAt: string;
}

const KEPT = 20;

/** The last call events, newest first: the one place a customer's app would do its real work. */
@Injectable()
export class CallEventsLog {
  private readonly events: CallEventView[] = [];

  @OnExotelCall(['popup', 'incomingCallHangup', 'missedCall', 'callback'])
  record(event: ExotelCallEvent): void {
    this.events.unshift({
      kind: event.kind,
      callSid: event.callSid,
      callState: event.callState,
      callStatus: event.callStatus,
      direction: event.direction,
      from: masked(event.fromNumber),
      to: masked(event.toNumber),
      totalDuration: event.totalDuration,
      recorded: event.callRecordings !== undefined,
      receivedAt: new Date().toISOString(),
    });
    this.events.splice(KEPT);
  }

  latest(): CallEventView[] {
    return [...this.events];
  }
}

/** `…3344`: enough to tell calls apart on a demo page, not enough to call anyone. */
function masked(number: string | undefined): string | undefined {
  return number === undefined ? undefined : `…${number.slice(-4)}`;
}
