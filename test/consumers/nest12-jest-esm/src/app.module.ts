import { Controller, Get, Module, Param } from '@nestjs/common';
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

@Module({
  imports: [ExotelWebrtcModule.forRootAsync({ useFactory: () => fromEnv(), isGlobal: true })],
  controllers: [UsersController],
  providers: [{ provide: APP_FILTER, useClass: ExotelExceptionFilter }],
})
export class AppModule {}
