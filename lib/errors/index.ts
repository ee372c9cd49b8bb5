export * from './exotel.error.js';
export * from './exotel-auth.error.js';
export * from './exotel-unavailable.error.js';
export * from './exotel-protocol.error.js';
export * from './exotel-config.error.js';
export * from './exotel-not-found.error.js';
export * from './exotel-request.error.js';
export * from './exotel-unknown-credential.error.js';
