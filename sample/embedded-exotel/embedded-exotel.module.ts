import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { EmbeddedExotel } from './embedded-exotel.js';

/** Provides {@link EmbeddedExotel}; import it where the Exotel options are built. */
@Module({
  imports: [ConfigModule],
  providers: [{ provide: EmbeddedExotel, useFactory: EmbeddedExotel.create, inject: [ConfigService] }],
  exports: [EmbeddedExotel],
})
export class EmbeddedExotelModule {}
