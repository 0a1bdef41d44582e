import type { Database, Statement } from 'better-sqlite3';

/**
 * The room screen's display state per session, as JSON the app layer
 * validates. Not part of the hash-chained log: changing what the projector
 * shows is not an exercise fact, and replays never depend on it.
 */
export class RoomDisplayRepository {
  readonly #get: Statement<[string], { display: string }>;
  readonly #put: Statement<[string, string, number]>;

  constructor(db: Database) {
    this.#get = db.prepare('SELECT display FROM room_display WHERE session_id = ?');
    this.#put = db.prepare(
      `INSERT INTO room_display (session_id, display, updated_wall_ms) VALUES (?, ?, ?)
       ON CONFLICT (session_id) DO UPDATE SET display = excluded.display, updated_wall_ms = excluded.updated_wall_ms`,
    );
  }

  /** The stored display of a session (parsed JSON, unchecked), or undefined if none was ever set. */
  get(sessionId: string): unknown {
    const row = this.#get.get(sessionId);
    return row ? (JSON.parse(row.display) as unknown) : undefined;
  }

  set(sessionId: string, display: unknown, wallMs: number): void {
    this.#put.run(sessionId, JSON.stringify(display), wallMs);
  }
}
