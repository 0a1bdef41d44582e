import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../src-main/store/migrate.ts';
import { MIGRATIONS } from '../../../src-main/store/migrations/index.ts';

function migratedTo2() {
  const db = new BetterSqlite3(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, MIGRATIONS, 2);
  return db;
}

describe('migration 002 sessions_event_log', () => {
  it('upgrades a version-1 database and creates STRICT tables', () => {
    const db = new BetterSqlite3(':memory:');
    migrate(db, MIGRATIONS, 1);
    db.prepare("INSERT INTO app_meta (key, value) VALUES ('kept', 'yes')").run();
    migrate(db, MIGRATIONS, 2);
    expect(schemaVersion(db)).toBe(2);
    expect(db.prepare("SELECT value FROM app_meta WHERE key = 'kept'").pluck().get()).toBe('yes');
    for (const table of ['sessions', 'events', 'team_snapshots']) {
      const sql = db.prepare('SELECT sql FROM sqlite_schema WHERE name = ?').pluck().get(table) as string;
      expect(sql, table).toMatch(/STRICT(, WITHOUT ROWID)?\s*$/);
    }
    db.close();
  });

  it('makes the event log append-only', () => {
    const db = migratedTo2();
    db.prepare(
      "INSERT INTO sessions (id, name, facilitator, scenario_id, scenario_version, scenario_sha256, scenario_json, status, created_wall_ms, updated_wall_ms, last_seq, last_hash) VALUES ('s', 'n', 'f', 'sc', '1.0.0', 'h', '{}', 'setup', 1, 1, 0, 'x')",
    ).run();
    db.prepare("INSERT INTO events VALUES ('s', 1, NULL, 'session.created', 'command', 0, 1, '{}', 'p', 'h')").run();
    expect(() => db.prepare('UPDATE events SET payload_json = \'{"x":1}\' WHERE seq = 1').run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM events').run()).toThrow(/append-only/);
    expect(db.prepare('SELECT count(*) FROM events').pluck().get()).toBe(1);
    db.close();
  });

  it('refuses events of an unknown session and bad origins or statuses', () => {
    const db = migratedTo2();
    expect(() => db.prepare("INSERT INTO events VALUES ('nope', 1, NULL, 't', 'command', 0, 1, '{}', 'p', 'h')").run()).toThrow(/FOREIGN KEY/);
    expect(() =>
      db
        .prepare(
          "INSERT INTO sessions (id, name, facilitator, scenario_id, scenario_version, scenario_sha256, scenario_json, status, created_wall_ms, updated_wall_ms, last_seq, last_hash) VALUES ('s', 'n', 'f', 'sc', '1', 'h', '{}', 'bogus', 1, 1, 0, 'x')",
        )
        .run(),
    ).toThrow(/CHECK/);
    db.close();
  });
});
