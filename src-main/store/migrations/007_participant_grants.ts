import type { Migration } from './types.ts';

/**
 * What lets the room come back after the facilitator's app restarts:
 * participants' grants (only the SHA-256 of each bearer token, never the
 * token), each session's open join code, and where the participants'
 * listener was listening (and on which network
 * interface, so that a restart does not listen on another one). A session's rows go with the session.
 */
export const migration007: Migration = {
  version: 7,
  name: 'participant_grants',
  up(db) {
    db.exec(`
      CREATE TABLE participant_grants (
        token_sha256    TEXT PRIMARY KEY NOT NULL CHECK (length(token_sha256) = 64 AND token_sha256 NOT GLOB '*[^0-9a-f]*'),
        session_id      TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        team_id         TEXT NOT NULL,
        participant_id  TEXT NOT NULL,
        created_wall_ms INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX participant_grants_session ON participant_grants (session_id, participant_id);

      CREATE TABLE join_codes (
        session_id     TEXT PRIMARY KEY NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        code           TEXT NOT NULL UNIQUE,
        opened_wall_ms INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE participant_listener (
        id              INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
        address         TEXT NOT NULL,
        interface       TEXT NOT NULL,
        port            INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
        updated_wall_ms INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
