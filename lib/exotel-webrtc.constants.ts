/** Injection token of the validated, defaulted options (`ResolvedExotelOptions`). */
export const EXOTEL_WEBRTC_RESOLVED_OPTIONS = Symbol('EXOTEL_WEBRTC_RESOLVED_OPTIONS');
/** Source of randomness for jitter (a provider so tests can make backoff deterministic). */
export const EXOTEL_WEBRTC_RANDOM = Symbol('EXOTEL_WEBRTC_RANDOM');
/** The module instance's own axios instance (one per `forRoot*` call; never the global one). */
export const EXOTEL_WEBRTC_AXIOS = Symbol('EXOTEL_WEBRTC_AXIOS');
