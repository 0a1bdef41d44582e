import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../src-main/store/migrate.ts';
import { MIGRATIONS } from '../../../src-main/store/migrations/index.ts';

describe('migration 001 app_meta', () => {
  it('creates a STRICT app_meta table recording when the folder was created', () => {
    const db = new BetterSqlite3(':memory:');
    migrate(db, MIGRATIONS, 1);
    expect(schemaVersion(db)).toBe(1);
    const sql = db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'app_meta'").pluck().get() as string;
    expect(sql).toMatch(/STRICT/);
    const createdAt = Number(db.prepare("SELECT value FROM app_meta WHERE key = 'created_at'").pluck().get());
    expect(createdAt).toBeGreaterThan(Date.UTC(2020, 0, 1));
    // STRICT: a wrongly typed value is refused.
    expect(() => db.prepare('INSERT INTO app_meta (key, value) VALUES (?, ?)').run('x', 42)).not.toThrow();
    expect(() => db.prepare('INSERT INTO app_meta (key, value) VALUES (?, ?)').run('y', Buffer.from([1]))).toThrow(/cannot store BLOB/);
    db.close();
  });
});
