import { ConflictException, Injectable } from '@nestjs/common';
import { ExotelHttpService, ExotelWebrtcClient, TokenService } from 'nestjs-exotel-webrtc';
import { requireAppSettings } from './app-settings-check.js';
import { type SipAddress, sipAddress } from './sip-address.js';

/** What a browser softphone needs to start Exotel's web SDK for one user. */
export interface SoftphoneBootstrap {
  appUserId: string;
  /** The app token: the SDK sends it raw in Authorization. Never the customer token. */
  token: string;
  /** Ask again before this (epoch ms); the server refreshes the token well ahead of it. */
  tokenExpiresAt?: number;
  sip: SipAddress;
}

@Injectable()
export class SoftphoneService {
  constructor(
    private readonly tokens: TokenService,
    private readonly client: ExotelWebrtcClient,
    private readonly http: ExotelHttpService,
  ) {}

  async bootstrap(appUserId: string): Promise<SoftphoneBootstrap> {
    // The same three reads the SDK makes at start-up, so a browser is never sent off to fail.
    const [app, user] = await Promise.all([
      this.client.apps.get(),
      this.client.users.get(appUserId),
      requireAppSettings(this.http),
    ]);
    if (!user.SipId)
      throw new ConflictException(
        `${appUserId} has no SIP identity: VoIP is not provisioned for the account`,
      );
    // Explicitly the app entity: a customer token in a browser could manage every app of the account.
    const token = await this.tokens.getToken('app');
    const tokenExpiresAt = this.tokens.status().find((row) => row.credential === 'app:default')?.expiresAt;
    return { appUserId, token, tokenExpiresAt, sip: sipAddress(user.SipId, app.ExotelAccountSid) };
  }
}
