import { Injectable } from '@nestjs/common';
import { type ExotelCredentialSource, type ExotelCredentials, exotelCredentials } from 'nestjs-exotel-webrtc';

/**
 * The AppID/AppSecret of every app registered through `POST /apps`, kept IN MEMORY ONLY: a restart
 * forgets them (and Exotel never hands an AppSecret out again). A real application keeps them in its
 * database or secret manager and answers `appCredentials()` from there, which is also how other
 * replicas learn an app one of them registered.
 *
 * Wired as the library's `credentialSource` (see `exotel-options.factory.ts`): the token service asks
 * it for an app name nobody configured or added. Being in memory, it answers only in this process.
 */
@Injectable()
export class InMemoryAppCredentials implements ExotelCredentialSource {
  private readonly apps = new Map<string, ExotelCredentials>();

  appCredentials(name: string): ExotelCredentials | undefined {
    return this.apps.get(name);
  }

  has(name: string): boolean {
    return this.apps.has(name);
  }

  /** Keeps the pair with a non-enumerable secret, so a log of this object cannot print it. */
  remember(name: string, { id, secret }: ExotelCredentials): void {
    this.apps.set(name, exotelCredentials(id, secret));
  }

  /** True when the name was known. */
  forget(name: string): boolean {
    return this.apps.delete(name);
  }
}
