import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  Max,
  Min,
} from 'class-validator';

const NON_EMPTY = { message: 'must be a non-empty string' };
const POSITIVE_INT = { message: 'must be a positive integer (milliseconds)' };

/** class-validator schema of one Id/Secret pair. Messages never echo the value. */
export class CredentialsSchema {
  @IsString(NON_EMPTY)
  @IsNotEmpty(NON_EMPTY)
  id!: string;

  @IsString(NON_EMPTY)
  @IsNotEmpty(NON_EMPTY)
  secret!: string;
}

/** class-validator schema of the scalar options; credentials and cross-field rules are checked beside it. */
export class OptionsSchema {
  @IsOptional()
  @IsString(NON_EMPTY)
  @IsNotEmpty(NON_EMPTY)
  baseUrl?: string;

  @IsOptional()
  @IsInt(POSITIVE_INT)
  @Min(1, POSITIVE_INT)
  tokenTtlMs?: number;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'must be a number between 0.05 and 0.95' })
  @Min(0.05, { message: 'must be a number between 0.05 and 0.95' })
  @Max(0.95, { message: 'must be a number between 0.05 and 0.95' })
  refreshAtRatio?: number;

  @IsOptional()
  @IsInt({ message: 'must be a non-negative integer (milliseconds)' })
  @Min(0, { message: 'must be a non-negative integer (milliseconds)' })
  minRefreshLeadMs?: number;

  @IsOptional()
  @IsInt({ message: 'must be a non-negative integer (milliseconds)' })
  @Min(0, { message: 'must be a non-negative integer (milliseconds)' })
  refreshJitterMs?: number;

  @IsOptional()
  @IsInt(POSITIVE_INT)
  @Min(1, POSITIVE_INT)
  retryBaseDelayMs?: number;

  @IsOptional()
  @IsInt(POSITIVE_INT)
  @Min(1, POSITIVE_INT)
  retryMaxDelayMs?: number;

  @IsOptional()
  @IsIn(['raw', 'Bearer'], { message: "must be 'raw' or 'Bearer'" })
  authScheme?: 'raw' | 'Bearer';

  @IsOptional()
  @IsInt(POSITIVE_INT)
  @Min(1, POSITIVE_INT)
  requestTimeoutMs?: number;

  @IsOptional()
  @IsInt({ message: 'must be a positive integer (bytes)' })
  @Min(1, { message: 'must be a positive integer (bytes)' })
  maxResponseBytes?: number;

  @IsOptional()
  @IsBoolean({ message: 'must be a boolean' })
  eager?: boolean;

  @IsOptional()
  @IsInt(POSITIVE_INT)
  @Min(1, POSITIVE_INT)
  leaseTtlMs?: number;

  @IsOptional()
  @IsInt(POSITIVE_INT)
  @Min(1, POSITIVE_INT)
  unauthorizedBreakerThreshold?: number;

  @IsOptional()
  @IsInt({ message: 'must be a non-negative integer (milliseconds)' })
  @Min(0, { message: 'must be a non-negative integer (milliseconds)' })
  unauthorizedBreakerCooldownMs?: number;

  @IsOptional()
  @IsInt(POSITIVE_INT)
  @Min(1, POSITIVE_INT)
  @Max(1_000, { message: 'must be at most 1000' })
  maxConcurrentMints?: number;

  @IsOptional()
  @IsInt({ message: 'must be a non-negative integer (milliseconds)' })
  @Min(0, { message: 'must be a non-negative integer (milliseconds)' })
  idleAppEvictionMs?: number;
}
