import { Controller, Get, Header } from '@nestjs/common';
import { EmbeddedExotel } from '../embedded-exotel/embedded-exotel.js';
import { pageHtml } from './page.html.js';
import { softphoneSection } from './softphone.section.js';
import { TOKENS_SECTION } from './tokens.section.js';
import { CALL_EVENTS_SECTION } from '../webhooks/call-events.panel.js';

@Controller()
export class PageController {
  private readonly html: string;

  constructor(embedded: EmbeddedExotel) {
    // Built once: nothing on it changes while the sample runs; the scripts fetch what does.
    this.html = pageHtml([TOKENS_SECTION, softphoneSection(embedded.origin), CALL_EVENTS_SECTION]);
  }

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  page(): string {
    return this.html;
  }
}
