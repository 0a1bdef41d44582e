import { join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { migrate } from './migrate.ts';
import { ensurePrivateDir, makePrivate, touchPrivate } from './private-files.ts';

export const DATABASE_FILE = 'sandtable.db';

/** Raised when another Sandtable process already holds the data folder. */
export class DataDirInUseError extends Error {
  constructor(readonly dataDir: string) {
    super(`The data folder ${dataDir} is already in use by another Sandtable process. ` + 'Close the other window or server, or start this one with a different data folder.');
    this.name = 'DataDirInUseError';
  }
}

export interface OpenOptions {
  dataDir: string;
  /** Path to a better-sqlite3 binary built for Electron's ABI (the Node build is used otherwise). */
  nativeBinding?: string;
}

/**
 * Opens (creating if needed) the store in `dataDir` and migrates it.
 *
 * Durability: WAL with `synchronous=FULL`, so a commit that returned is on
 * disk. Exclusivity: `locking_mode=EXCLUSIVE` keeps an OS-level lock on the
 * database for as long as this process lives; the kernel drops it when the
 * process dies, however it dies, so there is no stale lock file to clean up.
 */
export function openDatabase(options: OpenOptions): Database {
  const dataDir = resolve(options.dataDir);
  // Private: the folder 0700, the database and its WAL and shared memory 0600 (SQLite gives
  // the WAL the database's own mode, so the database is created 0600 before SQLite opens it).
  ensurePrivateDir(dataDir);
  const file = join(dataDir, DATABASE_FILE);
  touchPrivate(file);
  for (const suffix of ['-wal', '-shm']) makePrivate(file + suffix);
  const db = new BetterSqlite3(file, {
    timeout: 0,
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
  });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    // Taking a write lock now claims the folder (and fails fast if it is taken).
    db.exec('BEGIN EXCLUSIVE; COMMIT;');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    migrate(db);
    for (const suffix of ['-wal', '-shm']) makePrivate(file + suffix);
    return db;
  } catch (error) {
    db.close();
    if (isBusy(error)) throw new DataDirInUseError(dataDir);
    throw error;
  }
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}
