import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import config from '../../electron-builder.ts';
import { ELECTRON_FUSES, EXPECTED_WIRE, FuseState, wrongFuses } from '../../scripts/fuses.ts';

describe('packaging (electron-builder.ts)', () => {
  it("never rebuilds node_modules in place (Node's better-sqlite3 build belongs to tests, CLIs and the web host)", () => {
    expect(config.npmRebuild).toBe(false);
    expect(config.nodeGypRebuild).toBe(false);
  });

  it("ships the Electron SQLite binding unpacked beside app.asar and leaves Node's build out", () => {
    expect(config.asar).toBe(true);
    // Only the installed Electron's ABI: an older Electron's binding left in build/electron-native stays out.
    const abi = readFileSync(join(import.meta.dirname, '../../node_modules/electron/abi_version'), 'utf8').trim();
    expect(config.asarUnpack).toEqual([`build/electron-native/${abi}/**`]);
    expect(config.files).toEqual(expect.arrayContaining([`build/electron-native/${abi}/**`, '!node_modules/better-sqlite3/{build,deps,src}/**']));
    expect((config.files as string[]).filter((f) => f.includes('electron-native'))).toEqual([`build/electron-native/${abi}/**`]);
    expect(config.directories?.buildResources).toBe('resources');
  });

  it('makes an AppImage and a deb, a dmg and an nsis installer, with the icons from resources/', () => {
    expect(config.linux).toMatchObject({ target: ['AppImage', 'deb'], icon: 'resources/icons' });
    expect(config.mac).toMatchObject({ target: 'dmg', icon: 'resources/icon.icns' });
    expect(config.win).toMatchObject({ target: 'nsis', icon: 'resources/icon.ico' });
  });

  it('sets the fuses the issue asks for', () => {
    expect(config.electronFuses).toMatchObject(ELECTRON_FUSES);
    expect(ELECTRON_FUSES).toMatchObject({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });
});

describe('reading the fuses back from a package', () => {
  const asSet = Object.fromEntries(EXPECTED_WIRE.map(([fuse, on]) => [fuse, on ? FuseState.ENABLE : FuseState.DISABLE]));

  it('accepts a wire as set', () => {
    expect(wrongFuses(asSet)).toEqual([]);
  });

  it('names every fuse that is not as set, including one left to inherit', () => {
    expect(wrongFuses({ ...asSet, 0: FuseState.ENABLE, 5: 144 })).toEqual(['RunAsNode should be off', 'OnlyLoadAppFromAsar should be on']);
  });
});
