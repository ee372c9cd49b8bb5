import { IsIn, ValidateBy, ValidateIf } from 'class-validator';

/** Longest text field accepted; far above any real id, number or recording URL list. */
const MAX_TEXT = 4_096;

const absent = (value: unknown): boolean => value === undefined || value === null || value === '';

/** A string (empty allowed), `null` or absent: Exotel fills unknown fields either way. */
function IsOptionalText(): PropertyDecorator {
  return ValidateBy({
    name: 'isOptionalText',
    validator: {
      validate: (value: unknown) => absent(value) || (typeof value === 'string' && value.length <= MAX_TEXT),
      defaultMessage: () => `must be a string of at most ${MAX_TEXT} characters, or null`,
    },
  });
}

/** The id of the call: every notification of one call carries it, so it is what dedupe keys on. */
function IsCallSid(): PropertyDecorator {
  return ValidateBy({
    name: 'isCallSid',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && value.trim() !== '' && value.length <= 256,
      defaultMessage: () => 'is required and must be a non-empty string of at most 256 characters',
    },
  });
}

/** Seconds as a number or a numeric string; `""`, `null` or absent while unknown. */
function IsDuration(): PropertyDecorator {
  return ValidateBy({
    name: 'isDuration',
    validator: {
      validate: (value: unknown) =>
        absent(value) ||
        (typeof value === 'number' && Number.isFinite(value) && value >= 0) ||
        (typeof value === 'string' && /^\s*\d{1,9}(\.\d+)?\s*$/.test(value)),
      defaultMessage: () => 'must be a non-negative number of seconds (or a numeric string), "" or null',
    },
  });
}

/**
 * One call notification as Exotel POSTs it; the four kinds share this documented field set. Only
 * types are checked, loosely where Exotel is loose (`TotalDuration` may be `""`, timestamps are
 * strings whose format varies), because a notification refused here is one Exotel keeps resending.
 * Messages never quote a value: most fields are phone numbers.
 */
export class ExotelCallNotificationDto {
  @IsCallSid()
  CallSid!: string;

  @ValidateIf((_object, value) => !absent(value))
  @IsIn(['active', 'terminal'], { message: "must be 'active' or 'terminal'" })
  CallState?: string;

  @IsOptionalText() CustomerId?: string | null;
  @IsOptionalText() AppId?: string | null;
  @IsOptionalText() ExotelAccountSid?: string | null;
  @IsOptionalText() DialWhomNumber?: string | null;
  @IsOptionalText() AppUserID?: string | null;
  @IsOptionalText() VirtualNumber?: string | null;
  @IsOptionalText() Direction?: string | null;
  @IsOptionalText() CallStatus?: string | null;
  @IsOptionalText() ToNumber?: string | null;
  @IsOptionalText() FromNumber?: string | null;
  @IsDuration() TotalDuration?: number | string | null;
  @IsOptionalText() CallRecordings?: string | null;
  @IsOptionalText() AccountDomain?: string | null;
  @IsOptionalText() TicketId?: string | null;
  @IsOptionalText() StartTime?: string | null;
  @IsOptionalText() EndTime?: string | null;
  @IsOptionalText() CreatedAt?: string | null;
  @IsOptionalText() UpdatedAt?: string | null;
  /** Free-form (e.g. `"recording_stop_success"` or null): passed through as it came. */
  CallDetail?: unknown;
}
