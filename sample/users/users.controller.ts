import { Body, Controller, Delete, Get, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import {
  type ExotelUserMapping,
  type ExotelUserPage,
  ExotelWebrtcClient,
  type RegisterUserDto,
} from 'nestjs-exotel-webrtc';
import { appOf } from '../apps/app-name.js';

/** A user mapping without its (encrypted) SIP password, which belongs to that user's browser only. */
export type PublicUser = Omit<ExotelUserMapping, 'SipSecret'>;

/** One page of users, without their SIP passwords. */
export type PublicUserPage = Omit<ExotelUserPage, 'Users'> & { Users: PublicUser[] };

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

  /**
   * One page of users: `?pageSize=` (Exotel's default 20) and `?lastValue=` (the previous page's
   * `LastEvaluatedValue`) as Exotel pages them.
   */
  @Get()
  async list(
    @Query('app') app?: unknown,
    @Query('lastValue') lastValue?: string,
    @Query('pageSize', new ParseIntPipe({ optional: true })) pageSize?: number,
  ): Promise<PublicUserPage> {
    const page = await this.client.app(appOf(app)).users.list({ lastValue, pageSize });
    return { ...page, Users: page.Users.map(withoutSipSecret) };
  }

  @Get(':appUserId')
  async get(@Param('appUserId') appUserId: string, @Query('app') app?: unknown): Promise<PublicUser> {
    return withoutSipSecret(await this.client.app(appOf(app)).users.get(appUserId));
  }

  /** Unmaps every user of the app (Exotel has no call to unmap one); answers Exotel's message. */
  @Delete()
  async removeAll(@Query('app') app?: unknown): Promise<{ message: string }> {
    return { message: await this.client.app(appOf(app)).users.deleteAll() };
  }
}
