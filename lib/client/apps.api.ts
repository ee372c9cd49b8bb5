import { RegisterAppDto } from './dto.js';
import { asList, EndpointGroup } from './endpoint-group.js';
import type { ExotelApp, ExotelCreatedApp } from './replies.js';
import { validateInput } from './validate-input.js';

/**
 * Application endpoints (`/app`). `register` and `list` use the customer token; `get` and `delete` act
 * on the app whose token is sent (the bound app).
 * @publicApi
 */
export class ExotelAppsApi extends EndpointGroup {
  /**
   * `POST /app`: registers an app. The reply is the only one holding `AppSecret`: store it now, and
   * start managing the app with `TokenService.addApp(name, { id: app.AppID, secret: app.AppSecret })`.
   * `AppSecret` is not enumerable on the result, so logging or spreading the object leaves it out.
   */
  async register(input: RegisterAppDto): Promise<ExotelCreatedApp> {
    const body = validateInput(RegisterAppDto, input, 'POST /app');
    const app = await this.customerCall<ExotelCreatedApp>('POST', '/app', { body });
    if (app && typeof app === 'object' && 'AppSecret' in app) {
      Object.defineProperty(app, 'AppSecret', { value: app.AppSecret, enumerable: false });
    }
    return app;
  }

  /** `GET /app`: the bound app (no secrets). */
  async get(): Promise<ExotelApp> {
    return this.call<ExotelApp>('GET', '/app');
  }

  /** `GET /app?entity=customer`: every app of the customer. */
  async list(): Promise<ExotelApp[]> {
    return asList(
      await this.customerCall<ExotelApp[] | ExotelApp>('GET', '/app', { params: { entity: 'customer' } }),
    );
  }

  /** `DELETE /app`: deletes the bound app, irreversibly. Resolves to Exotel's message (`Deleted Successfully`). */
  async delete(): Promise<string> {
    return this.call<string>('DELETE', '/app', { allowEmptyData: true });
  }
}
