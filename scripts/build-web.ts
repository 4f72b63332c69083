import { build } from 'esbuild';
import { join, resolve } from 'node:path';

/** The repository root (this file is scripts/build-web.ts, or dist/scripts/build-web.js once compiled). */
const ROOT = resolve(__dirname, __dirname.includes(`${join('dist', 'scripts')}`) ? '../..' : '..');

/** Where the browser pages' bundles go; the server serves them from there (src/web/pages.ts). */
export const WEB_OUT_DIR = join(ROOT, 'dist', 'web');

/**
 * Bundles the two browser pages with esbuild from the project's own npm dependencies (nothing is
 * fetched from a CDN, at build time or in the browser): the GraphQL explorer (GraphiQL, React,
 * the graphql-ws client) and the live status page. Output: `dist/web/{explorer,status}/*.{js,css}`.
 */
export async function buildWeb(outDir = WEB_OUT_DIR): Promise<void> {
  await build({
    absWorkingDir: ROOT,
    entryPoints: { 'explorer/explorer': 'web/explorer/explorer.tsx', 'status/status': 'web/status/status.ts' },
    outdir: outDir,
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2020'],
    platform: 'browser',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    loader: { '.woff': 'dataurl', '.woff2': 'dataurl', '.ttf': 'dataurl', '.svg': 'dataurl', '.png': 'dataurl' },
    legalComments: 'linked',
    logLevel: 'warning',
  });
}

if (require.main === module) {
  buildWeb().then(
    () => console.log(`web pages built into ${WEB_OUT_DIR}`),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
