import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../src-main/store/migrate.ts';
import { MIGRATIONS } from '../../../src-main/store/migrations/index.ts';

const INSERT_SESSION =
  "INSERT INTO sessions (id, name, facilitator, scenario_id, scenario_version, scenario_sha256, scenario_json, status, created_wall_ms, updated_wall_ms, last_seq, last_hash) VALUES (?, 'n', 'f', 'sc', '1.0.0', 'h', '{}', 'ended', 1, 1, 0, 'x')";
const INSERT_DRAFT =
  'INSERT INTO studio_drafts (id, origin_kind, origin_scenario_id, linked_scenario_id, document, revision, created_wall_ms, updated_wall_ms) VALUES (?, ?, ?, NULL, ?, ?, 1, 1)';
const SHA = 'a'.repeat(64);

describe('migration 006 studio_drafts', () => {
  it('upgrades a version-5 database, keeping its sessions, with STRICT tables of drafts and published versions', () => {
    const db = new BetterSqlite3(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS, 5);
    db.prepare(INSERT_SESSION).run('kept');
    migrate(db, MIGRATIONS, 6);
    expect(schemaVersion(db)).toBe(6);
    expect(db.prepare('SELECT id FROM sessions').all()).toEqual([{ id: 'kept' }]);

    const draft = db.prepare(INSERT_DRAFT);
    draft.run('d1', 'new', null, '{"meta":{}}', 1);
    draft.run('d2', 'duplicate', 'sample', '{}', 1);
    expect(() => draft.run('d1', 'new', null, '{}', 1)).toThrow(/UNIQUE|PRIMARY KEY/);
    // A draft's document is a JSON object; anything else is refused.
    expect(() => draft.run('d3', 'new', null, 'not json', 1)).toThrow(/CHECK/);
    expect(() => draft.run('d3', 'new', null, '[1]', 1)).toThrow(/CHECK/);
    expect(() => draft.run('d3', 'other', null, '{}', 1)).toThrow(/CHECK/);
    expect(() => draft.run('d3', 'new', null, '{}', 0)).toThrow(/CHECK/);
    // A new draft names no origin; a duplicate or an edit names the scenario it began as.
    expect(() => draft.run('d3', 'new', 'sample', '{}', 1)).toThrow(/CHECK/);
    expect(() => draft.run('d3', 'edit', null, '{}', 1)).toThrow(/CHECK/);
    expect(() => draft.run('d3', 'edit', 'x', '{}', 'one')).toThrow(/INTEGER/);

    const version = db.prepare('INSERT INTO studio_versions (scenario_id, version, published_wall_ms, sha256) VALUES (?, ?, ?, ?)');
    version.run('s', '1.0.0', null, SHA);
    version.run('s', '1.1.0', 5, SHA);
    expect(() => version.run('s', '1.1.0', 6, SHA)).toThrow(/UNIQUE|PRIMARY KEY/);
    expect(() => version.run('s', '1.2.0', 6, 'short')).toThrow(/CHECK/);
  });
});
