import type { Database, Statement } from 'better-sqlite3';

/** A participant's grant as kept at rest: the SHA-256 of their token (never the token) and whom it stands for. */
export interface StoredParticipantGrant {
  tokenSha256: string;
  sessionId: string;
  teamId: string;
  participantId: string;
}

/** Where the participants' listener was listening when it was last started (it comes back there after a restart). */
export interface StoredListener {
  address: string;
  /** The network interface that had the address when the facilitator chose it. */
  interface: string;
  port: number;
}

/**
 * What the room needs to come back after a restart (migration 007):
 * participants' grants, each session's open join code, and the listener's
 * address and port. Each write is one statement, durable when it returns.
 */
export class ParticipantRepository {
  readonly #grants: Statement<[], { tokenSha256: string; sessionId: string; teamId: string; participantId: string }>;
  readonly #addGrant: Statement<[string, string, string, string, number]>;
  readonly #revokeGrant: Statement<[string]>;
  readonly #revokeParticipant: Statement<[string, string]>;
  readonly #revokeSession: Statement<[string]>;
  readonly #codes: Statement<[], { sessionId: string; code: string }>;
  readonly #setCode: Statement<[string, string, number]>;
  readonly #dropCode: Statement<[string]>;
  readonly #listener: Statement<[], StoredListener>;
  readonly #setListener: Statement<[string, string, number, number]>;
  readonly #forgetListener: Statement<[]>;

  constructor(db: Database) {
    this.#grants = db.prepare(
      'SELECT token_sha256 AS tokenSha256, session_id AS sessionId, team_id AS teamId, participant_id AS participantId FROM participant_grants ORDER BY created_wall_ms, rowid',
    );
    this.#addGrant = db.prepare('INSERT INTO participant_grants (token_sha256, session_id, team_id, participant_id, created_wall_ms) VALUES (?, ?, ?, ?, ?)');
    this.#revokeGrant = db.prepare('DELETE FROM participant_grants WHERE token_sha256 = ?');
    this.#revokeParticipant = db.prepare('DELETE FROM participant_grants WHERE session_id = ? AND participant_id = ?');
    this.#revokeSession = db.prepare('DELETE FROM participant_grants WHERE session_id = ?');
    this.#codes = db.prepare('SELECT session_id AS sessionId, code FROM join_codes ORDER BY opened_wall_ms, rowid');
    this.#setCode = db.prepare(
      `INSERT INTO join_codes (session_id, code, opened_wall_ms) VALUES (?, ?, ?)
       ON CONFLICT (session_id) DO UPDATE SET code = excluded.code, opened_wall_ms = excluded.opened_wall_ms`,
    );
    this.#dropCode = db.prepare('DELETE FROM join_codes WHERE session_id = ?');
    this.#listener = db.prepare('SELECT address, interface, port FROM participant_listener WHERE id = 1');
    this.#setListener = db.prepare(
      `INSERT INTO participant_listener (id, address, interface, port, updated_wall_ms) VALUES (1, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET address = excluded.address, interface = excluded.interface, port = excluded.port, updated_wall_ms = excluded.updated_wall_ms`,
    );
    this.#forgetListener = db.prepare('DELETE FROM participant_listener');
  }

  /** Every stored grant, oldest first. */
  grants(): StoredParticipantGrant[] {
    return this.#grants.all();
  }

  addGrant(grant: StoredParticipantGrant, wallMs: number): void {
    this.#addGrant.run(grant.tokenSha256, grant.sessionId, grant.teamId, grant.participantId, wallMs);
  }

  revokeGrant(tokenSha256: string): void {
    this.#revokeGrant.run(tokenSha256);
  }

  revokeParticipant(sessionId: string, participantId: string): void {
    this.#revokeParticipant.run(sessionId, participantId);
  }

  /** Every grant of a session, and its join code. */
  revokeSession(sessionId: string): void {
    this.#revokeSession.run(sessionId);
    this.#dropCode.run(sessionId);
  }

  /** The open join codes, per session. */
  codes(): Array<{ sessionId: string; code: string }> {
    return this.#codes.all();
  }

  setCode(sessionId: string, code: string, wallMs: number): void {
    this.#setCode.run(sessionId, code, wallMs);
  }

  dropCode(sessionId: string): void {
    this.#dropCode.run(sessionId);
  }

  listener(): StoredListener | null {
    return this.#listener.get() ?? null;
  }

  /** Remembers where the listener listens, or (null) that it was stopped. */
  setListener(listener: StoredListener | null, wallMs: number): void {
    if (listener) this.#setListener.run(listener.address, listener.interface, listener.port, wallMs);
    else this.#forgetListener.run();
  }
}
