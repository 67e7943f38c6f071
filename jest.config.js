// Jest runs in its native ESM mode (NestJS 12 ships ESM only); @swc/jest compiles TypeScript
// with legacy decorators and decorator metadata, as tsc does for the build.
//
// A few CommonJS dependencies (@fastify/static) require() packages that are ESM-only. Node 20
// loads those natively, but Jest's own module system cannot before Node 24.9, so exactly those
// packages are compiled to CommonJS on the way in.
const esmOnlyRequiredFromCjs = ['content-disposition'];

/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.(t|j)s$': ['@swc/jest'] },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnlyRequiredFromCjs.join('|')})/)`],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  globalSetup: '<rootDir>/test/utils/global-setup.ts',
  globalTeardown: '<rootDir>/test/utils/global-teardown.ts',
  testTimeout: 30000,
};
