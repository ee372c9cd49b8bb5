import { ConflictException } from '@nestjs/common';
import { ExotelError, ExotelHttpService, ExotelUnavailableError } from 'nestjs-exotel-webrtc';

/**
 * Exotel's browser SDK stops when `GET /app_setting` answers 404, which it does while the app has no
 * setting. Checked with the raw ExotelHttpService: the library adds the token of app `app` (by
 * default `default`) to this plain axios call because it goes to baseUrl.
 */
export async function requireAppSettings(http: ExotelHttpService, app?: string): Promise<void> {
  let status: number;
  try {
    ({ status } = await http.axiosRef.get('/app_setting', { validateStatus: () => true, exotel: { app } }));
  } catch (error) {
    // The library's own errors (an app that is not managed: 404) keep their meaning.
    if (error instanceof ExotelError) throw error;
    // Axios errors leave the library with the Authorization header already redacted.
    throw new ExotelUnavailableError(`GET /app_setting failed: ${(error as Error).message}`);
  }
  if (status === 404) {
    throw new ConflictException(
      "The app has no settings, and Exotel's browser SDK stops on the 404 that GET /app_setting then answers; add one first",
    );
  }
  if (status !== 200)
    throw new ExotelUnavailableError(`GET /app_setting answered HTTP ${status}`, { httpStatus: status });
}
