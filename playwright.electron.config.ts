import { defineConfig } from '@playwright/test';

/**
 * `npm run test:electron` (scripts/test-electron.mjs): Playwright's _electron
 * against the built app (out/) in the installed Electron binary, with
 * better-sqlite3 for Electron's ABI. Needs a display (xvfb-run on Linux CI).
 */
export default defineConfig({
  testDir: 'tests/electron',
  outputDir: 'test-results/electron',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 180_000,
  expect: { timeout: 20_000 },
  reporter: [['list']],
});
