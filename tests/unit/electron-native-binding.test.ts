import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BINDING_FILE,
  BINDING_MANIFEST,
  bindingFallbackLine,
  chooseElectronBinding,
  electronBindingDir,
  unpackedPath,
  type BindingManifest,
} from '../../src-main/hosts/electron/native-binding.ts';
import { childEnv, lastWords, obtainElectronBinding, probeAbi, type Runner } from '../../scripts/electron-binding.ts';
import { tempDir } from '../helpers/tmp.ts';

const NODE_ADDON = join(import.meta.dirname, '../../node_modules/better-sqlite3/build/Release/better_sqlite3.node');

let root: string;
let cleanup: () => void;
beforeEach(() => ({ dir: root, cleanup } = tempDir('sandtable-binding-')));
afterEach(() => cleanup());

const target = (abi = '150') => ({ root, abi, betterSqlite3: '12.11.1', platform: 'linux', arch: 'x64' });
const manifest = (over: Partial<BindingManifest> = {}): BindingManifest => ({
  runtime: 'electron',
  abi: '150',
  electron: '45.5.0',
  betterSqlite3: '12.11.1',
  platform: 'linux',
  arch: 'x64',
  source: 'prebuilt',
  ...over,
});
function place(abi: string, m: unknown, file = true): string {
  const dir = electronBindingDir(root, abi);
  mkdirSync(dir, { recursive: true });
  if (file) writeFileSync(join(dir, BINDING_FILE), 'addon');
  if (m !== undefined) writeFileSync(join(dir, BINDING_MANIFEST), typeof m === 'string' ? m : JSON.stringify(m));
  return join(dir, BINDING_FILE);
}

describe('chooseElectronBinding: which file for which ABI', () => {
  it('picks build/electron-native/<abi>/better_sqlite3.node when its binding.json matches', () => {
    const file = place('150', manifest());
    const choice = chooseElectronBinding(target('150'));
    expect(choice).toMatchObject({ ok: true, file });
    expect(file).toBe(join(root, 'build', 'electron-native', '150', 'better_sqlite3.node'));
  });

  it('keeps one folder per ABI: the binding of another ABI is never chosen', () => {
    place('143', manifest({ abi: '143' }));
    const file150 = place('150', manifest());
    expect(chooseElectronBinding(target('150'))).toMatchObject({ ok: true, file: file150 });
    expect(chooseElectronBinding(target('143'))).toMatchObject({ ok: true, file: join(electronBindingDir(root, '143'), BINDING_FILE) });
    const missing = chooseElectronBinding(target('136'));
    expect(missing).toEqual({ ok: false, reason: `no better-sqlite3 binding for Electron ABI 136 in ${join('build', 'electron-native', '136')}` });
  });

  it('refuses when the file is missing, even with a manifest', () => {
    place('150', manifest(), false);
    expect(chooseElectronBinding(target())).toMatchObject({ ok: false, reason: expect.stringContaining('no better-sqlite3 binding for Electron ABI 150') });
  });

  it('refuses a file whose ABI is unknown (no or unreadable binding.json)', () => {
    place('150', undefined);
    expect(chooseElectronBinding(target())).toMatchObject({ ok: false, reason: expect.stringContaining('has no readable binding.json') });
    place('150', '{not json');
    expect(chooseElectronBinding(target())).toMatchObject({ ok: false, reason: expect.stringContaining('has no readable binding.json') });
  });

  it('refuses an invalid binding.json and names the field', () => {
    place('150', { ...manifest(), abi: 150 });
    const choice = chooseElectronBinding(target());
    expect(choice).toMatchObject({ ok: false, reason: expect.stringMatching(/binding\.json is invalid at abi: /) });
  });

  it("refuses the wrong ABI (a Node build put in Electron's folder)", () => {
    place('150', manifest({ abi: '115' }));
    expect(chooseElectronBinding(target())).toEqual({
      ok: false,
      reason: `the binding in ${join('build', 'electron-native', '150')} is for ABI 115, not Electron's ABI 150`,
    });
  });

  it('refuses a stale better-sqlite3 version and another platform or architecture', () => {
    place('150', manifest({ betterSqlite3: '11.10.0' }));
    expect(chooseElectronBinding(target())).toMatchObject({ ok: false, reason: expect.stringContaining('better-sqlite3 11.10.0, not the installed 12.11.1') });
    place('150', manifest({ arch: 'arm64' }));
    expect(chooseElectronBinding(target())).toMatchObject({ ok: false, reason: expect.stringContaining('linux-arm64, not linux-x64') });
  });

  it('finds a packaged binding in app.asar.unpacked', () => {
    const asar = join(root, 'resources', 'app.asar');
    expect(unpackedPath(join(asar, 'build', 'x.node'))).toBe(join(root, 'resources', 'app.asar.unpacked', 'build', 'x.node'));
    const dir = electronBindingDir(join(root, 'resources', 'app.asar.unpacked'), '150');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, BINDING_FILE), 'addon');
    writeFileSync(join(dir, BINDING_MANIFEST), JSON.stringify(manifest()));
    expect(chooseElectronBinding({ ...target(), root: asar })).toMatchObject({ ok: true, file: join(dir, BINDING_FILE) });
  });
});

