/**
 * Obtains better-sqlite3 for the installed Electron's ABI into a folder of its
 * own, build/electron-native/<abi>/ (see src-main/hosts/electron/native-binding.ts),
 * never over node_modules/better-sqlite3/build, which stays Node's.
 *
 *   npm run electron:binding     obtain it if it is missing or stale (exit 0 ok, 1 not)
 *
 * First better-sqlite3's own prebuilt binary (prebuild-install --runtime electron
 * --target <version>), else a compile against Electron's headers (node-gyp). Both
 * run in a staging copy of the package, so a failure leaves nothing half-written.
 * Offline both fail within seconds; the caller (`npm start`) then says so in one
 * line and starts the web host.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  BINDING_FILE,
  BINDING_MANIFEST,
  chooseElectronBinding,
  electronBindingDir,
  ELECTRON_NATIVE_DIR,
  type BindingChoice,
  type BindingManifest,
} from '../src-main/hosts/electron/native-binding.ts';

export const ROOT = resolve(import.meta.dirname, '..');

/** Runs a command; only its status and last words matter (its output is kept off the console). */
export type Runner = (command: string, args: readonly string[], cwd: string, timeoutMs: number) => { status: number | null; output: string };

/**
 * A `nodedir` in the npm config (npm passes it on as npm_config_nodedir) makes
 * node-gyp compile against that Node's headers whatever --target says, which
 * would give a Node-ABI addon labelled as Electron's; it is dropped here.
 */
export function childEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !/^npm_config_(nodedir|node_gyp_nodedir)$/i.test(key)));
}

const spawnRunner: Runner = (command, args, cwd, timeoutMs) => {
  // A command that cannot be started (ENOENT) leaves stdout and stderr null, whatever Node's types say.
  const result: SpawnSyncReturns<string | null> = spawnSync(command, args, { cwd, env: childEnv(), encoding: 'utf8', timeout: timeoutMs, stdio: ['ignore', 'pipe', 'pipe'] });
  return { status: result.status, output: `${result.stdout ?? ''}\n${result.stderr ?? ''}${result.error ? `\n${result.error.message}` : ''}` };
};

export interface Installed {
  electron: string;
  abi: string;
  betterSqlite3: string;
  betterSqlite3Dir: string;
}

/** The installed Electron (version and ABI, from its package) and better-sqlite3. */
export function installed(root = ROOT): Installed | null {
  const require = createRequire(join(root, 'package.json'));
  try {
    const electronDir = dirname(require.resolve('electron/package.json'));
    const betterSqlite3Dir = dirname(require.resolve('better-sqlite3/package.json'));
    const version = (dir: string) => (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
    return {
      electron: version(electronDir),
      abi: readFileSync(join(electronDir, 'abi_version'), 'utf8').trim(),
      betterSqlite3: version(betterSqlite3Dir),
      betterSqlite3Dir,
    };
  } catch {
    return null;
  }
}

/** node-gyp: the one npm runs scripts with, else the one bundled with npm next to this Node. */
function nodeGyp(): string | null {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    join(dirname(process.execPath), 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  return candidates.find((c): c is string => Boolean(c) && existsSync(c!)) ?? null;
}

/** The telling line of a tool's output, on one line: a network or HTTP error, else its first error, else its last line. */
export function lastWords(output: string): string {
  const lines = output
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !/^(gyp|prebuild-install) (info|verb)\b/.test(l));
  const network = lines.find((l) => /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|network connectivity|40[34]|Not Found)\b/i.test(l));
  const error = lines.find((l) => /\b(ERR!|error)\b/i.test(l) && !/ERR! (not ok|configure error|stack at|cwd|node -v|node-gyp -v|System|command)\b/.test(l));
  const url = lines
    .map((l) => /http GET (\S+)/.exec(l)?.[1])
    .filter(Boolean)
    .at(-1);
  if (network && url && !/ENOTFOUND|EAI_AGAIN|ECONNREFUSED/.test(network)) return `could not download ${url} (network)`.slice(0, 200);
  const line = network ?? error ?? lines.at(-1) ?? 'no output';
  return line
    .replace(/^(gyp ERR! stack Error: |gyp ERR! |prebuild-install warn install )/, '')
    .replace(/\s+/g, ' ')
    .slice(0, 160);
}

/**
 * The ABI an addon was compiled for, read by loading it into a throwaway Node
 * process: Node loads its own ABI and names any other in its refusal
 * ("... compiled against a different Node.js version using NODE_MODULE_VERSION 150 ...").
 * Null when the output says neither.
 */
export function probeAbi(file: string, run: Runner = spawnRunner): string | null {
  const script = `try { process.dlopen({ exports: {} }, ${JSON.stringify(file)}); console.log('ABI=' + process.versions.modules); } catch (e) { console.log(String(e && e.message)); }`;
  const { output } = run(process.execPath, ['-e', script], dirname(file), 30_000);
  return /ABI=(\d+)/.exec(output)?.[1] ?? /using NODE_MODULE_VERSION (\d+)/.exec(output)?.[1] ?? null;
}

