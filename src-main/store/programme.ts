import type { Database, Statement } from 'better-sqlite3';

/** A session as the programme view needs it. */
export interface ProgrammeSessionRow {
  id: string;
  name: string;
  scenarioSha256: string;
}

/** One log entry of the types the programme view reads. */
export interface ProgrammeEventRow {
  sessionId: string;
  seq: number;
  teamId: string | null;
  type: string;
  origin: 'command' | 'engine';
  wallMs: number;
  payload: unknown;
}

/**
 * The session columns the programme reads. Every one must be stored before
 * `scenario_json` in the table (SQLite reads a row's columns in order, so one
 * after it walks the row's overflow pages — the whole scenario text); a test
 * checks the migrated table's column order against this list.
 */
export const PROGRAMME_SESSION_COLUMNS = ['id', 'name', 'scenario_sha256'] as const;

/**
 * The rows the programme view (exercise coverage across all sessions) is
 * computed from, read in three statements whatever the number of sessions:
 * the sessions, one stored copy of each scenario they ran (by its SHA-256),
 * and only the log entries of the types asked for — not whole logs.
 */
export class ProgrammeRepository {
  readonly #db: Database;
  readonly #sessions: Statement;
  readonly #scenarios: Statement;

  constructor(db: Database) {
    this.#db = db;
    // Only columns stored before scenario_json (PROGRAMME_SESSION_COLUMNS): reading one after it would walk each row's overflow pages.
    this.#sessions = db.prepare(`SELECT ${PROGRAMME_SESSION_COLUMNS.join(', ')} FROM sessions ORDER BY id`);
    this.#scenarios = db.prepare(
      'SELECT scenario_sha256, scenario_json FROM sessions WHERE id IN (SELECT MIN(id) FROM sessions GROUP BY scenario_sha256) ORDER BY scenario_sha256',
    );
  }

  sessions(): ProgrammeSessionRow[] {
    return (this.#sessions.all() as Array<{ id: string; name: string; scenario_sha256: string }>).map((r) => ({ id: r.id, name: r.name, scenarioSha256: r.scenario_sha256 }));
  }

  /** One stored scenario JSON per distinct SHA-256 the sessions record. */
  scenarios(): Array<{ sha256: string; json: string }> {
    return (this.#scenarios.all() as Array<{ scenario_sha256: string; scenario_json: string }>).map((r) => ({ sha256: r.scenario_sha256, json: r.scenario_json }));
  }

  /** The log entries of the given types, every session's in seq order. */
  events(types: readonly string[]): ProgrammeEventRow[] {
    if (types.length === 0) return [];
    const statement = this.#db.prepare(
      `SELECT session_id, seq, team_id, type, origin, wall_ms, payload_json FROM events WHERE type IN (${types.map(() => '?').join(', ')}) ORDER BY session_id, seq`,
    );
    return (
      statement.all(...types) as Array<{
        session_id: string;
        seq: number;
        team_id: string | null;
        type: string;
        origin: 'command' | 'engine';
        wall_ms: number;
        payload_json: string;
      }>
    ).map((r) => ({ sessionId: r.session_id, seq: r.seq, teamId: r.team_id, type: r.type, origin: r.origin, wallMs: r.wall_ms, payload: JSON.parse(r.payload_json) as unknown }));
  }
}
