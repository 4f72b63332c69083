import swc from 'unplugin-swc';
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [
    // esbuild drops decorator metadata, which type-graphql and MikroORM read: compile with swc instead
    swc.vite({
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
      },
    }),
  ],
  resolve: {
    // type-graphql loads graphql's CommonJS build; keep vitest on the same copy
    alias: { graphql: 'graphql/index.js' },
  },
  test: {
    setupFiles: ['reflect-metadata'],
    include: ['test/**/*.test.ts'],
    // headless Chromium: `npm run test:browser` (vitest.browser.config.ts)
    exclude: [...configDefaults.exclude, 'test/browser/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
