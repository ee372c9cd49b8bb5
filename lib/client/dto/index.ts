export * from './add-setting.dto.js';
export * from './list-users.dto.js';
export * from './outbound-call.dto.js';
export * from './register-app.dto.js';
export * from './register-user.dto.js';
export * from './update-device.dto.js';
