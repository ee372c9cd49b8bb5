import { IsNotEmpty, IsString } from 'class-validator';
import { NON_EMPTY } from './messages.js';

/**
 * Body of `POST /app_setting` (exotel-api.md §3.9), e.g. `{ Key: 'callback', Value: 'https://…' }`.
 * @publicApi
 */
export class AddSettingDto {
  @IsString(NON_EMPTY)
  @IsNotEmpty(NON_EMPTY)
  Key!: string;

  /** Always a string; booleans are written `"true"` / `"false"`. */
  @IsString({ message: 'is required and must be a string' })
  Value!: string;
}
