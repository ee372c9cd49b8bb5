import { IsBoolean, IsIn, IsNotEmpty, IsString } from 'class-validator';
import type { ExotelDomain } from '../interfaces/exotel-app.interface.js';
import { BOOLEAN, NON_EMPTY } from './messages.js';

/**
 * Body of `POST /app` (exotel-api.md §3.5): registers an application under the customer.
 * @publicApi
 */
export class RegisterAppDto {
  @IsString(NON_EMPTY)
  @IsNotEmpty(NON_EMPTY)
  AppName!: string;

  @IsString(NON_EMPTY)
  @IsNotEmpty(NON_EMPTY)
  ExotelAccountSid!: string;

  @IsString(NON_EMPTY)
  @IsNotEmpty(NON_EMPTY)
  ExotelApiKey!: string;

  @IsString(NON_EMPTY)
  @IsNotEmpty(NON_EMPTY)
  ExotelApiToken!: string;

  /** Region of the Exotel account, lower-case as Exotel returns it. */
  @IsIn(['mumbai', 'singapore'], { message: "must be 'mumbai' or 'singapore'" })
  ExotelDomain!: ExotelDomain;

  @IsBoolean(BOOLEAN)
  IsActive!: boolean;
}
