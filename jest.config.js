/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Reliability tests that need more than a minute (*.soak.test.ts) run under `npm run test:soak`.
  testPathIgnorePatterns: process.env.EEN_SOAK === '1' ? ['/node_modules/'] : ['/node_modules/', '\\.soak\\.test\\.ts$'],
  transform: {
    // Type-checking is its own CI step (npm run typecheck); with isolatedModules in tsconfig,
    // ts-jest only transpiles, which keeps the suite fast.
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
  },
  testTimeout: 30000,
  // Every log line the services write is copied aside; the teardown fails the run if a
  // configured secret appears in one (test/helpers/log-capture.ts).
  globalSetup: '<rootDir>/test/log-scan/setup.ts',
  globalTeardown: '<rootDir>/test/log-scan/teardown.ts',
  // Integration tests share one PostgreSQL and bind ports; two workers keep a 2-core machine responsive.
  maxWorkers: 2,
};
