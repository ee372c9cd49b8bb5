import { ListUsersDto } from './dto/list-users.dto.js';
import { RegisterUserDto } from './dto/register-user.dto.js';
import type { ExotelCaller } from './exotel-caller.js';
import type { ExotelUserMapping, ExotelUserPage } from './interfaces/exotel-user-mapping.interface.js';
import { requireText } from './require-text.js';
import { validateInput, validateInputList } from './validate-input.js';

/**
 * User mappings of the bound app (exotel-api.md §3.11-§3.14); app token.
 * @publicApi
 */
export class ExotelUsersApi {
  constructor(
    private readonly caller: ExotelCaller,
    private readonly app: string,
  ) {}

  /** `POST /usermapping`: maps one or more users (a non-empty array); Exotel refuses duplicates with 400. */
  async register(users: RegisterUserDto[]): Promise<ExotelUserMapping[]> {
    const body = validateInputList(RegisterUserDto, users, 'POST /usermapping');
    const { data } = await this.caller.send<ExotelUserMapping[] | ExotelUserMapping>({
      method: 'POST',
      path: '/usermapping',
      body,
      entity: 'app',
      app: this.app,
    });
    return Array.isArray(data) ? data : [data];
  }

  /** `GET /usermapping?user_id=`: one user; `ExotelNotFoundError` when not mapped. */
  async get(appUserId: string): Promise<ExotelUserMapping> {
    requireText(appUserId, 'appUserId', 'GET /usermapping');
    const call = {
      method: 'GET',
      path: '/usermapping',
      params: { user_id: appUserId },
      entity: 'app',
      app: this.app,
    } as const;
    const { data } = await this.caller.send<ExotelUserMapping | ExotelUserMapping[]>(call);
    // One integrator saw an array here; Exotel's SDK reads a single object.
    return Array.isArray(data) ? data[0] : data;
  }

  /** `GET /usermapping?last_value=&page_size=`: one page; pass `LastEvaluatedValue` back as `lastValue`. */
  async list(page: ListUsersDto = {}): Promise<ExotelUserPage> {
    const { lastValue, pageSize } = validateInput(ListUsersDto, page, 'GET /usermapping');
    const params: Record<string, string | number> = {};
    if (lastValue !== undefined) params.last_value = lastValue;
    if (pageSize !== undefined) params.page_size = pageSize;
    const { data } = await this.caller.send<ExotelUserPage>({
      method: 'GET',
      path: '/usermapping',
      params,
      entity: 'app',
      app: this.app,
    });
    return { ...data, Users: data.Users ?? [], LastEvaluatedValue: String(data.LastEvaluatedValue ?? '') };
  }

  /** `DELETE /usermapping`: unmaps every user of the app. Resolves to Exotel's message. */
  async deleteAll(): Promise<string> {
    const call = {
      method: 'DELETE',
      path: '/usermapping',
      entity: 'app',
      app: this.app,
      allowEmptyData: true,
    } as const;
    return (await this.caller.send<string>(call)).data;
  }
}
