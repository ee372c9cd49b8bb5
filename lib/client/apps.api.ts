import { RegisterAppDto } from './dto/register-app.dto.js';
import type { ExotelCaller } from './exotel-caller.js';
import type { ExotelApp, ExotelCreatedApp } from './interfaces/exotel-app.interface.js';
import { validateInput } from './validate-input.js';

/**
 * Application endpoints (exotel-api.md §3.5-§3.8). `register` and `list` use the customer token; `get`
 * and `delete` act on the app whose token is sent (the bound app).
 * @publicApi
 */
export class ExotelAppsApi {
  constructor(
    private readonly caller: ExotelCaller,
    private readonly app: string,
  ) {}

  /** `POST /app`: registers an app. The reply is the only one holding `AppSecret`: store it now. */
  async register(input: RegisterAppDto): Promise<ExotelCreatedApp> {
    const body = validateInput(RegisterAppDto, input, 'POST /app');
    return (
      await this.caller.send<ExotelCreatedApp>({ method: 'POST', path: '/app', body, entity: 'customer' })
    ).data;
  }

  /** `GET /app`: the bound app (no secrets). */
  async get(): Promise<ExotelApp> {
    return (await this.caller.send<ExotelApp>({ method: 'GET', path: '/app', entity: 'app', app: this.app }))
      .data;
  }

  /** `GET /app?entity=customer`: every app of the customer. */
  async list(): Promise<ExotelApp[]> {
    const call = { method: 'GET', path: '/app', params: { entity: 'customer' }, entity: 'customer' } as const;
    const { data } = await this.caller.send<ExotelApp[] | ExotelApp>(call);
    return Array.isArray(data) ? data : [data];
  }

  /** `DELETE /app`: deletes the bound app, irreversibly. Resolves to Exotel's message (`Deleted Successfully`). */
  async delete(): Promise<string> {
    const call = {
      method: 'DELETE',
      path: '/app',
      entity: 'app',
      app: this.app,
      allowEmptyData: true,
    } as const;
    return (await this.caller.send<string>(call)).data;
  }
}
