import { BadRequestException, ConflictException, Injectable } from '@nestjs/common';
import {
  type ExotelCreatedApp,
  ExotelUnknownCredentialError,
  ExotelWebrtcClient,
  type RegisterAppDto,
  TokenService,
  type TokenStatus,
} from 'nestjs-exotel-webrtc';
import { InMemoryAppCredentials } from '../exotel/in-memory-app-credentials.js';
import { APP_NAME, slugOf } from './app-name.js';

/**
 * The registered app as the sample answers it: no `AppSecret` (the sample keeps it), and not the
 * caller's own Exotel API key and token.
 */
export type RegisteredApp = Omit<ExotelCreatedApp, 'AppSecret' | 'ExotelApiKey' | 'ExotelApiToken'>;

/** What `POST /apps` answers. */
export interface ManagedApp extends RegisteredApp {
  /** The name the library manages the app under: `?app=<name>` of the other routes. */
  name: string;
  /** Its row of `GET /tokens` (the first token is minted before the reply). */
  token?: TokenStatus;
  /** Where the AppID/AppSecret are kept. */
  credentials: string;
}

export const CREDENTIALS_NOTE =
  "AppID and AppSecret are kept in this server's memory only: a restart forgets them and the app is " +
  'then no longer managed. A real application keeps them in its database or secret manager.';

@Injectable()
export class AppsService {
  /** Names being registered right now: a second POST for the same name is refused, not a rotation. */
  private readonly registering = new Set<string>();

  constructor(
    private readonly client: ExotelWebrtcClient,
    private readonly tokens: TokenService,
    private readonly credentials: InMemoryAppCredentials,
  ) {}

  /**
   * Registers the app at Exotel (customer token), keeps its credentials in memory and manages it under
   * `name` (default: a slug of `AppName`). The name is checked before Exotel is called, so a refused
   * name never leaves an app at Exotel whose secret nobody kept.
   */
  async register(body: RegisterAppDto, requested?: unknown): Promise<ManagedApp> {
    const name = nameFor(body, requested);
    if (this.tokens.hasApp(name) || this.credentials.has(name) || this.registering.has(name))
      throw new ConflictException(
        `An app named '${name}' is already managed; pass another ?name= or DELETE /apps/${name} first`,
      );
    this.registering.add(name);
    try {
      const created = await this.client.apps.register(body);
      const { AppSecret, ExotelApiKey: _key, ExotelApiToken: _token, ...app } = created;
      const pair = { id: created.AppID, secret: AppSecret };
      // addApp first: if it refuses the pair, nothing is remembered.
      this.tokens.addApp(name, pair);
      this.credentials.remember(name, pair);
      // Joins the mint addApp started, so the reply (and GET /tokens) shows the app fresh; a failed
      // mint is reported in the row instead of failing a registration that did happen.
      await this.tokens.getToken('app', name).catch(() => undefined);
      return { ...app, name, token: this.tokens.statusOf('app', name), credentials: CREDENTIALS_NOTE };
    } finally {
      this.registering.delete(name);
    }
  }

  /**
   * Stops managing an app added by `POST /apps`: forgotten in the credential source first (so it is
   * not learned again), then its refresh stopped and its token dropped. The app stays at Exotel.
   */
  async remove(name: string): Promise<void> {
    if (!this.credentials.has(name)) {
      if (this.tokens.hasApp(name))
        throw new ConflictException(
          `App '${name.slice(0, 64)}' is configured in the server's options, not added by POST /apps; it is not removed here`,
        );
      throw new ExotelUnknownCredentialError(
        `No app '${name.slice(0, 64)}' was added by POST /apps (or it was removed, or the server restarted)`,
        { credential: `app:${name.slice(0, 64)}` },
      );
    }
    this.credentials.forget(name);
    await this.tokens.removeApp(name);
  }
}

function nameFor(body: RegisterAppDto, requested: unknown): string {
  if (requested !== undefined && requested !== '') {
    if (typeof requested === 'string' && APP_NAME.test(requested)) return requested;
    throw new BadRequestException(
      "?name= must be 1 to 64 letters, digits, _ . or - (the library's rule for app names)",
    );
  }
  const slug = slugOf((body as Partial<RegisterAppDto> | undefined)?.AppName);
  if (slug) return slug;
  throw new BadRequestException(
    'AppName (a non-empty string with letters or digits) is needed to name the app; or pass ?name=<name>',
  );
}
