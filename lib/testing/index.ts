export { FakeExotelServer } from './fake-exotel-server.js';
export type {
  FakeExotelServerOptions,
  FakeFault,
  FakeRoute,
  RecordedRequest,
} from './fake-exotel-options.js';
export type { FakeAppInput, FakeCustomerInput, FakeDomain } from './fake-model.js';
export type { FakeUserMapping, FakeUserInput } from './fake-user-mapping.js';
export type { ExotelEnvelope } from './fake-envelope.js';
export { FAKE_SEED } from './fake-seed.js';
export { fingerprintToken } from './fake-recorder.js';
export { decryptSipSecret, encryptSipSecret, SIP_SECRET_KEY } from './sip-secret.js';
