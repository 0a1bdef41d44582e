#!/usr/bin/env node
/**
 * `npm start`: builds the app, then launches Electron. Where Electron's binary
 * is not available (it downloads on first run, which fails on machines with no
 * network), it says so in one line and starts the loopback web host instead.
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
    if (!existsSync(pathFile)) return null;
    const binary = join(process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(dir, 'dist'), readFileSync(pathFile, 'utf8'));
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

let binary = electronBinary();
if (!binary && process.env.SANDTABLE_WEB !== '1' && tryDownloadElectron()) binary = electronBinary();

if (binary && process.env.SANDTABLE_WEB !== '1') {
  const child = spawn(binary, [root, ...passthrough], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log('Electron is not available on this machine; starting the web host instead (open the address below in a browser).');
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src-main/hosts/web/main.ts'), ...passthrough], { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 0));
}
