/**
 * The data folder and what is written from it are private to the account that
 * runs Sandtable: rationales, names and scores must not be readable by other
 * accounts on a shared machine. Folder 0700; database, WAL, shared memory and
 * exports 0600. (On Windows the user profile's ACLs do this; chmod there only
 * toggles read-only, so it is skipped.)
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync, writeFileSync } from 'node:fs';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;
const POSIX = process.platform !== 'win32';

/**
 * Only what this account owns is tightened: a folder or file of another account
 * (a group-shared exercise folder) is left as its owner set it; chmod would fail
 * with EPERM there and refuse a folder Sandtable could otherwise open.
 */
function ownedByMe(path: string): boolean {
  return process.getuid === undefined || statSync(path).uid === process.getuid();
}

/** Creates `dir` (and its parents) and makes it 0700, also when it already existed with looser bits (if it is ours). */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (POSIX && ownedByMe(dir)) chmodSync(dir, PRIVATE_DIR_MODE);
}

/** Makes an existing file of ours 0600 (a missing one is left missing). */
export function makePrivate(file: string): void {
  if (POSIX && existsSync(file) && ownedByMe(file)) chmodSync(file, PRIVATE_FILE_MODE);
}

/** Creates an empty file 0600 if there is none, so whatever opens it next finds it private from the start. */
export function touchPrivate(file: string): void {
  if (!existsSync(file)) closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  makePrivate(file);
}

/** Writes a file that no other account may read (an export, a report, a PDF); 0600 even when it replaces a looser one. */
export function writePrivateFile(path: string, data: string | NodeJS.ArrayBufferView, encoding: BufferEncoding = 'utf8'): void {
  writeFileSync(path, data, { mode: PRIVATE_FILE_MODE, encoding });
  makePrivate(path);
}
