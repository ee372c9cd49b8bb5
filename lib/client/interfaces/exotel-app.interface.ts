/** Exotel regions an application can be bound to. @publicApi */
export type ExotelDomain = 'mumbai' | 'singapore';

/**
 * An application as `GET /app` returns it (exotel-api.md §3.6, §3.7): no secret, API key or API token.
 * @publicApi
 */
export interface ExotelApp {
  AppID: string;
  CustomerID: string;
  AppName: string;
  ExotelAccountSid: string;
  ExotelDomain: ExotelDomain | string;
  IsActive: boolean;
  CreatedAt: string;
  UpdatedAt: string;
}

/**
 * The reply of `POST /app` (§3.5): the only time `AppSecret`, `ExotelApiKey` and `ExotelApiToken` are
 * returned, so store `AppID`/`AppSecret` now.
 * @publicApi
 */
export interface ExotelCreatedApp extends ExotelApp {
  AppSecret: string;
  ExotelApiKey: string;
  ExotelApiToken: string;
}
