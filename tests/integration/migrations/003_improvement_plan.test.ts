import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../src-main/store/migrate.ts';
import { MIGRATIONS } from '../../../src-main/store/migrations/index.ts';

const INSERT_SESSION =
  "INSERT INTO sessions (id, name, facilitator, scenario_id, scenario_version, scenario_sha256, scenario_json, status, created_wall_ms, updated_wall_ms, last_seq, last_hash) VALUES (?, 'n', 'f', 'sc', '1.0.0', 'h', '{}', 'ended', 1, 1, 0, 'x')";

function migratedTo3() {
  const db = new BetterSqlite3(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, MIGRATIONS, 3);
  db.prepare(INSERT_SESSION).run('s1');
  return db;
}

type Row = Partial<{
  id: string;
  session_id: string | null;
  team_name: string;
  area: string;
  corrective_action: string;
  tag: string | null;
  owner: string;
  due_date: string | null;
  status: string;
  created_wall_ms: number;
  updated_wall_ms: number;
  closed_wall_ms: number | null;
}>;

function insert(db: BetterSqlite3.Database, row: Row): void {
  const full = {
    id: 'i1',
    session_id: 's1',
    team_name: 'Alpha',
    area: 'Area',
    corrective_action: 'Action',
    tag: null,
    owner: '',
    due_date: null,
    status: 'open',
    created_wall_ms: 1,
    updated_wall_ms: 1,
    closed_wall_ms: null,
    ...row,
  };
  db.prepare(
    `INSERT INTO improvement_items (id, session_id, team_name, area, corrective_action, tag, owner, due_date, status, created_wall_ms, updated_wall_ms, closed_wall_ms)
     VALUES (@id, @session_id, @team_name, @area, @corrective_action, @tag, @owner, @due_date, @status, @created_wall_ms, @updated_wall_ms, @closed_wall_ms)`,
  ).run(full);
}

describe('migration 003 improvement_plan', () => {
  it('upgrades a version-2 database, keeping its sessions, and creates a STRICT table with its indexes', () => {
    const db = new BetterSqlite3(':memory:');
    migrate(db, MIGRATIONS, 2);
    db.prepare(INSERT_SESSION).run('kept');
    migrate(db, MIGRATIONS, 3);
    expect(schemaVersion(db)).toBe(3);
    expect(db.prepare('SELECT id FROM sessions').pluck().all()).toEqual(['kept']);
    const sql = db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'improvement_items'").pluck().get() as string;
    expect(sql).toMatch(/STRICT\s*$/);
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'improvement_items' AND sql IS NOT NULL ORDER BY name").pluck().all()).toEqual([
      'improvement_items_by_session',
      'improvement_items_by_team',
    ]);
    db.close();
  });

  it('accepts a well-formed item, with or without a session, and matches team names without regard to case', () => {
    const db = migratedTo3();
    insert(db, { id: 'a', due_date: '2025-07-01', tag: 'WAF-2024-06-27:SEC02-BP05', owner: 'Kim' });
    insert(db, { id: 'b', session_id: null, team_name: 'ALPHA', status: 'closed', closed_wall_ms: 5 });
    expect(db.prepare("SELECT id FROM improvement_items WHERE team_name = 'alpha' ORDER BY id").pluck().all()).toEqual(['a', 'b']);
    db.close();
  });

  it('refuses an unknown session, status or date, an empty team or area, and a closed time that disagrees with the status', () => {
    const db = migratedTo3();
    expect(() => insert(db, { session_id: 'nope' })).toThrow(/FOREIGN KEY/);
    expect(() => insert(db, { status: 'done' })).toThrow(/CHECK/);
    for (const due of ['2025-02-30', '2025-7-1', '01/07/2025', '2025-07-01T00:00']) expect(() => insert(db, { due_date: due }), due).toThrow(/CHECK/);
    expect(() => insert(db, { team_name: '  ' })).toThrow(/CHECK/);
    expect(() => insert(db, { area: '' })).toThrow(/CHECK/);
    expect(() => insert(db, { status: 'closed', closed_wall_ms: null })).toThrow(/CHECK/);
    expect(() => insert(db, { status: 'open', closed_wall_ms: 5 })).toThrow(/CHECK/);
    // STRICT: a wrongly typed value is refused.
    expect(() => insert(db, { created_wall_ms: 'yesterday' as unknown as number })).toThrow(/cannot store TEXT/);
    expect(db.prepare('SELECT count(*) FROM improvement_items').pluck().get()).toBe(0);
    db.close();
  });

  it('keeps an item when its session is deleted, unlinked from it', () => {
    const db = migratedTo3();
    insert(db, { id: 'a' });
    db.prepare("DELETE FROM sessions WHERE id = 's1'").run();
    expect(db.prepare("SELECT session_id FROM improvement_items WHERE id = 'a'").pluck().get()).toBeNull();
    db.close();
  });
});
