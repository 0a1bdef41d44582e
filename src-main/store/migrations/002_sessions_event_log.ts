import type { Migration } from './types.ts';

/**
 * Sessions and their append-only, hash-chained event log.
 *
 * - `sessions` keeps the exact scenario JSON a session ran, so it can be
 *   replayed and exported even if the library's copy changes later.
 * - `events` is append-only: triggers refuse UPDATE and DELETE. Each row's
 *   `hash` is SHA-256 over the previous row's hash and this row's content.
 * - `team_snapshots` holds each team's engine state as of `seq`, written in
 *   the same transaction as the events (the log stays the source of truth).
 * - Both are WITHOUT ROWID: the primary key is the table's only b-tree, so a
 *   commit writes fewer pages (and syncs fewer bytes).
 */
export const migration002: Migration = {
  version: 2,
  name: 'sessions_event_log',
  up(db) {
    db.exec(`
      CREATE TABLE sessions (
        id               TEXT PRIMARY KEY NOT NULL,
        name             TEXT NOT NULL,
        facilitator      TEXT NOT NULL,
        scenario_id      TEXT NOT NULL,
        scenario_version TEXT NOT NULL,
        scenario_sha256  TEXT NOT NULL,
        scenario_json    TEXT NOT NULL,
        status           TEXT NOT NULL CHECK (status IN ('setup', 'running', 'paused', 'ended')),
        created_wall_ms  INTEGER NOT NULL,
        updated_wall_ms  INTEGER NOT NULL,
        last_seq         INTEGER NOT NULL DEFAULT 0,
        last_hash        TEXT NOT NULL
      ) STRICT;

      CREATE TABLE events (
        session_id   TEXT NOT NULL REFERENCES sessions (id),
        seq          INTEGER NOT NULL CHECK (seq >= 1),
        team_id      TEXT,
        type         TEXT NOT NULL,
        origin       TEXT NOT NULL CHECK (origin IN ('command', 'engine')),
        scenario_ms  INTEGER NOT NULL,
        wall_ms      INTEGER NOT NULL,
        payload_json TEXT NOT NULL,
        prev_hash    TEXT NOT NULL,
        hash         TEXT NOT NULL,
        PRIMARY KEY (session_id, seq)
      ) STRICT, WITHOUT ROWID;

      CREATE TRIGGER events_are_append_only_update BEFORE UPDATE ON events
      BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
      CREATE TRIGGER events_are_append_only_delete BEFORE DELETE ON events
      BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;

      CREATE TRIGGER sessions_scenario_is_fixed BEFORE UPDATE OF scenario_id, scenario_version, scenario_sha256, scenario_json ON sessions
      BEGIN SELECT RAISE(ABORT, 'a session keeps the scenario it ran'); END;

      CREATE TABLE team_snapshots (
        session_id    TEXT NOT NULL REFERENCES sessions (id),
        team_id       TEXT NOT NULL,
        seq           INTEGER NOT NULL,
        snapshot_json TEXT NOT NULL,
        PRIMARY KEY (session_id, team_id)
      ) STRICT, WITHOUT ROWID;

      CREATE INDEX sessions_by_update ON sessions (updated_wall_ms DESC);
    `);
  },
};
