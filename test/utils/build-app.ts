import { transformFile } from '@swc/core';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

function sources(dir: string, ext = '.ts'): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path, ext);
    return entry.name.endsWith(ext) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/**
 * Compiles `src/` and `migrations/` to CommonJS in a temporary directory (and copies the JSON of `src/`), the way `npm run build`
 * lays them out (`<dir>/src/main.js`), with swc instead of tsc so process-level tests start in about a
 * second. Returns the directory and its removal.
 */
export async function buildApp(): Promise<{ dir: string; main: string; remove: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'hub-build-'));
  const files = [...sources(join(ROOT, 'src')), ...sources(join(ROOT, 'migrations'))];
  await Promise.all(
    files.map(async (file) => {
      const { code } = await transformFile(file, {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
        sourceMaps: false,
      });
      const out = join(dir, relative(ROOT, file)).replace(/\.ts$/, '.js');
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, code);
    }),
  );
  // JSON the sources import (the message catalogs) is copied as tsc's resolveJsonModule emits it
  for (const file of sources(join(ROOT, 'src'), '.json')) {
    const out = join(dir, relative(ROOT, file));
    mkdirSync(dirname(out), { recursive: true });
    copyFileSync(file, out);
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return { dir, main: join(dir, 'src', 'main.js'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}
