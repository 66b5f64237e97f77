import { defineConfig } from 'tsup';

const entry = {
  index: 'src/index.ts',
  'http/index': 'src/http/index.ts',
  'testing/index': 'src/testing/index.ts',
};

// The published types are the public API: a member or type marked `@internal` (the runner's
// host interface, its run state) is dropped from every .d.ts, so no app can come to depend on it.
// scripts/check-dts-surface.mjs fails the package checks if one is still there.
const dts = { entry, compilerOptions: { stripInternal: true } };

export default defineConfig([
  {
    // ESM keeps one file per source module. With `sideEffects: false`, a bundler then drops every
    // module an app does not reach, top-level code included: an app (or a Worker) that imports
    // only classifyError or calculateBackoffDelay loads none of the zod schemas of createQueue,
    // the runner or the HTTP handler. In one bundled file, their construction would stay.
    entry: ['src/**/*.ts', '!src/**/__tests__/**', '!src/**/*.test.ts', '!src/**/*.test-d.ts'],
    format: ['esm'],
    bundle: false,
    dts,
    sourcemap: true,
    clean: true,
    target: 'es2022',
  },
  {
    // CommonJS (require() does not tree-shake): one bundled file per entry point.
    entry,
    format: ['cjs'],
    dts,
    sourcemap: true,
    target: 'es2022',
    treeshake: true,
  },
]);