describe('the one-line fallback', () => {
  it('is one line that says the web host starts instead', () => {
    const line = bindingFallbackLine('no better-sqlite3 binding for Electron ABI 150 in build/electron-native/150');
    expect(line.split('\n')).toHaveLength(1);
    expect(line).toMatch(/^Electron is installed but SQLite for Electron is not \(no better-sqlite3 binding .*\); starting the web host instead/);
  });

  it('tells the cause of a failed download in one line', () => {
    expect(
      lastWords('prebuild-install info begin\nprebuild-install http request GET https://github.com/x.tar.gz\nprebuild-install warn install getaddrinfo ENOTFOUND github.com\n'),
    ).toBe('getaddrinfo ENOTFOUND github.com');
    const gyp = [
      'gyp info it worked if it ends with ok',
      'gyp http GET https://electronjs.org/headers/v45.5.0/node-v45.5.0-headers.tar.gz',
      'gyp WARN install got an error, rolling back install',
      'gyp ERR! configure error ',
      'gyp ERR! stack Error: This is most likely not a problem with node-gyp or the package itself and',
      'gyp ERR! stack is related to network connectivity. In most cases you are behind a proxy or have bad',
      'gyp ERR! not ok',
    ].join('\n');
    expect(lastWords(gyp)).toBe('could not download https://electronjs.org/headers/v45.5.0/node-v45.5.0-headers.tar.gz (network)');
  });

  it('keeps an npm nodedir from turning an Electron compile into a Node one', () => {
    const env = childEnv({ PATH: '/bin', npm_config_nodedir: '/usr', npm_config_cache: '/c' });
    expect(env).toEqual({ PATH: '/bin', npm_config_cache: '/c' });
  });
});

