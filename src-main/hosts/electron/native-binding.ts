/**
 * One SQLite binding per runtime, never one over the other.
 *
 * `node_modules/better-sqlite3/build/Release/better_sqlite3.node` stays
 * compiled for Node (tests, CLIs and the web host use it). The Electron host
 * needs the same addon compiled for Electron's ABI; it is obtained into a
 * folder of its own, `build/electron-native/<abi>/better_sqlite3.node`, with
 * a `binding.json` beside it that records what it was built for, so the
 * choice can be checked without loading the file (loading a wrong-ABI addon
 * throws inside better-sqlite3's constructor).
 *
 * This module only decides; it never downloads or compiles (see
 * scripts/electron-binding.ts) and imports no Electron, so it is unit-tested
 * on machines where Electron cannot run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { z } from 'zod';

export const BINDING_FILE = 'better_sqlite3.node';
export const BINDING_MANIFEST = 'binding.json';
/** Relative to the app root (the project in development, app.asar when packaged). */
export const ELECTRON_NATIVE_DIR = join('build', 'electron-native');

export const BindingManifest = z.object({
  runtime: z.literal('electron'),
  /** Electron's NODE_MODULE_VERSION, as in node_modules/electron/abi_version and process.versions.modules. */
  abi: z.string().regex(/^\d+$/),
  electron: z.string().min(1),
  betterSqlite3: z.string().min(1),
  platform: z.string().min(1),
  arch: z.string().min(1),
  /** How it was obtained: better-sqlite3's prebuilt binary, or compiled against Electron's headers. */
  source: z.enum(['prebuilt', 'compiled']),
});
export type BindingManifest = z.infer<typeof BindingManifest>;

export interface BindingTarget {
  /** The app root holding build/electron-native (the project root, or app.asar when packaged). */
  root: string;
  /** The ABI the binding must match: Electron's process.versions.modules. */
  abi: string;
  /** The installed better-sqlite3 version (a binding of another version is stale). */
  betterSqlite3: string;
  platform: string;
  arch: string;
}

export type BindingChoice = { ok: true; file: string; manifest: BindingManifest } | { ok: false; reason: string };

/** The folder of the binding for one ABI. */
export function electronBindingDir(root: string, abi: string): string {
  return join(root, ELECTRON_NATIVE_DIR, abi);
}

/**
 * A packaged app keeps native files outside app.asar (asarUnpack), in
 * app.asar.unpacked next to it; a path into app.asar is mapped there.
 */
export function unpackedPath(path: string): string {
  return path.replace(`app.asar${sep}`, `app.asar.unpacked${sep}`);
}

/** Which binding file the Electron host opens the store with, or why there is none. */
export function chooseElectronBinding(target: BindingTarget): BindingChoice {
  const dir = electronBindingDir(target.root, target.abi);
  const file = join(dir, BINDING_FILE);
  const where = join(ELECTRON_NATIVE_DIR, target.abi);
  if (!existsSync(unpackedPath(file))) return { ok: false, reason: `no better-sqlite3 binding for Electron ABI ${target.abi} in ${where}` };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(unpackedPath(join(dir, BINDING_MANIFEST)), 'utf8'));
  } catch {
    return { ok: false, reason: `the binding in ${where} has no readable ${BINDING_MANIFEST}, so its ABI is unknown` };
  }
  const parsed = BindingManifest.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, reason: `${join(where, BINDING_MANIFEST)} is invalid at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'unknown problem'}` };
  }
  const manifest = parsed.data;
  if (manifest.abi !== target.abi) return { ok: false, reason: `the binding in ${where} is for ABI ${manifest.abi}, not Electron's ABI ${target.abi}` };
  if (manifest.betterSqlite3 !== target.betterSqlite3) {
    return { ok: false, reason: `the binding in ${where} is for better-sqlite3 ${manifest.betterSqlite3}, not the installed ${target.betterSqlite3}` };
  }
  if (manifest.platform !== target.platform || manifest.arch !== target.arch) {
    return { ok: false, reason: `the binding in ${where} is for ${manifest.platform}-${manifest.arch}, not ${target.platform}-${target.arch}` };
  }
  return { ok: true, file: unpackedPath(file), manifest };
}

/** The one line `npm start` prints when Electron is there but its binding cannot be had. */
export function bindingFallbackLine(reason: string): string {
  return `Electron is installed but SQLite for Electron is not (${reason}); starting the web host instead (open the address below in a browser).`;
}
