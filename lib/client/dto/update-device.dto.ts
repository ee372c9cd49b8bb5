import { IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, ValidateIf } from 'class-validator';
import { BOOLEAN, NON_EMPTY } from './messages.js';

/**
 * Body of `PUT /device` (exotel-api.md §3.15): which device rings for a user.
 * @publicApi
 */
export class UpdateDeviceDto {
  /** The user's AppUserId. */
  @IsString(NON_EMPTY)
  @IsNotEmpty(NON_EMPTY)
  UserId!: string;

  /** `phone` rings the phone, `sip` the browser. Required unless `DeviceStatus` is `false`. */
  @ValidateIf((o: UpdateDeviceDto) => o.DeviceStatus !== false || o.DeviceName !== undefined)
  @IsIn(['phone', 'sip'], { message: "must be 'phone' or 'sip' (required when turning a device on)" })
  DeviceName?: 'phone' | 'sip';

  /** `true` (default) turns the device on, `false` off. */
  @IsOptional()
  @IsBoolean(BOOLEAN)
  DeviceStatus?: boolean;
}
