import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { type ExotelUserMapping, ExotelWebrtcClient, type RegisterUserDto } from 'nestjs-exotel-webrtc';
import { appOf } from '../apps/app-name.js';

/** A user mapping without its (encrypted) SIP password, which belongs to that user's browser only. */
export type PublicUser = Omit<ExotelUserMapping, 'SipSecret'>;

function withoutSipSecret({ SipSecret: _secret, ...user }: ExotelUserMapping): PublicUser {
  return user;
}

/**
 * User mappings of one app (app token, added by the library): `?app=<name>` (an app added by
 * `POST /apps`), default `default`. An app that is not managed answers 404.
 */
@Controller('users')
export class UsersController {
  constructor(private readonly client: ExotelWebrtcClient) {}

  /** Maps one user (an object) or several (an array); the client validates them before sending. */
  @Post()
  async register(
    @Body() body: RegisterUserDto | RegisterUserDto[],
    @Query('app') app?: unknown,
  ): Promise<PublicUser[]> {
    const users = await this.client.app(appOf(app)).users.register(Array.isArray(body) ? body : [body]);
    return users.map(withoutSipSecret);
  }

  @Get(':appUserId')
  async get(@Param('appUserId') appUserId: string, @Query('app') app?: unknown): Promise<PublicUser> {
    return withoutSipSecret(await this.client.app(appOf(app)).users.get(appUserId));
  }
}
