import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE, DataDirInUseError, openDatabase } from '../../src-main/store/database.ts';
import { migrate, MigrationError, schemaVersion } from '../../src-main/store/migrate.ts';
import { MIGRATIONS } from '../../src-main/store/migrations/index.ts';
import type { Migration } from '../../src-main/store/migrations/types.ts';
import { Store } from '../../src-main/store/store.ts';
import { tempDir } from '../helpers/tmp.ts';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});
function folder(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

describe('opening a data folder', () => {
  it('creates the database from empty and applies every migration', () => {
    const dir = folder();
    const db = openDatabase({ dataDir: join(dir, 'nested', 'data') });
    cleanups.unshift(() => db.close());
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    const tables = db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as Array<{ name: string; sql: string }>;
    expect(tables.length).toBeGreaterThan(0);
    for (const t of tables) expect(t.sql, t.name).toMatch(/STRICT(, WITHOUT ROWID)?\s*$/);
  });

  it('reopens an existing folder without re-running migrations', () => {
    const dir = folder();
    Store.open({ dataDir: dir }).close();
    const store = Store.open({ dataDir: dir });
    expect(store.schemaVersion).toBe(MIGRATIONS.length);
    store.close();
  });

  it('refuses a second instance in another process, naming the folder, and the first keeps working', () => {
    const dir = folder();
    const db = openDatabase({ dataDir: dir });
    cleanups.unshift(() => db.close());
    const child = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `import('${join(process.cwd(), 'src-main/store/store.ts')}').then(({ Store }) => { try { Store.open({ dataDir: ${JSON.stringify(dir)} }); console.log('OPENED'); } catch (e) { console.log(e.name + ': ' + e.message); process.exit(3); } })`,
      ],
      { encoding: 'utf8', timeout: 20_000 },
    );
    expect(child.stdout).toContain('DataDirInUseError');
    expect(child.stdout).toContain(dir);
    expect(child.status).toBe(3);
    // The first instance is undisturbed.
    db.prepare('INSERT INTO app_meta (key, value) VALUES (?, ?)').run('still', 'working');
    expect(db.prepare("SELECT value FROM app_meta WHERE key = 'still'").pluck().get()).toBe('working');
  });

  it('refuses a second instance in the same process too', () => {
    const dir = folder();
    const first = Store.open({ dataDir: dir });
    cleanups.unshift(() => first.close());
    expect(() => Store.open({ dataDir: dir })).toThrow(DataDirInUseError);
    expect(first.isOpen).toBe(true);
  });

  it('frees the folder when the first instance closes', () => {
    const dir = folder();
    Store.open({ dataDir: dir }).close();
    const again = Store.open({ dataDir: dir });
    expect(again.isOpen).toBe(true);
    again.close();
  });

  it('refuses a folder written by a newer version', () => {
    const dir = folder();
    const raw = new BetterSqlite3(join(dir, DATABASE_FILE));
    raw.pragma(`user_version = ${MIGRATIONS.length + 5}`);
    raw.close();
    expect(() => Store.open({ dataDir: dir })).toThrow(/newer Sandtable/);
  });
});

describe('migrate', () => {
  it('runs each migration in a transaction: a failing one leaves the previous version intact', () => {
    const db = new BetterSqlite3(':memory:');
    const broken: Migration[] = [
      { version: 1, name: 'one', up: (d) => d.exec('CREATE TABLE one (x INTEGER) STRICT') },
      {
        version: 2,
        name: 'two',
        up: (d) => {
          d.exec('CREATE TABLE two (x INTEGER) STRICT');
          throw new Error('boom');
        },
      },
    ];
    expect(() => migrate(db, broken)).toThrow('boom');
    expect(schemaVersion(db)).toBe(1);
    expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'two'").pluck().get()).toBe(0);
    db.close();
  });

  it('refuses migrations that are out of order', () => {
    const db = new BetterSqlite3(':memory:');
    expect(() => migrate(db, [{ version: 2, name: 'x', up: () => {} }])).toThrow(MigrationError);
    db.close();
  });
});
