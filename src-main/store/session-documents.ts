import type { Database, Statement } from 'better-sqlite3';

/**
 * One JSON document per session in a table of its own (`session_id`, the
 * document's column, `updated_wall_ms`), replaced on every change: state kept
 * beside the hash-chained log because it is not an exercise fact and no
 * replay depends on it. The app layer validates what it reads back.
 */
export class SessionDocumentRepository {
  readonly #get: Statement<[string], { document: string }>;
  readonly #put: Statement<[string, string, number]>;

  /** `table` and `column` are this module's callers' constants, never input. */
  constructor(db: Database, table: 'room_display' | 'report_alternatives', column: 'display' | 'alternatives') {
    this.#get = db.prepare(`SELECT ${column} AS document FROM ${table} WHERE session_id = ?`);
    this.#put = db.prepare(
      `INSERT INTO ${table} (session_id, ${column}, updated_wall_ms) VALUES (?, ?, ?)
       ON CONFLICT (session_id) DO UPDATE SET ${column} = excluded.${column}, updated_wall_ms = excluded.updated_wall_ms`,
    );
  }

  /** The stored document of a session (parsed JSON, unchecked), or undefined if none was ever set. */
  get(sessionId: string): unknown {
    const row = this.#get.get(sessionId);
    return row ? (JSON.parse(row.document) as unknown) : undefined;
  }

  set(sessionId: string, document: unknown, wallMs: number): void {
    this.#put.run(sessionId, JSON.stringify(document), wallMs);
  }
}
