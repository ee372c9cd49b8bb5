/** Exotel regions an application can be bound to. @publicApi */
export type ExotelDomain = 'mumbai' | 'singapore';

/**
 * The customer account, as `GET /customer` returns it. Exotel returns the secret too: treat the whole
 * object as confidential.
 * @publicApi
 */
export interface ExotelCustomer {
  CustomerID: string;
  CustomerSecret: string;
  CustomerName: string;
  Email: string;
  CustomerSetting: unknown;
  CreatedAt: string;
  UpdatedAt: string;
  DeletedAt: boolean;
}

/**
 * An application as `GET /app` returns it: no secret, API key or API token.
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
 * The reply of `POST /app`: the only time `AppSecret`, `ExotelApiKey` and `ExotelApiToken` are
 * returned, so store `AppID`/`AppSecret` now.
 * @publicApi
 */
export interface ExotelCreatedApp extends ExotelApp {
  AppSecret: string;
  ExotelApiKey: string;
  ExotelApiToken: string;
}

/**
 * One app setting (`/app_setting`). Known keys: `popup`, `incomingCallHangup`, `missedCall`, `callback`,
 * `record`, `streaming`, `playback`; values are strings (booleans as `"true"`).
 * @publicApi
 */
export interface ExotelAppSetting {
  CustomerID: string;
  AppID: string;
  Key: string;
  Value: string;
}

/**
 * A user mapping (`/usermapping`). `SipSecret` is encrypted on the wire (hex IV + AES-256-CFB) and is a
 * credential: never log it or hand it to anyone but that user's browser.
 * @publicApi
 */
export interface ExotelUserMapping {
  CustomerId: string;
  AppID: string;
  AppUserId: string;
  ExotelAccountSid: string;
  ExotelUserId: string;
  AppUsername: string;
  ExotelUserName: string;
  AgentNumber: string;
  /** `""` when no device is active; compare with `PhoneDeviceID` / `SipDeviceID`. */
  ActiveDeviceId: string;
  PhoneDeviceID: string;
  SipDeviceID: string;
  VirtualNumber: string;
  Email: string;
  OutboundActive: boolean;
  Role: string;
  /** `sip:<username>`. */
  SipId: string;
  SipSecret: string;
  IsActive: boolean;
  UserDetail: unknown;
  CreatedAt: string;
  UpdatedAt: string;
}

/**
 * One page of `GET /usermapping?last_value=&page_size=`.
 * @publicApi
 */
export interface ExotelUserPage {
  Users: ExotelUserMapping[];
  PageSize: number;
  /** Pass it back as `lastValue` for the next page. Exotel sends it as a string (e.g. `"21"`). */
  LastEvaluatedValue: string;
}

/**
 * The call object `POST /call/outbound_call` answers with.
 * @publicApi
 */
export interface ExotelOutboundCall {
  CustomerId: string;
  AppId: string;
  CallSid: string;
  ExotelAccountSid: string;
  DialWhomNumber: string;
  AppUserID: string;
  VirtualNumber: string;
  Direction: string;
  CallStatus: string;
  /** `active` until the call is over and processed, then `terminal`. */
  CallState: string;
  ToNumber: string;
  FromNumber: string;
  TotalDuration: number | string;
  CallRecordings: string;
  AccountDomain: string;
  TicketId: string;
  CallDetail: unknown;
  CreatedAt: string;
  UpdatedAt: string;
}
