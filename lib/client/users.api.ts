import { ListUsersDto, RegisterUserDto } from './dto.js';
import { asList, EndpointGroup } from './endpoint-group.js';
import type { ExotelUserMapping, ExotelUserPage } from './replies.js';
import { requireId, validateInput, validateInputList } from './validate-input.js';

/**
 * User mappings of the bound app (`/usermapping`); app token.
 * @publicApi
 */
export class ExotelUsersApi extends EndpointGroup {
  /** `POST /usermapping`: maps one or more users (a non-empty array); Exotel refuses duplicates with 400. */
  async register(users: RegisterUserDto[]): Promise<ExotelUserMapping[]> {
    const body = validateInputList(RegisterUserDto, users, 'POST /usermapping');
    return asList(await this.call<ExotelUserMapping[] | ExotelUserMapping>('POST', '/usermapping', { body }));
  }

  /** `GET /usermapping?user_id=`: one user; `ExotelNotFoundError` when not mapped. */
  async get(appUserId: string): Promise<ExotelUserMapping> {
    requireId(appUserId, 'appUserId', 'GET /usermapping');
    const params = { user_id: appUserId };
    const data = await this.call<ExotelUserMapping | ExotelUserMapping[]>('GET', '/usermapping', { params });
    // One integrator saw an array here; Exotel's SDK reads a single object.
    return Array.isArray(data) ? data[0] : data;
  }

  /** `GET /usermapping?last_value=&page_size=`: one page; pass `LastEvaluatedValue` back as `lastValue`. */
  async list(page: ListUsersDto = {}): Promise<ExotelUserPage> {
    const { lastValue, pageSize } = validateInput(ListUsersDto, page, 'GET /usermapping');
    const params: Record<string, string | number> = {};
    if (lastValue !== undefined) params.last_value = lastValue;
    if (pageSize !== undefined) params.page_size = pageSize;
    const data = await this.call<ExotelUserPage>('GET', '/usermapping', { params });
    return { ...data, Users: data.Users ?? [], LastEvaluatedValue: String(data.LastEvaluatedValue ?? '') };
  }

  /** `DELETE /usermapping`: unmaps every user of the app. Resolves to Exotel's message. */
  async deleteAll(): Promise<string> {
    return this.call<string>('DELETE', '/usermapping', { allowEmptyData: true });
  }
}
