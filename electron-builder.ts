/**
 * Packaging: `npm run dist` (it needs the network: Electron's zips and
 * better-sqlite3 for Electron). Builds for the platform it runs on:
 * Linux AppImage + deb, macOS dmg, Windows nsis.
 */
import type { Configuration } from 'electron-builder';
import { installed } from './scripts/electron-binding.ts';
import { ELECTRON_FUSES } from './scripts/fuses.ts';

/** Only the binding for the installed Electron's ABI is shipped (build/electron-native may keep older ones). */
const abi = installed()?.abi;
if (!abi) throw new Error('electron-builder.ts: Electron or better-sqlite3 is not installed (npm ci)');

const config: Configuration = {
  appId: 'app.sandtable.desktop',
  productName: 'Sandtable',
  copyright: 'Copyright © Sandtable contributors',
  directories: {
    output: 'dist',
    buildResources: 'resources', // not build/, which holds build/electron-native
  },
  files: [
    'package.json',
    'out/**',
    '!out/**/*.map',
    'scenarios/**',
    'resources/icons/**',
    // better-sqlite3 for Electron's ABI (scripts/electron-binding.ts); Node's own build stays out.
    `build/electron-native/${abi}/**`,
    '!node_modules/better-sqlite3/{build,deps,src}/**',
    '!node_modules/better-sqlite3/binding.gyp',
  ],
  asar: true,
  asarUnpack: [`build/electron-native/${abi}/**`],
  // Never rebuild node_modules in place: Node's better-sqlite3 build belongs to tests, CLIs and the web host.
  npmRebuild: false,
  nodeGypRebuild: false,
  publish: null,
  electronFuses: { ...ELECTRON_FUSES, resetAdHocDarwinSignature: true },
  linux: {
    target: ['AppImage', 'deb'],
    icon: 'resources/icons',
    category: 'Education',
    maintainer: 'Sandtable contributors <sandtable@users.noreply.invalid>',
    synopsis: 'Incident-response tabletop exercises, offline',
  },
  mac: {
    target: 'dmg',
    icon: 'resources/icon.icns',
    category: 'public.app-category.education',
  },
  win: {
    target: 'nsis',
    icon: 'resources/icon.ico',
  },
  nsis: {
    oneClick: false,
    perMachine: false,
    allowToChangeInstallationDirectory: true,
  },
};

export default config;
