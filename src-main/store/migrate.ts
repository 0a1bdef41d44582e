import type { Database } from 'better-sqlite3';
import { MIGRATIONS } from './migrations/index.ts';
import type { Migration } from './migrations/types.ts';

export class MigrationError extends Error {}

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the database up to the newest migration (or to `target`). Each
 * migration runs in its own transaction together with the `user_version`
 * bump, so a failure leaves the database at the previous version.
 */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS, target?: number): number {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new MigrationError(`Migration ${m.name} is numbered ${m.version}, expected ${i + 1}.`);
  });
  const current = schemaVersion(db);
  const newest = migrations.length;
  if (current > newest) {
    throw new MigrationError(`This data folder was written by a newer Sandtable (schema ${current}; this version knows up to ${newest}). Update Sandtable to open it.`);
  }
  const until = target ?? newest;
  for (const m of migrations) {
    if (m.version <= current || m.version > until) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
  return schemaVersion(db);
}
