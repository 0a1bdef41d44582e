import type { Migration } from './types.ts';

/**
 * The improvement plan (HSEEP AAR/IP Appendix A): areas for improvement with
 * their corrective actions, owners, due dates and status.
 *
 * - Items belong to a team by name (`team_name`, compared without regard to
 *   ASCII case), so they follow the team from one session to the next, and
 *   optionally to the session that found them (`session_id`).
 * - `due_date` is an ISO calendar date (YYYY-MM-DD) that exists.
 * - `closed_wall_ms` is set exactly when the item is closed.
 */
export const migration003: Migration = {
  version: 3,
  name: 'improvement_plan',
  up(db) {
    db.exec(`
      CREATE TABLE improvement_items (
        id                TEXT PRIMARY KEY NOT NULL,
        session_id        TEXT REFERENCES sessions (id) ON DELETE SET NULL,
        team_name         TEXT NOT NULL COLLATE NOCASE CHECK (length(trim(team_name)) > 0),
        area              TEXT NOT NULL CHECK (length(trim(area)) > 0),
        corrective_action TEXT NOT NULL,
        tag               TEXT,
        owner             TEXT NOT NULL DEFAULT '',
        due_date          TEXT CHECK (due_date IS NULL OR (due_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(due_date) IS due_date)),
        status            TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in-progress', 'closed')),
        created_wall_ms   INTEGER NOT NULL,
        updated_wall_ms   INTEGER NOT NULL,
        closed_wall_ms    INTEGER,
        CHECK ((status = 'closed') = (closed_wall_ms IS NOT NULL))
      ) STRICT;

      CREATE INDEX improvement_items_by_team ON improvement_items (team_name, status);
      CREATE INDEX improvement_items_by_session ON improvement_items (session_id);
    `);
  },
};
