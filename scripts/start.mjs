#!/usr/bin/env node
/**
 * `npm start`: builds the app, then launches Electron with better-sqlite3 for
 * Electron's ABI (obtained once into build/electron-native/<abi>/ by
 * scripts/electron-binding.ts; Node's own build in node_modules is never
 * touched). Where Electron's binary is not available (it downloads on first
 * run, which fails on machines with no network), or its SQLite binding cannot
 * be had, it says so in one line and starts the loopback web host instead.
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { electronBinary } from './electron-binary.mjs';

const root = join(import.meta.dirname, '..');
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const passthrough = process.argv.slice(2);

// npx.cmd needs a shell on Windows (Node refuses to spawn .cmd files directly since 20.12).
const build = spawnSync(npx, ['electron-vite', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], shell: process.platform === 'win32' });
if (build.status !== 0) {
  console.error('The build failed; see the messages above.');
  process.exit(build.status ?? 1);
}

/** better-sqlite3 for Electron's ABI: the one in build/electron-native if it fits, else fetched or compiled now. */
async function electronBinding() {
  const { tsImport } = await import('tsx/esm/api');
  const binding = await tsImport('./electron-binding.ts', import.meta.url);
  const native = await tsImport('../src-main/hosts/electron/native-binding.ts', import.meta.url);
  const choice = binding.ensureElectronBinding(root);
  return choice.ok ? { ok: true } : { ok: false, line: native.bindingFallbackLine(choice.reason) };
}

const web = process.env.SANDTABLE_WEB === '1';
let binary = web ? null : electronBinary(root).binary;
let fallback = web ? null : 'Electron is not available on this machine; starting the web host instead (open the address below in a browser).';
if (binary) {
  const binding = await electronBinding();
  if (binding.ok) fallback = null;
  else {
    binary = null;
    fallback = binding.line;
  }
}

if (binary) {
  const child = spawn(binary, [root, ...passthrough], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  if (fallback) console.log(fallback);
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src-main/hosts/web/main.ts'), ...passthrough], { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 0));
}
