import type { Migration } from './types.ts';

/**
 * The what-if replays a facilitator chose to list in a session's after-action
 * report as "alternatives discussed". A reporting choice, not an exercise
 * fact, so it lives beside the hash-chained log (like the room display); kept
 * in the data folder so every report of the session — the screen, the
 * exports, `npm run report` — lists the same ones.
 */
export const migration005: Migration = {
  version: 5,
  name: 'report_alternatives',
  up(db) {
    db.exec(`
      CREATE TABLE report_alternatives (
        session_id      TEXT PRIMARY KEY NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        alternatives    TEXT NOT NULL CHECK (json_valid(alternatives)),
        updated_wall_ms INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
