import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../src-main/store/migrate.ts';
import { MIGRATIONS } from '../../../src-main/store/migrations/index.ts';

const INSERT_SESSION =
  "INSERT INTO sessions (id, name, facilitator, scenario_id, scenario_version, scenario_sha256, scenario_json, status, created_wall_ms, updated_wall_ms, last_seq, last_hash) VALUES (?, 'n', 'f', 'sc', '1.0.0', 'h', '{}', 'running', 1, 1, 0, 'x')";

describe('migration 004 room_display', () => {
  it('upgrades a version-3 database, keeping its sessions, with a STRICT table of one display per session', () => {
    const db = new BetterSqlite3(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS, 3);
    db.prepare(INSERT_SESSION).run('kept');
    migrate(db, MIGRATIONS, 4);
    expect(schemaVersion(db)).toBe(4);
    expect(db.prepare('SELECT id FROM sessions').all()).toEqual([{ id: 'kept' }]);
    const insert = db.prepare('INSERT INTO room_display (session_id, display, updated_wall_ms) VALUES (?, ?, ?)');
    insert.run('kept', '{"clock":false}', 5);
    // One row per session, valid JSON only, and only for a session that exists.
    expect(() => insert.run('kept', '{}', 6)).toThrow(/UNIQUE|PRIMARY KEY/);
    expect(() => insert.run('missing', '{}', 1)).toThrow(/FOREIGN KEY/);
    db.prepare(INSERT_SESSION).run('other');
    expect(() => insert.run('other', 'not json', 1)).toThrow(/CHECK/);
    expect(() => insert.run('other', '{}', 'soon')).toThrow(/INTEGER/);
    expect(() => insert.run('other', '{}', 7)).not.toThrow();
  });
});
