import { ConflictException, Injectable } from '@nestjs/common';
import { ExotelHttpService, ExotelWebrtcClient, TokenService } from 'nestjs-exotel-webrtc';
import { DEFAULT_APP } from '../apps/app-name.js';
import { requireAppSettings } from './app-settings-check.js';
import { type SipAddress, sipAddress } from './sip-address.js';

/** What a browser softphone needs to start Exotel's web SDK for one user. */
export interface SoftphoneBootstrap {
  appUserId: string;
  /**
   * The user id to hand Exotel's browser SDK: `appUserId` URL-encoded. The SDK (1.2.2) pastes the id it
   * is given into `?user_id=` as-is, so a raw `+`, `&` or `#` would look up another user (or none); the
   * encoded id arrives at Exotel as `appUserId` itself.
   */
  sdkUserId: string;
  /** The app token: the SDK sends it raw in Authorization. Never the customer token. */
  token: string;
  /**
   * When the token expires (epoch ms). The SDK takes its token once, when it is constructed, so the page
   * starts it again (asking here again) before then; the server refreshes the token well ahead of it.
   */
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

  /** For `appUserId` of app `appName` (`default`, or an app added by `POST /apps`). */
  async bootstrap(appUserId: string, appName = DEFAULT_APP): Promise<SoftphoneBootstrap> {
    const scope = this.client.app(appName);
    // The same three reads the SDK makes at start-up, so a browser is never sent off to fail.
    const [app, user] = await Promise.all([
      scope.apps.get(),
      scope.users.get(appUserId),
      requireAppSettings(this.http, appName),
    ]);
    if (!user.SipId)
      throw new ConflictException(
        `${appUserId} has no SIP identity: VoIP is not provisioned for the account`,
      );
    // Explicitly the app entity: a customer token in a browser could manage every app of the account.
    const token = await this.tokens.getToken('app', appName);
    const tokenExpiresAt = this.tokens.statusOf('app', appName)?.expiresAt;
    return {
      appUserId,
      sdkUserId: encodeURIComponent(appUserId),
      token,
      tokenExpiresAt,
      sip: sipAddress(user.SipId, app.ExotelAccountSid),
    };
  }
}
