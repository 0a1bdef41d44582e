/**
 * Electron fuses of the packaged app: flipped into the binary by
 * electron-builder (electron-builder.ts) and read back from a package by
 * `npm run fuses:check -- --app PATH` (the desktop workflow does, after packaging).
 *
 *   RunAsNode off                          ELECTRON_RUN_AS_NODE cannot turn the app into a Node
 *   EnableCookieEncryption on              the cookie store is encrypted with the OS keychain
 *   EnableNodeOptionsEnvironmentVariable off  NODE_OPTIONS / NODE_EXTRA_CA_CERTS are ignored
 *   EnableNodeCliInspectArguments off      no --inspect, no SIGUSR1 debugger
 *   EnableEmbeddedAsarIntegrityValidation on  app.asar is checked against its hash (macOS, Windows)
 *   OnlyLoadAppFromAsar on                 only app.asar is loaded (no app/ folder beside it)
 *   GrantFileProtocolExtraPrivileges off   file:// gets no more than a browser gives it
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';

/** How the fuse wire stores a fuse's state (@electron/fuses' FuseState, which its index does not export). */
export const FuseState = { DISABLE: 48, ENABLE: 49 } as const;

/** electron-builder's `electronFuses` option. */
export const ELECTRON_FUSES = {
  runAsNode: false,
  enableCookieEncryption: true,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  loadBrowserProcessSpecificV8Snapshot: false,
  grantFileProtocolExtraPrivileges: false,
} as const;

/** The same settings as the fuse wire records them. */
export const EXPECTED_WIRE: ReadonlyArray<readonly [FuseV1Options, boolean]> = [
  [FuseV1Options.RunAsNode, ELECTRON_FUSES.runAsNode],
  [FuseV1Options.EnableCookieEncryption, ELECTRON_FUSES.enableCookieEncryption],
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable, ELECTRON_FUSES.enableNodeOptionsEnvironmentVariable],
  [FuseV1Options.EnableNodeCliInspectArguments, ELECTRON_FUSES.enableNodeCliInspectArguments],
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation, ELECTRON_FUSES.enableEmbeddedAsarIntegrityValidation],
  [FuseV1Options.OnlyLoadAppFromAsar, ELECTRON_FUSES.onlyLoadAppFromAsar],
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot, ELECTRON_FUSES.loadBrowserProcessSpecificV8Snapshot],
  [FuseV1Options.GrantFileProtocolExtraPrivileges, ELECTRON_FUSES.grantFileProtocolExtraPrivileges],
];

/** Every fuse of a wire that is not as expected, named. */
export function wrongFuses(wire: Partial<Record<FuseV1Options, number>>): string[] {
  return EXPECTED_WIRE.filter(([fuse, on]) => wire[fuse] !== (on ? FuseState.ENABLE : FuseState.DISABLE)).map(
    ([fuse, on]) => `${FuseV1Options[fuse]} should be ${on ? 'on' : 'off'}`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const at = process.argv.indexOf('--app');
  const app = at > 0 ? process.argv[at + 1] : undefined;
  if (!app) {
    console.error('usage: npm run fuses:check -- --app PATH (the packaged executable, or the .app on macOS)');
    process.exit(2);
  }
  const wire = await getCurrentFuseWire(app);
  const wrong = wrongFuses(wire);
  for (const line of wrong) console.error(`${app}: ${line}`);
  if (wrong.length === 0) console.log(`${app}: all ${EXPECTED_WIRE.length} fuses as set in scripts/fuses.ts`);
  process.exit(wrong.length ? 1 : 0);
}
