import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect } from '@playwright/test';

export interface RunningHost {
  url: string;
  origin: string;
  token: string;
  dataDir: string;
  process: ChildProcess;
  output: () => string;
}

/** Starts the real web host (`npm run serve`'s entry) on a fresh data folder. */
export interface HostOptions {
  /** A folder of scenario scripts to use instead of the bundled scenarios/. */
  scenariosDir?: string;
  /** Further arguments for the web host (e.g. `--lan 127.0.0.1`). */
  args?: string[];
}

export async function startHost(dataDir: string, options: HostOptions = {}): Promise<RunningHost> {
  const args = ['--import', 'tsx', 'src-main/hosts/web/main.ts', '--port', '0', '--data', dataDir];
  if (options.scenariosDir) args.push('--scenarios', options.scenariosDir);
  if (options.args) args.push(...options.args);
  const child = spawn(process.execPath, args, {
    cwd: process.cwd(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The web host did not start:\n${out}`)), 30_000);
    const check = () => {
      const match = /Sandtable running at (http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]{64})/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The web host exited with ${String(code)}:\n${out}`));
    });
  });
  const parsed = new URL(url);
  return { url, origin: parsed.origin, token: parsed.hash.replace('#token=', ''), dataDir, process: child, output: () => out };
}

export async function stopHost(host: RunningHost): Promise<void> {
  if (host.process.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    host.process.once('exit', () => resolve());
    host.process.kill('SIGTERM');
  });
}

export const test = base.extend<{ host: RunningHost }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from its first parameter, which must be an object pattern: this fixture needs none
  host: async ({}, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sandtable-e2e-'));
    const host = await startHost(dataDir);
    await use(host);
    await stopHost(host);
    rmSync(dataDir, { recursive: true, force: true });
  },
});

export { expect };
