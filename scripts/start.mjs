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
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const root = join(import.meta.dirname, '..');
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const passthrough = process.argv.slice(2);

const build = spawnSync(npx, ['electron-vite', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
if (build.status !== 0) {
  console.error('The build failed; see the messages above.');
  process.exit(build.status ?? 1);
}

function electronBinary() {
  try {
    const pkg = createRequire(import.meta.url).resolve('electron/package.json');
    const dir = dirname(pkg);
    const pathFile = join(dir, 'path.txt');
    const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8') : null;
    // As node_modules/electron/index.js does: ELECTRON_OVERRIDE_DIST_PATH names a folder with the binary.
    if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
      const binary = join(process.env.ELECTRON_OVERRIDE_DIST_PATH, executable ?? (process.platform === 'win32' ? 'electron.exe' : 'electron'));
      return existsSync(binary) ? binary : null;
    }
    if (!executable) return null;
    const binary = join(dir, 'dist', executable);
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

function tryDownloadElectron() {
  try {
    const installer = join(dirname(createRequire(import.meta.url).resolve('electron/package.json')), 'install.js');
    return spawnSync(process.execPath, [installer], { cwd: root, stdio: 'ignore', timeout: 120_000 }).status === 0;
  } catch {
    return false;
  }
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
let binary = web ? null : electronBinary();
if (!binary && !web && tryDownloadElectron()) binary = electronBinary();
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
