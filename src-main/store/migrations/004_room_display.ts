import type { Migration } from './types.ts';

/**
 * What the facilitator has put on a session's room screen (slide, spotlight,
 * scroll, clock): display state, not an exercise fact, so it lives beside the
 * hash-chained event log rather than in it. One row per session, replaced on
 * every change, so the room comes back as it was after a restart.
 */
export const migration004: Migration = {
  version: 4,
  name: 'room_display',
  up(db) {
    db.exec(`
      CREATE TABLE room_display (
        session_id      TEXT PRIMARY KEY NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        display         TEXT NOT NULL CHECK (json_valid(display)),
        updated_wall_ms INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
