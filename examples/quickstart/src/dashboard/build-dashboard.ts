/**
 * Bundles the dashboard page (React, `@redrive/react` and its stylesheet) for the browser with
 * esbuild, in memory, when the demo starts (~1 s): a fresh clone needs no build step before
 * `npm run demo`, and the workspace packages are bundled from their TypeScript sources.
 */
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

/** The built files, by URL path. */
export type Assets = Map<string, { body: Uint8Array<ArrayBuffer>; type: string }>;

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));

// Workspace packages resolve to their sources (their `exports` point at dist/, built only by `npm test`),
// and React always to the demo's own copy: two copies in one page break its hooks.
const workspaceSources: Plugin = {
  name: 'workspace-sources',
  setup(b) {
    b.onResolve({ filter: /^react(-dom)?(\/.*)?$/ }, async (args) => {
      if (args.pluginData === 'demo-react') return undefined;
      return b.resolve(args.path, { kind: args.kind, resolveDir: here, pluginData: 'demo-react' });
    });
    b.onResolve({ filter: /^@redrive\/react\/styles\.css$/ }, () => ({
      path: `${root}packages/react/src/styles.css`,
    }));
    b.onResolve({ filter: /^@redrive\/(core|react)(\/client|\/http)?$/ }, (args) => {
      const [, pkg, sub] = args.path.match(/^@redrive\/(core|react)(\/client|\/http)?$/)!;
      return { path: `${root}packages/${pkg}/src${sub ?? ''}/index.ts` };
    });
  },
};

/** Builds `/assets/dashboard.js` and `/assets/dashboard.css`; rejects with esbuild's errors. */
export async function buildDashboard(): Promise<Assets> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./app.tsx', import.meta.url))],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    jsx: 'automatic',
    outdir: '/assets',
    entryNames: 'dashboard',
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [workspaceSources],
    logLevel: 'silent',
  });
  const assets: Assets = new Map();
  for (const file of result.outputFiles) {
    const type = file.path.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8';
    assets.set(file.path, { body: file.contents as Uint8Array<ArrayBuffer>, type });
  }
  return assets;
}