describe('obtainElectronBinding: into its own folder, never over node_modules', () => {
  let pkg: string;
  beforeEach(() => {
    pkg = join(root, 'node_modules', 'better-sqlite3');
    mkdirSync(join(pkg, 'build', 'Release'), { recursive: true });
    mkdirSync(join(pkg, 'src'), { recursive: true });
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'better-sqlite3', version: '12.11.1' }));
    writeFileSync(join(pkg, 'binding.gyp'), '{}');
    writeFileSync(join(pkg, 'src', 'better_sqlite3.cpp'), '//');
    writeFileSync(join(pkg, 'build', 'Release', BINDING_FILE), 'node build');
    writeFileSync(join(root, 'package.json'), '{}');
  });
  const installed = () => ({ electron: '45.5.0', abi: '150', betterSqlite3: '12.11.1', betterSqlite3Dir: pkg });
  const realProbe: Runner = (command, args, cwd, timeoutMs) => {
    const r = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: timeoutMs });
    return { status: r.status, output: `${r.stdout}\n${r.stderr}` };
  };

  it("takes the prebuilt binary for --runtime electron --target <version>, records it, and leaves Node's build alone", () => {
    const calls: string[][] = [];
    const run: Runner = (command, args, cwd) => {
      if (args[0] === '-e') return { status: 0, output: 'ABI=150' };
      calls.push([...args]);
      expect(cwd.startsWith(join(root, 'build', 'electron-native', '.staging-'))).toBe(true);
      expect(existsSync(join(cwd, 'build'))).toBe(false); // the copy has no build/ to write over
      expect(existsSync(join(cwd, 'binding.gyp'))).toBe(true);
      mkdirSync(join(cwd, 'build', 'Release'), { recursive: true });
      writeFileSync(join(cwd, 'build', 'Release', BINDING_FILE), 'electron build');
      return { status: 0, output: '' };
    };
    const choice = obtainElectronBinding({ root, target: installed(), platform: 'linux', arch: 'x64', run });
    expect(choice).toMatchObject({ ok: true, file: join(root, 'build', 'electron-native', '150', BINDING_FILE), manifest: { source: 'prebuilt', abi: '150', electron: '45.5.0' } });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toEqual(expect.arrayContaining(['--runtime', 'electron', '--target', '45.5.0', '--platform', 'linux', '--arch', 'x64']));
    expect(readFileSync(join(root, 'build', 'electron-native', '150', BINDING_FILE), 'utf8')).toBe('electron build');
    expect(readFileSync(join(pkg, 'build', 'Release', BINDING_FILE), 'utf8')).toBe('node build');
    expect(readdirSync(join(root, 'build', 'electron-native'))).toEqual(['150']); // no staging left behind
  });

  it("compiles against Electron's headers when there is no prebuilt binary", () => {
    const run: Runner = (_command, args, cwd) => {
      if (args[0] === '-e') return { status: 0, output: 'The module was compiled against a different Node.js version using NODE_MODULE_VERSION 150. This version requires 115.' };
      if (String(args[0]).includes('prebuild-install'))
        return { status: 1, output: 'prebuild-install warn install No prebuilt binaries found (target=45.5.0 runtime=electron arch=x64 libc= platform=linux)' };
      expect(args).toEqual(expect.arrayContaining(['rebuild', '--runtime=electron', '--target=45.5.0', '--dist-url=https://electronjs.org/headers']));
      mkdirSync(join(cwd, 'build', 'Release'), { recursive: true });
      writeFileSync(join(cwd, 'build', 'Release', BINDING_FILE), 'compiled');
      return { status: 0, output: 'gyp info ok' };
    };
    const choice = obtainElectronBinding({ root, target: installed(), platform: 'linux', arch: 'x64', run });
    expect(choice).toMatchObject({ ok: true, manifest: { source: 'compiled' } });
  });

  it('fails in one line when neither works (offline), leaving nothing behind', () => {
    const run: Runner = (_command, args) =>
      String(args[0]).includes('prebuild-install')
        ? { status: 1, output: 'prebuild-install warn install getaddrinfo ENOTFOUND github.com' }
        : { status: 1, output: 'gyp http GET https://electronjs.org/headers/v45.5.0/node-v45.5.0-headers.tar.gz\ngyp ERR! stack is related to network connectivity.' };
    const choice = obtainElectronBinding({ root, target: installed(), platform: 'linux', arch: 'x64', run });
    expect(choice.ok).toBe(false);
    if (choice.ok) return;
    expect(choice.reason).toBe(
      'could not obtain better-sqlite3 12.11.1 for Electron 45.5.0 (ABI 150): prebuilt: getaddrinfo ENOTFOUND github.com; compile: could not download https://electronjs.org/headers/v45.5.0/node-v45.5.0-headers.tar.gz (network)',
    );
    expect(choice.reason).not.toContain('\n');
    expect(readdirSync(join(root, 'build', 'electron-native'))).toEqual([]);
    expect(chooseElectronBinding(target())).toMatchObject({ ok: false });
  });

  it('fails in one line, not with a crash, when something throws on the way (no folder, a tool that cannot start)', () => {
    const run: Runner = () => {
      throw new Error('spawnSync node EACCES\n    at stack lines');
    };
    const choice = obtainElectronBinding({ root, target: installed(), platform: 'linux', arch: 'x64', run });
    expect(choice).toEqual({ ok: false, reason: 'could not obtain better-sqlite3 12.11.1 for Electron 45.5.0 (ABI 150): spawnSync node EACCES' });
    expect(readdirSync(join(root, 'build', 'electron-native'))).toEqual([]); // the staging copy is gone
    const gone = obtainElectronBinding({ root, target: { ...installed(), betterSqlite3Dir: join(root, 'missing') }, run });
    expect(gone.ok).toBe(false);
    if (!gone.ok) expect(gone.reason).not.toContain('\n');
  });

  it("rejects a result built for Node's ABI (checked by loading it in Node, not by its label)", () => {
    const run: Runner = (command, args, cwd, timeoutMs) => {
      if (args[0] === '-e') return realProbe(command, args, cwd, timeoutMs);
      mkdirSync(join(cwd, 'build', 'Release'), { recursive: true });
      copyFileSync(NODE_ADDON, join(cwd, 'build', 'Release', BINDING_FILE)); // what a stray nodedir produces
      return { status: 0, output: '' };
    };
    const choice = obtainElectronBinding({ root, target: installed(), platform: 'linux', arch: 'x64', run });
    expect(choice).toMatchObject({ ok: false, reason: expect.stringContaining(`prebuilt: the result is for ABI ${process.versions.modules}, not 150`) });
    expect(existsSync(electronBindingDir(root, '150'))).toBe(false);
  });
});

describe('probeAbi', () => {
  it("reads the ABI of Node's own better-sqlite3 build without loading it here", () => {
    expect(probeAbi(NODE_ADDON)).toBe(process.versions.modules);
  });
});
