import { IsNotEmpty, IsOptional, IsString } from 'class-validator';
import { NON_EMPTY, STRING } from './messages.js';

/**
 * Body of `POST /call/outbound_call` (exotel-api.md §3.16): rings the mapped user, then dials `to`.
 * @publicApi
 */
export class OutboundCallDto {
  /** Number to dial. */
  @IsString(NON_EMPTY)
  @IsNotEmpty(NON_EMPTY)
  to!: string;

  /** AppUserId of the user placing the call. */
  @IsString(NON_EMPTY)
  @IsNotEmpty(NON_EMPTY)
  user_id!: string;

  /** Defaults to the CustomerID of the app (read with `GET /app`). */
  @IsOptional()
  @IsString(NON_EMPTY)
  @IsNotEmpty(NON_EMPTY)
  customer_id?: string;

  /** Defaults to the AppID of the app (read with `GET /app`). */
  @IsOptional()
  @IsString(NON_EMPTY)
  @IsNotEmpty(NON_EMPTY)
  app_id?: string;

  /** Echoed back in the status callback. */
  @IsOptional()
  @IsString(STRING)
  custom_field?: string;
}
