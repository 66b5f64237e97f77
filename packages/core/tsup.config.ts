import { defineConfig } from 'tsup';

const entry = {
  index: 'src/index.ts',
  'http/index': 'src/http/index.ts',
  'testing/index': 'src/testing/index.ts',
};

export default defineConfig([
  {
    // ESM keeps one file per source module. With `sideEffects: false`, a bundler then drops every
    // module an app does not reach, top-level code included: an app (or a Worker) that imports
    // only classifyError or calculateBackoffDelay loads none of the zod schemas of createQueue,
    // the runner or the HTTP handler. In one bundled file, their construction would stay.
    entry: ['src/**/*.ts', '!src/**/__tests__/**', '!src/**/*.test.ts', '!src/**/*.test-d.ts'],
    format: ['esm'],
    bundle: false,
    dts: { entry },
    sourcemap: true,
    clean: true,
    target: 'es2022',
  },
  {
    // CommonJS (require() does not tree-shake): one bundled file per entry point.
    entry,
    format: ['cjs'],
    dts: true,
    sourcemap: true,
    target: 'es2022',
    treeshake: true,
  },
]);
