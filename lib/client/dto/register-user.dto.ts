import { IsNotEmpty, IsOptional, IsString } from 'class-validator';
import { NON_EMPTY, STRING } from './messages.js';

/**
 * One user of the `POST /usermapping` body (exotel-api.md §3.11).
 * @publicApi
 */
export class RegisterUserDto {
  /** Your own user id (Exotel's SDKs use the e-mail address). */
  @IsString(NON_EMPTY)
  @IsNotEmpty(NON_EMPTY)
  AppUserId!: string;

  /** "FirstName LastName". */
  @IsString(NON_EMPTY)
  @IsNotEmpty(NON_EMPTY)
  AppUsername!: string;

  @IsString(NON_EMPTY)
  @IsNotEmpty(NON_EMPTY)
  Email!: string;

  @IsString(NON_EMPTY)
  @IsNotEmpty(NON_EMPTY)
  ExotelAccountSid!: string;

  @IsString(NON_EMPTY)
  @IsNotEmpty(NON_EMPTY)
  ExotelUserName!: string;

  /** ExoPhone used as caller id. */
  @IsString(NON_EMPTY)
  @IsNotEmpty(NON_EMPTY)
  VirtualNumber!: string;

  /** The agent's phone number (optional in the newer docs). */
  @IsOptional()
  @IsString(STRING)
  AgentNumber?: string;
}
