/**
 * One app setting (exotel-api.md §3.9, §3.10). Known keys: `popup`, `incomingCallHangup`, `missedCall`,
 * `callback`, `record`, `streaming`, `playback`; values are strings (booleans as `"true"`).
 * @publicApi
 */
export interface ExotelAppSetting {
  CustomerID: string;
  AppID: string;
  Key: string;
  Value: string;
}
