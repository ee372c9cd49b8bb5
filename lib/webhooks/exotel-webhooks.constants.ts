/** Injection token of the webhooks module's options with defaults applied. */
export const EXOTEL_WEBHOOKS_RESOLVED_OPTIONS = Symbol('EXOTEL_WEBHOOKS_RESOLVED_OPTIONS');
/** Injection token of the webhooks module's options as given. */
export const EXOTEL_WEBHOOKS_MODULE_OPTIONS = Symbol('EXOTEL_WEBHOOKS_MODULE_OPTIONS');
