import { defineConfig } from 'vitest/config';
import base from './vitest.config';

/**
 * `npm run test:browser`: the pages in headless Chromium (Debian's `chromium`, driven by
 * playwright-core). Kept out of `npm test` so the suite passes on a machine without a browser.
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['test/browser/**/*.test.ts'],
    exclude: [],
    globalSetup: ['test/browser/build-pages.ts'],
    testTimeout: 90_000,
    fileParallelism: false,
  },
});
