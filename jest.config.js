// Three depths run in order: unit (pure, milliseconds), int (real Kafka / database / Redis /
// SMTP started by scripts/infra.sh), e2e (services as real processes over HTTP and gRPC).
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];
const common = {
  transform: { '^.+\\.ts$': swc },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: { '^@enclave/(proto|platform|eventing|testing|session|privacy)$': '<rootDir>/libs/$1/src' },
  testEnvironment: 'node',
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.enclave/'],
};
module.exports = {
  // A global option (jest ignores it inside projects): long enough for real brokers; unit tests
  // finish in milliseconds anyway, and a hang still fails.
  testTimeout: 60000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{libs,services,loadtests}/**/*.unit.spec.ts'] },
    { ...common, displayName: 'int', testMatch: ['<rootDir>/{libs,services,charts}/**/*.int.spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/{services,tests}/**/*.e2e.spec.ts'] },
  ],
};