export interface ObtainOptions {
  root: string;
  target: Installed;
  platform?: string;
  arch?: string;
  run?: Runner;
  timeoutMs?: number;
}

/**
 * Puts better_sqlite3.node for Electron into build/electron-native/<abi>/ with
 * its binding.json, or says in one line why it could not — also when something
 * throws on the way (an unwritable folder, a tool that cannot be found), so that
 * `npm start` falls back to the web host instead of crashing.
 */
export function obtainElectronBinding(options: ObtainOptions): BindingChoice {
  try {
    return obtainOrThrow(options);
  } catch (error) {
    const { target } = options;
    const why = (error instanceof Error ? error.message : String(error)).split(/\r?\n/)[0]!.slice(0, 200);
    return { ok: false, reason: `could not obtain better-sqlite3 ${target.betterSqlite3} for Electron ${target.electron} (ABI ${target.abi}): ${why}` };
  }
}

function obtainOrThrow(options: ObtainOptions): BindingChoice {
  const { root, target } = options;
  const platform = options.platform ?? process.platform;
  const arch = options.arch ?? process.arch;
  const run = options.run ?? spawnRunner;
  const timeoutMs = options.timeoutMs ?? 10 * 60_000;
  const nativeRoot = join(root, ELECTRON_NATIVE_DIR);
  mkdirSync(nativeRoot, { recursive: true });
  const staging = mkdtempSync(join(nativeRoot, '.staging-'));
  try {
    // A copy of the package without its build/: the tools write build/Release/ here, not in node_modules.
    cpSync(target.betterSqlite3Dir, staging, {
      recursive: true,
      filter: (src) => {
        const rel = src.slice(target.betterSqlite3Dir.length).replace(/\\/g, '/');
        return !/^\/(build|node_modules)(\/|$)/.test(rel);
      },
    });
    const built = join(staging, 'build', 'Release', BINDING_FILE);
    const failures: string[] = [];
    let source: BindingManifest['source'] | null = null;

    const prebuild = createRequire(join(root, 'package.json')).resolve('prebuild-install/bin.js', { paths: [target.betterSqlite3Dir, root, ROOT] });
    const fetched = run(process.execPath, [prebuild, '--runtime', 'electron', '--target', target.electron, '--platform', platform, '--arch', arch], staging, timeoutMs);
    if (fetched.status === 0 && existsSync(built)) source = 'prebuilt';
    else failures.push(`prebuilt: ${lastWords(fetched.output)}`);

    if (!source) {
      const gyp = nodeGyp();
      if (!gyp) failures.push('compile: node-gyp not found');
      else {
        const compiled = run(
          process.execPath,
          [gyp, 'rebuild', '--release', '--runtime=electron', `--target=${target.electron}`, `--arch=${arch}`, '--dist-url=https://electronjs.org/headers'],
          staging,
          timeoutMs,
        );
        if (compiled.status === 0 && existsSync(built)) source = 'compiled';
        else failures.push(`compile: ${lastWords(compiled.output)}`);
      }
    }
    if (source) {
      const abi = probeAbi(built, run);
      if (abi !== null && abi !== target.abi) {
        failures.push(`${source === 'prebuilt' ? 'prebuilt' : 'compile'}: the result is for ABI ${abi}, not ${target.abi}`);
        source = null;
      }
    }
    if (!source)
      return { ok: false, reason: `could not obtain better-sqlite3 ${target.betterSqlite3} for Electron ${target.electron} (ABI ${target.abi}): ${failures.join('; ')}` };

    const manifest: BindingManifest = { runtime: 'electron', abi: target.abi, electron: target.electron, betterSqlite3: target.betterSqlite3, platform, arch, source };
    const dir = electronBindingDir(root, target.abi);
    const next = `${dir}.next`;
    rmSync(next, { recursive: true, force: true });
    mkdirSync(next, { recursive: true });
    copyFileSync(built, join(next, BINDING_FILE));
    writeFileSync(join(next, BINDING_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(next, dir);
    return chooseElectronBinding({ root, abi: target.abi, betterSqlite3: target.betterSqlite3, platform, arch });
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** The binding for the installed Electron: the one already there if it fits, else a freshly obtained one. */
export function ensureElectronBinding(root = ROOT, run?: Runner): BindingChoice {
  const target = installed(root);
  if (!target) return { ok: false, reason: 'Electron or better-sqlite3 is not installed' };
  const current = chooseElectronBinding({ root, abi: target.abi, betterSqlite3: target.betterSqlite3, platform: process.platform, arch: process.arch });
  if (current.ok) return current;
  return obtainElectronBinding({ root, target, ...(run ? { run } : {}) });
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const choice = ensureElectronBinding();
  if (choice.ok) console.log(`SQLite for Electron: ${choice.file} (${choice.manifest.source}, ABI ${choice.manifest.abi})`);
  else console.error(`SQLite for Electron: ${choice.reason}`);
  process.exit(choice.ok ? 0 : 1);
}
