import { IsInt, IsOptional, Max, Min, ValidateBy } from 'class-validator';

const PAGE_SIZE = { message: 'must be an integer between 1 and 1000' };

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
 * Paging of `GET /usermapping` (exotel-api.md §3.13).
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
