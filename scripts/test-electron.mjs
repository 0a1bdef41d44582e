#!/usr/bin/env node
/**
 * `npm run test:electron`: Playwright's _electron against the built app
 * (tests/electron/, playwright.electron.config.ts) in the installed Electron,
 * with better-sqlite3 for Electron's ABI (scripts/electron-binding.ts).
 *
 * Where there is no Electron binary (it could not be downloaded), it prints one
 * line, `skipped: no Electron binary (…)`, and exits 0 (1 with
 * SANDTABLE_ELECTRON_REQUIRED=1, as in the desktop workflow). Where there is one but
 * its SQLite binding cannot be had, that is a failure: on a machine that could
 * download Electron, it must be obtainable.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { electronBinary } from './electron-binary.mjs';

const root = join(import.meta.dirname, '..');
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

const { binary, reason } = electronBinary(root);
if (!binary) {
  console.log(`skipped: no Electron binary (${reason})`);
  // Where Electron must be there (the desktop workflow sets SANDTABLE_ELECTRON_REQUIRED=1), a skip is a failure.
  process.exit(process.env.SANDTABLE_ELECTRON_REQUIRED === '1' ? 1 : 0);
}

const { tsImport } = await import('tsx/esm/api');
const { ensureElectronBinding } = await tsImport('./electron-binding.ts', import.meta.url);
const binding = ensureElectronBinding(root);
if (!binding.ok) {
  console.error(`test:electron: ${binding.reason}`);
  process.exit(1);
}

if (!existsSync(join(root, 'out', 'main', 'index.js')) || process.env.SANDTABLE_BUILD !== '0') {
  const build = spawnSync(npx, ['electron-vite', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], shell: process.platform === 'win32' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const run = spawnSync(npx, ['playwright', 'test', '-c', 'playwright.electron.config.ts', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  shell: process.platform === 'win32',
  env: { ...process.env, SANDTABLE_ELECTRON_BINARY: binary },
});
process.exit(run.status ?? 1);
