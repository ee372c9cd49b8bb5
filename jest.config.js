/** Jest 30 in ESM mode (Nest 12 ships ESM only); run through `npm test`, which sets --experimental-vm-modules. */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/lib', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  // Apps of their own, with their own runners: `npm run test:consumers`.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/consumers/'],
  modulePathIgnorePatterns: ['<rootDir>/test/consumers/'],
  extensionsToTreatAsEsm: ['.ts'],
  setupFiles: ['reflect-metadata'],
  // Whole-suite log guard: fails a test file whose log lines contain a secret or token it used.
  setupFilesAfterEnv: ['<rootDir>/test/support/log-guard.ts'],
  globalSetup: '<rootDir>/test/global-setup.js',
  moduleNameMapper: {
    '^nestjs-exotel-webrtc$': '<rootDir>/lib/index.ts',
    '^nestjs-exotel-webrtc/testing$': '<rootDir>/lib/testing/index.ts',
    '^nestjs-exotel-webrtc/redis$': '<rootDir>/lib/redis/index.ts',
    '^nestjs-exotel-webrtc/webhooks$': '<rootDir>/lib/webhooks/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  testTimeout: 30000,
};
