import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { type ExotelUserMapping, ExotelWebrtcClient, type RegisterUserDto } from 'nestjs-exotel-webrtc';

/** A user mapping without its (encrypted) SIP password, which belongs to that user's browser only. */
export type PublicUser = Omit<ExotelUserMapping, 'SipSecret'>;

function withoutSipSecret({ SipSecret: _secret, ...user }: ExotelUserMapping): PublicUser {
  return user;
}

/** User mappings of the default app (app token, added by the library). */
@Controller('users')
export class UsersController {
  constructor(private readonly client: ExotelWebrtcClient) {}

  /** Maps one user (an object) or several (an array); the client validates them before sending. */
  @Post()
  async register(@Body() body: RegisterUserDto | RegisterUserDto[]): Promise<PublicUser[]> {
    const users = await this.client.users.register(Array.isArray(body) ? body : [body]);
    return users.map(withoutSipSecret);
  }

  @Get(':appUserId')
  async get(@Param('appUserId') appUserId: string): Promise<PublicUser> {
    return withoutSipSecret(await this.client.users.get(appUserId));
  }
}
