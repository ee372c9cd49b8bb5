import { Controller, Get, HttpCode, NotFoundException, Post } from '@nestjs/common';
import { FAKE_SEED } from 'nestjs-exotel-webrtc/testing';
import { EmbeddedExotel } from '../embedded-exotel/embedded-exotel.js';
import { CallEventsLog, type CallEventView } from './call-events.log.js';

/** The last call events, and, with the embedded fake, a button's worth of inbound call. */
@Controller('call-events')
export class CallEventsController {
  constructor(
    private readonly log: CallEventsLog,
    private readonly embedded: EmbeddedExotel,
  ) {}

  /** Newest first, at most 20; numbers masked. */
  @Get()
  latest(): CallEventView[] {
    return this.log.latest();
  }

  /** Makes the embedded fake play an answered inbound call (popup, then incomingCallHangup). */
  @Post('simulate-inbound')
  @HttpCode(200)
  async simulateInbound(): Promise<{ callSid: string }> {
    const fake = this.embedded.fake;
    if (!fake) throw new NotFoundException('Only with the embedded fake Exotel');
    return fake.simulateInboundCall({ appId: FAKE_SEED.app.id, from: '+919800012345', to: '+918047116789' });
  }
}
