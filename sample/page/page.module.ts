import { Module } from '@nestjs/common';
import { EmbeddedExotelModule } from '../embedded-exotel/embedded-exotel.module.js';
import { PageController } from './page.controller.js';

@Module({ imports: [EmbeddedExotelModule], controllers: [PageController] })
export class PageModule {}
