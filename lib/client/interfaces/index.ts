export * from './exotel-app.interface.js';
export * from './exotel-app-setting.interface.js';
export * from './exotel-customer.interface.js';
export * from './exotel-outbound-call.interface.js';
export * from './exotel-user-mapping.interface.js';
