import type { Migration } from './types.ts';

/**
 * The scenario studio (issue #17).
 *
 * - `studio_drafts`: one row per draft, its document (the scenario being
 *   written, as JSON; it may break the format's rules while being written)
 *   replaced on every autosave. `revision` goes up by one with each save, so
 *   a save made on an older revision (another window saved first) is refused.
 *   `origin_*` says how the draft began and never changes; `linked_scenario_id`
 *   is the library scenario it publishes to (an edited scenario from the
 *   start, a new or duplicated one once published).
 * - `studio_versions`: every version the studio published into the library
 *   (and the version it replaced the first time, whose time is not known),
 *   with the SHA-256 of its scenario file. The files themselves are kept in
 *   the data folder (app/studio.ts).
 */
export const migration006: Migration = {
  version: 6,
  name: 'studio_drafts',
  up(db) {
    db.exec(`
      CREATE TABLE studio_drafts (
        id                 TEXT PRIMARY KEY NOT NULL,
        origin_kind        TEXT NOT NULL CHECK (origin_kind IN ('new', 'duplicate', 'edit', 'msel')),
        origin_scenario_id TEXT,
        linked_scenario_id TEXT,
        document           TEXT NOT NULL CHECK (json_valid(document) AND json_type(document) = 'object'),
        revision           INTEGER NOT NULL CHECK (revision >= 1),
        published_version  TEXT,
        created_wall_ms    INTEGER NOT NULL,
        updated_wall_ms    INTEGER NOT NULL,
        CHECK ((origin_kind = 'new') = (origin_scenario_id IS NULL))
      ) STRICT;

      CREATE INDEX studio_drafts_by_update ON studio_drafts (updated_wall_ms DESC);
      CREATE INDEX studio_drafts_by_linked ON studio_drafts (linked_scenario_id) WHERE linked_scenario_id IS NOT NULL;

      CREATE TABLE studio_versions (
        scenario_id       TEXT NOT NULL,
        version           TEXT NOT NULL,
        published_wall_ms INTEGER,
        sha256            TEXT NOT NULL CHECK (length(sha256) = 64),
        PRIMARY KEY (scenario_id, version)
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
