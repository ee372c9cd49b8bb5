import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Max,
  Min,
  ValidateBy,
  ValidateIf,
} from 'class-validator';
import type { ExotelDomain } from './replies.js';
import { MAX_ID_LENGTH } from './validate-input.js';

// Constraint messages never echo the rejected value: it may be a secret such as an API token.
const NON_EMPTY = { message: 'is required and must be a non-empty string' };
const STRING = { message: 'must be a string' };
const BOOLEAN = { message: 'must be a boolean' };
const PAGE_SIZE = { message: 'must be an integer between 1 and 1000' };

/** At most MAX_ID_LENGTH characters; anything but a string passes, for IsString to report once. */
function IsShort(): PropertyDecorator {
  return ValidateBy({
    name: 'isShort',
    validator: {
      validate: (value: unknown) => typeof value !== 'string' || value.length <= MAX_ID_LENGTH,
      defaultMessage: () => `must be at most ${MAX_ID_LENGTH} characters`,
    },
  });
}

/** A required id, key, name or number: a non-empty string of at most MAX_ID_LENGTH characters. */
function IsId(): PropertyDecorator {
  return (target, key) => {
    IsString(NON_EMPTY)(target, key);
    IsNotEmpty(NON_EMPTY)(target, key);
    IsShort()(target, key);
  };
}

/**
 * Body of `POST /app`: registers an application under the customer.
 * @publicApi
 */
export class RegisterAppDto {
  @IsId()
  AppName!: string;

  @IsId()
  ExotelAccountSid!: string;

  @IsId()
  ExotelApiKey!: string;

  @IsId()
  ExotelApiToken!: string;

  /** Region of the Exotel account, lower-case as Exotel returns it. */
  @IsIn(['mumbai', 'singapore'], { message: "must be 'mumbai' or 'singapore'" })
  ExotelDomain!: ExotelDomain;

  @IsBoolean(BOOLEAN)
  IsActive!: boolean;
}

/**
 * Body of `POST /app_setting`, e.g. `{ Key: 'callback', Value: 'https://…' }`.
 * @publicApi
 */
export class AddSettingDto {
  @IsId()
  Key!: string;

  /** Always a string; booleans are written `"true"` / `"false"`. */
  @IsString({ message: 'is required and must be a string' })
  Value!: string;
}

/**
 * One user of the `POST /usermapping` body.
 * @publicApi
 */
export class RegisterUserDto {
  /** Your own user id (Exotel's SDKs use the e-mail address). */
  @IsId()
  AppUserId!: string;

  /** "FirstName LastName". */
  @IsId()
  AppUsername!: string;

  @IsId()
  Email!: string;

  @IsId()
  ExotelAccountSid!: string;

  @IsId()
  ExotelUserName!: string;

  /** ExoPhone used as caller id. */
  @IsId()
  VirtualNumber!: string;

  /** The agent's phone number (optional in the newer docs). */
  @IsOptional()
  @IsString(STRING)
  @IsShort()
  AgentNumber?: string;
}

// Exotel documents `last_value` as an integer but returns `LastEvaluatedValue` as a string: take both.
function IsPageCursor(): PropertyDecorator {
  return ValidateBy({
    name: 'isPageCursor',
    validator: {
      validate: (value: unknown) =>
        (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) ||
        (typeof value === 'string' && /^\d{1,15}$/.test(value)),
      defaultMessage: () =>
        'must be a non-negative integer, or the LastEvaluatedValue string of the previous page',
    },
  });
}

/**
 * Paging of `GET /usermapping`.
 * @publicApi
 */
export class ListUsersDto {
  /** Where the previous page ended: its `LastEvaluatedValue`, as returned. Default: the start. */
  @IsOptional()
  @IsPageCursor()
  lastValue?: number | string;

  /** Users per page; Exotel's default is 20. */
  @IsOptional()
  @IsInt(PAGE_SIZE)
  @Min(1, PAGE_SIZE)
  @Max(1000, PAGE_SIZE)
  pageSize?: number;
}

/**
 * Body of `PUT /device`: which device rings for a user.
 * @publicApi
 */
export class UpdateDeviceDto {
  /** The user's AppUserId. */
  @IsId()
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

/**
 * Body of `POST /call/outbound_call`: rings the mapped user, then dials `to`.
 * @publicApi
 */
export class OutboundCallDto {
  /** Number to dial. */
  @IsId()
  to!: string;

  /** AppUserId of the user placing the call. */
  @IsId()
  user_id!: string;

  /** Defaults to the CustomerID of the app (read with `GET /app`). */
  @IsOptional()
  @IsId()
  customer_id?: string;

  /** Defaults to the AppID of the app (read with `GET /app`). */
  @IsOptional()
  @IsId()
  app_id?: string;

  /** Echoed back in the status callback. */
  @IsOptional()
  @IsString(STRING)
  custom_field?: string;
}
