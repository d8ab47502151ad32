// Two projects: fast pure unit tests beside the code, and end-to-end tests on real
// processes (hogs, hangs, kills). Benchmarks are not jest: `npm run bench` runs test/bench/run.mjs.
const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } }];
const common = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  // Jest's default "soft" globals cleanup wraps a plain global in a setter that calls
  // Reflect.set on itself: a test that timed out and kept running past teardown then dies of
  // "RangeError: Maximum call stack size exceeded … originalSetter", hiding the real failure.
  testEnvironmentOptions: { globalsCleanup: 'off' },
};
export default {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.test.ts'] },
    // A CLI start takes 0.3 s idle and several seconds on a loaded 2-core machine: jest's 5 s
    // default failed tests that only wait for leakhunt to refuse an input.
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e.test.ts'], testTimeout: 30_000 },
    // `npm run chaos` only (not npm test): faults injected into real hunts, one at a time.
    { ...common, displayName: 'chaos', testMatch: ['<rootDir>/test/chaos/**/*.chaos.test.ts'], testTimeout: 90_000 },
  ],
  // e2e tests measure memory and time of real processes: two at once on a 2-core machine.
  maxWorkers: 2,
  // Every test removes what it created: the suite fails when a temp dir, process or cgroup of it is left.
  globalSetup: '<rootDir>/test/hygiene/setup.mjs',
  globalTeardown: '<rootDir>/test/hygiene/teardown.mjs',
};
