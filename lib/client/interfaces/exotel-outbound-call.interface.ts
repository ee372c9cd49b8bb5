/**
 * The call object `POST /call/outbound_call` answers with (exotel-api.md §3.16).
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
