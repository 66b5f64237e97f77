import { copyFileSync, mkdirSync } from 'node:fs';
import { defineConfig } from 'tsup';

// The React entry starts with `'use client'` (Next.js reads the first statement of the file). Rollup's
// tree-shaking pass would drop that banner, so only esbuild's (which keeps it) runs there. The
// framework-free client entry has no directive: server components may call it.
export default defineConfig([
  {
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: false,
    target: 'es2022',
    treeshake: false,
    external: ['react', 'react-dom', 'react/jsx-runtime', '@redrive/core'],
    banner: { js: "'use client';" },
    onSuccess: async () => {
      mkdirSync('dist', { recursive: true });
      copyFileSync('src/styles.css', 'dist/styles.css');
    },
  },
  {
    entry: { 'client/index': 'src/client/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: false,
    target: 'es2022',
    treeshake: true,
    external: ['@redrive/core'],
  },
]);
