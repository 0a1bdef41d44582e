/**
 * Where the installed Electron's binary is, the way node_modules/electron/index.js
 * finds it, but without its download-or-throw: `npm start` and
 * `npm run test:electron` must say in one line that there is none.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The binary's path, or null with why not. */
export function findElectronBinary(root, env = process.env) {
  let dir;
  try {
    dir = dirname(createRequire(join(root, 'package.json')).resolve('electron/package.json'));
  } catch {
    return { binary: null, reason: 'the electron package is not installed' };
  }
  const pathFile = join(dir, 'path.txt');
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8') : null;
  // As node_modules/electron/index.js does: ELECTRON_OVERRIDE_DIST_PATH names a folder with the binary.
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const binary = join(env.ELECTRON_OVERRIDE_DIST_PATH, executable ?? (process.platform === 'win32' ? 'electron.exe' : 'electron'));
    return existsSync(binary) ? { binary, reason: null } : { binary: null, reason: `${binary} does not exist` };
  }
  if (!executable) return { binary: null, reason: 'node_modules/electron has no downloaded binary: its download failed or was skipped' };
  const binary = join(dir, 'dist', executable);
  return existsSync(binary) ? { binary, reason: null } : { binary: null, reason: `${binary} does not exist` };
}

/** Runs Electron's own installer once more (it downloads the binary); true if it succeeded. */
export function tryDownloadElectron(root) {
  try {
    const installer = join(dirname(createRequire(join(root, 'package.json')).resolve('electron/package.json')), 'install.js');
    return spawnSync(process.execPath, [installer], { cwd: root, stdio: 'ignore', timeout: 120_000 }).status === 0;
  } catch {
    return false;
  }
}

/** The binary, downloading it if it is missing; null with why not. */
export function electronBinary(root) {
  const found = findElectronBinary(root);
  if (found.binary || process.env.ELECTRON_OVERRIDE_DIST_PATH) return found;
  return tryDownloadElectron(root) ? findElectronBinary(root) : found;
}
