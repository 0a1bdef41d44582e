import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** The project root (where package.json, scenarios/ and out/ live) when run from source. */
export const PROJECT_ROOT = resolve(import.meta.dirname, '../..');

/**
 * The per-user data folder, the same one Electron's `app.getPath('userData')`
 * gives for an app named Sandtable, so both hosts share a user's exercises.
 */
export function defaultDataDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Sandtable');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Sandtable');
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'Sandtable');
}

export function packageVersion(root = PROJECT_ROOT): string {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}
