import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../src-main/store/migrate.ts';
import { MIGRATIONS } from '../../../src-main/store/migrations/index.ts';

const INSERT_SESSION =
  "INSERT INTO sessions (id, name, facilitator, scenario_id, scenario_version, scenario_sha256, scenario_json, status, created_wall_ms, updated_wall_ms, last_seq, last_hash) VALUES (?, 'n', 'f', 'sc', '1.0.0', 'h', '{}', 'ended', 1, 1, 0, 'x')";

describe('migration 005 report_alternatives', () => {
  it('upgrades a version-4 database, keeping its sessions and room displays, with a STRICT table of one list per session', () => {
    const db = new BetterSqlite3(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS, 4);
    db.prepare(INSERT_SESSION).run('kept');
    db.prepare('INSERT INTO room_display (session_id, display, updated_wall_ms) VALUES (?, ?, ?)').run('kept', '{"clock":true}', 2);
    migrate(db, MIGRATIONS, 5);
    expect(schemaVersion(db)).toBe(5);
    expect(db.prepare('SELECT id FROM sessions').all()).toEqual([{ id: 'kept' }]);
    expect(db.prepare('SELECT display FROM room_display').all()).toEqual([{ display: '{"clock":true}' }]);
    const insert = db.prepare('INSERT INTO report_alternatives (session_id, alternatives, updated_wall_ms) VALUES (?, ?, ?)');
    insert.run('kept', '[]', 5);
    expect(() => insert.run('kept', '[]', 6)).toThrow(/UNIQUE|PRIMARY KEY/);
    expect(() => insert.run('missing', '[]', 1)).toThrow(/FOREIGN KEY/);
    db.prepare(INSERT_SESSION).run('other');
    expect(() => insert.run('other', 'not json', 1)).toThrow(/CHECK/);
    expect(() => insert.run('other', '[]', 'soon')).toThrow(/INTEGER/);
    // The list goes with its session.
    db.prepare("DELETE FROM sessions WHERE id = 'kept'").run();
    expect(db.prepare('SELECT session_id FROM report_alternatives').all()).toEqual([]);
  });
});
