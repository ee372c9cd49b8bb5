import { Controller, Get, Module, Param } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_FILTER } from '@nestjs/core';
import { ExotelExceptionFilter, ExotelWebrtcClient, ExotelWebrtcModule, fromEnv } from 'nestjs-exotel-webrtc';

@Controller('users')
export class UsersController {
  constructor(private readonly exotel: ExotelWebrtcClient) {}

  @Get(':id')
  get(@Param('id') id: string) {
    return this.exotel.users.get(id);
  }
}

// The README's Quickstart, plus a controller and the README's filter.
@Module({
  imports: [
    ConfigModule.forRoot(),
    ExotelWebrtcModule.forRootAsync({
      imports: [ConfigModule],
      inject: [ConfigService],
      useFactory: (config: ConfigService) =>
        fromEnv({
          EXOTEL_WEBRTC_BASE_URL: config.get<string>('EXOTEL_WEBRTC_BASE_URL'),
          EXOTEL_CUSTOMER_ID: config.get<string>('EXOTEL_CUSTOMER_ID'),
          EXOTEL_CUSTOMER_SECRET: config.get<string>('EXOTEL_CUSTOMER_SECRET'),
          EXOTEL_APP_ID: config.get<string>('EXOTEL_APP_ID'),
          EXOTEL_APP_SECRET: config.get<string>('EXOTEL_APP_SECRET'),
        }),
      isGlobal: true,
    }),
  ],
  controllers: [UsersController],
  providers: [{ provide: APP_FILTER, useClass: ExotelExceptionFilter }],
})
export class AppModule {}
