/**
 * A user mapping (exotel-api.md §3.12). `SipSecret` is encrypted on the wire (hex IV + AES-256-CFB) and
 * is a credential: never log it or hand it to anyone but that user's browser.
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
 * One page of `GET /usermapping?last_value=&page_size=` (§3.13).
 * @publicApi
 */
export interface ExotelUserPage {
  Users: ExotelUserMapping[];
  PageSize: number;
  /** Pass it back as `lastValue` for the next page. Exotel sends it as a string (e.g. `"21"`). */
  LastEvaluatedValue: string;
}
