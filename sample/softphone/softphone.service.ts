import { ConflictException, Injectable } from '@nestjs/common';
import { ExotelNotFoundError, ExotelWebrtcClient, TokenService } from 'nestjs-exotel-webrtc';
import { DEFAULT_APP } from '../apps/app-name.js';

/** Where a browser softphone registers: `sip:<user>` at `<ExotelAccountSid>.voip.exotel.com` (the domain Exotel's browser SDK registers with). */
export interface SipAddress {
  /** `sip:<user>`, as the user mapping's `SipId`. */
  id: string;
  user: string;
  domain: string;
}

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
  ) {}

  /** For `appUserId` of app `appName` (`default`, or an app added by `POST /apps`). */
  async bootstrap(appUserId: string, appName = DEFAULT_APP): Promise<SoftphoneBootstrap> {
    const scope = this.client.app(appName);
    // The same three reads the SDK makes at start-up, so a browser is never sent off to fail.
    const [app, user] = await Promise.all([
      scope.apps.get(),
      scope.users.get(appUserId),
      this.requireSettings(appName),
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
      // Exotel's SDK takes the part after ':' as the SIP user.
      sip: {
        id: user.SipId,
        user: user.SipId.slice(user.SipId.indexOf(':') + 1),
        domain: `${app.ExotelAccountSid}.voip.exotel.com`,
      },
    };
  }

  /**
   * Exotel's browser SDK stops when `GET /app_setting` answers 404, which Exotel does while the app has
   * no setting. Refused here instead, with Exotel's 404 as the cause, so the body keeps its RequestId.
   */
  private async requireSettings(appName: string): Promise<void> {
    try {
      await this.client.app(appName).settings.list();
    } catch (error) {
      if (!(error instanceof ExotelNotFoundError)) throw error;
      throw new ConflictException(
        "The app has no settings, and Exotel's browser SDK stops on the 404 that GET /app_setting then answers; add one first",
        { cause: error },
      );
    }
  }
}
