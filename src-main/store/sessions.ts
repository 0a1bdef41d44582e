import type { Database, Statement, Transaction } from 'better-sqlite3';
import type { LogEvent, NewLogEvent } from '../core/engine/events.ts';
import type { SessionStatus } from '../core/enums.ts';
import { storedLink, verifyChain, type ChainLink, type ChainVerification } from '../core/engine/chain.ts';
import { eventHash, GENESIS_HASH } from './hash-chain.ts';

export type StoredSessionStatus = SessionStatus;

export interface SessionRecord {
  id: string;
  name: string;
  facilitator: string;
  scenarioId: string;
  scenarioVersion: string;
  scenarioSha256: string;
  status: StoredSessionStatus;
  createdWallMs: number;
  updatedWallMs: number;
  lastSeq: number;
  lastHash: string;
}

export interface NewSession {
  id: string;
  name: string;
  facilitator: string;
  scenarioId: string;
  scenarioVersion: string;
  scenarioSha256: string;
  scenarioJson: string;
  wallMs: number;
}

export interface TeamSnapshotRow {
  teamId: string;
  state: unknown;
}

export type { ChainVerification };

/** The outcome of `importSession`: written, or refused because the id exists or the chain does not verify. */
export type SessionImportResult = { ok: true; count: number; lastHash: string } | { ok: false; reason: 'exists' | 'chain'; seq: number; message: string };

interface EventRow {
  session_id: string;
  seq: number;
  team_id: string | null;
  type: string;
  origin: 'command' | 'engine';
  scenario_ms: number;
  wall_ms: number;
  payload_json: string;
  prev_hash: string;
  hash: string;
}

interface SessionRow {
  id: string;
  name: string;
  facilitator: string;
  scenario_id: string;
  scenario_version: string;
  scenario_sha256: string;
  status: StoredSessionStatus;
  created_wall_ms: number;
  updated_wall_ms: number;
  last_seq: number;
  last_hash: string;
}

const toRecord = (r: SessionRow): SessionRecord => ({
  id: r.id,
  name: r.name,
  facilitator: r.facilitator,
  scenarioId: r.scenario_id,
  scenarioVersion: r.scenario_version,
  scenarioSha256: r.scenario_sha256,
  status: r.status,
  createdWallMs: r.created_wall_ms,
  updatedWallMs: r.updated_wall_ms,
  lastSeq: r.last_seq,
  lastHash: r.last_hash,
});

// A row's type and payload are trusted as the union member they name: rows are written only from LogEvents,
// and every read of a whole log is checked against the hash chain (and, at the API, the payload schemas).
const toEvent = (r: EventRow): LogEvent =>
  // eslint-disable-next-line @typescript-eslint/consistent-type-assertions -- see above: the store may not import the API's payload schemas
  ({
    sessionId: r.session_id,
    seq: r.seq,
    teamId: r.team_id,
    type: r.type,
    origin: r.origin,
    scenarioMs: r.scenario_ms,
    wallMs: r.wall_ms,
    payload: JSON.parse(r.payload_json) as unknown,
    prevHash: r.prev_hash,
    hash: r.hash,
  }) as LogEvent;

/** Sessions and their append-only, hash-chained event log. */
export class SessionRepository {
  readonly #db: Database;
  readonly #insertSession: Statement;
  readonly #insertEvent: Statement;
  readonly #updateHead: Statement;
  readonly #upsertSnapshot: Statement;
  readonly #selectSession: Statement;
  readonly #selectHead: Statement;
  /** The append transaction, made once (better-sqlite3 builds a wrapper per `transaction()` call). */
  readonly #appendTransaction: Transaction<(sessionId: string, events: NewLogEvent[], snapshots: TeamSnapshotRow[], status: StoredSessionStatus, wallMs: number) => LogEvent[]>;
  /** Each session's last seq and hash. Safe to cache: this process holds the database exclusively. */
  readonly #heads = new Map<string, { last_seq: number; last_hash: string }>();

  constructor(db: Database) {
    this.#db = db;
    this.#insertSession = db.prepare(
      `INSERT INTO sessions (id, name, facilitator, scenario_id, scenario_version, scenario_sha256, scenario_json, status, created_wall_ms, updated_wall_ms, last_seq, last_hash)
       VALUES (@id, @name, @facilitator, @scenarioId, @scenarioVersion, @scenarioSha256, @scenarioJson, 'setup', @wallMs, @wallMs, 0, '${GENESIS_HASH}')`,
    );
    this.#insertEvent = db.prepare(
      `INSERT INTO events (session_id, seq, team_id, type, origin, scenario_ms, wall_ms, payload_json, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#updateHead = db.prepare('UPDATE sessions SET last_seq = ?, last_hash = ?, status = ?, updated_wall_ms = ? WHERE id = ?');
    this.#upsertSnapshot = db.prepare(
      `INSERT INTO team_snapshots (session_id, team_id, seq, snapshot_json) VALUES (?, ?, ?, ?)
       ON CONFLICT (session_id, team_id) DO UPDATE SET seq = excluded.seq, snapshot_json = excluded.snapshot_json`,
    );
    this.#selectSession = db.prepare('SELECT * FROM sessions WHERE id = ?');
    this.#selectHead = db.prepare('SELECT last_seq, last_hash FROM sessions WHERE id = ?');
    // The rows' function itself, not a closure calling it: one call less inside every append's transaction.
    this.#appendTransaction = db.transaction(this.#appendInTransaction);
  }

  /** Creates a session and appends its first events, in one transaction. */
  create(session: NewSession, events: NewLogEvent[]): LogEvent[] {
    try {
      return this.#db.transaction(() => {
        this.#insertSession.run(session);
        return this.#appendInTransaction(session.id, events, [], 'setup', session.wallMs);
      })();
    } catch (error) {
      this.#heads.delete(session.id);
      throw error;
    }
  }

  /**
   * Appends events (and the teams' snapshots) in one durable transaction; when
   * this returns, the events are on disk. Returns them with seq and hashes.
   */
  append(sessionId: string, events: NewLogEvent[], snapshots: TeamSnapshotRow[], status: StoredSessionStatus, wallMs: number): LogEvent[] {
    try {
      return this.#appendTransaction.immediate(sessionId, events, snapshots, status, wallMs);
    } catch (error) {
      this.#heads.delete(sessionId); // the transaction rolled back: forget what it would have written
      throw error;
    }
  }

  /** Writes the rows of an append (inside a transaction the caller opened). A bound arrow, so the append transaction wraps it directly. */
  readonly #appendInTransaction = (sessionId: string, events: NewLogEvent[], snapshots: TeamSnapshotRow[], status: StoredSessionStatus, wallMs: number): LogEvent[] => {
    const cached = this.#heads.get(sessionId);
    const head = cached ?? (this.#selectHead.get(sessionId) as { last_seq: number; last_hash: string } | undefined);
    if (!head) throw new Error(`No session ${sessionId}`);
    let seq = head.last_seq;
    let prevHash = head.last_hash;
    const stored: LogEvent[] = [];
    for (const e of events) {
      seq += 1;
      const payloadJson = JSON.stringify(e.payload);
      const scenarioMs = Math.floor(e.scenarioMs);
      const hash = eventHash(prevHash, { sessionId, seq, teamId: e.teamId, type: e.type, origin: e.origin, scenarioMs, wallMs: e.wallMs, payloadJson });
      this.#insertEvent.run(sessionId, seq, e.teamId, e.type, e.origin, scenarioMs, e.wallMs, payloadJson, prevHash, hash);
      // A literal of the stored fields in a fixed order, not `{ ...e, sessionId, ... }`: V8 copies a spread followed by
      // new keys on a slow path, which cost ~4 µs per event here (more than its insert), at every decision. `satisfies`
      // keeps it listing every field of LogEvent (a field added there fails to compile here, not silently goes missing).
      stored.push({
        sessionId,
        seq,
        teamId: e.teamId,
        type: e.type,
        origin: e.origin,
        scenarioMs,
        wallMs: e.wallMs,
        payload: e.payload,
        prevHash,
        hash,
      } satisfies Record<keyof LogEvent, unknown> as LogEvent);
      prevHash = hash;
    }
    for (const s of snapshots) this.#upsertSnapshot.run(sessionId, s.teamId, seq, JSON.stringify(s.state));
    this.#updateHead.run(seq, prevHash, status, wallMs, sessionId);
    // The cached head moves in place (no object per append); a head just read from the row is cached from now on.
    head.last_seq = seq;
    head.last_hash = prevHash;
    if (cached === undefined) this.#heads.set(sessionId, head);
    return stored;
  };

  get(id: string): SessionRecord | undefined {
    const row = this.#selectSession.get(id) as SessionRow | undefined;
    return row ? toRecord(row) : undefined;
  }

  list(): SessionRecord[] {
    return (this.#db.prepare('SELECT * FROM sessions ORDER BY updated_wall_ms DESC, rowid DESC').all() as SessionRow[]).map(toRecord);
  }

  /** Sessions that were running or paused when the app last stopped. */
  listActive(): SessionRecord[] {
    return (this.#db.prepare("SELECT * FROM sessions WHERE status IN ('running', 'paused') ORDER BY created_wall_ms, rowid").all() as SessionRow[]).map(toRecord);
  }

  scenarioJson(id: string): string | undefined {
    return this.#db.prepare('SELECT scenario_json FROM sessions WHERE id = ?').pluck().get(id) as string | undefined;
  }

  events(sessionId: string, afterSeq = 0): LogEvent[] {
    return (this.#db.prepare('SELECT * FROM events WHERE session_id = ? AND seq > ? ORDER BY seq').all(sessionId, afterSeq) as EventRow[]).map(toEvent);
  }

  snapshots(sessionId: string): Array<{ teamId: string; seq: number; state: unknown }> {
    return (
      this.#db.prepare('SELECT team_id, seq, snapshot_json FROM team_snapshots WHERE session_id = ? ORDER BY team_id').all(sessionId) as Array<{
        team_id: string;
        seq: number;
        snapshot_json: string;
      }>
    ).map((r) => ({ teamId: r.team_id, seq: r.seq, state: JSON.parse(r.snapshot_json) as unknown }));
  }

  /** Recomputes the hash chain of a session's log from the stored rows (core's one chain rule). */
  verifyChain(sessionId: string): ChainVerification {
    const head = this.#selectHead.get(sessionId) as { last_seq: number; last_hash: string } | undefined;
    if (!head) return { ok: false, seq: 0, message: `No session ${sessionId}.` };
    const rows = this.#db.prepare('SELECT * FROM events WHERE session_id = ? ORDER BY seq').iterate(sessionId) as IterableIterator<EventRow>;
    return verifyChain(sessionId, chainLinks(rows), eventHash, { lastSeq: head.last_seq, lastHash: head.last_hash });
  }

  /**
   * Writes a session recorded elsewhere (a session archive) exactly as given:
   * the same id, status, seq numbers and hashes. The chain is recomputed
   * first and must start at the genesis hash, number its events 1..n without
   * a gap and end at the record's lastSeq and lastHash; nothing is written
   * otherwise, nor when a session with this id already exists. One
   * transaction: the session appears whole or not at all.
   */
  importSession(record: SessionRecord & { scenarioJson: string }, events: readonly LogEvent[]): SessionImportResult {
    const chain = verifyChain(record.id, events.map(storedLink), eventHash, record);
    if (!chain.ok) return { ok: false, reason: 'chain', seq: chain.seq, message: chain.message };
    return this.#db
      .transaction((): SessionImportResult => {
        if (this.#selectHead.get(record.id) !== undefined) {
          return { ok: false, reason: 'exists', seq: 0, message: `A session with id ${record.id} already exists.` };
        }
        this.#db
          .prepare(
            `INSERT INTO sessions (id, name, facilitator, scenario_id, scenario_version, scenario_sha256, scenario_json, status, created_wall_ms, updated_wall_ms, last_seq, last_hash)
           VALUES (@id, @name, @facilitator, @scenarioId, @scenarioVersion, @scenarioSha256, @scenarioJson, @status, @createdWallMs, @updatedWallMs, @lastSeq, @lastHash)`,
          )
          .run({
            id: record.id,
            name: record.name,
            facilitator: record.facilitator,
            scenarioId: record.scenarioId,
            scenarioVersion: record.scenarioVersion,
            scenarioSha256: record.scenarioSha256,
            scenarioJson: record.scenarioJson,
            status: record.status,
            createdWallMs: record.createdWallMs,
            updatedWallMs: record.updatedWallMs,
            lastSeq: record.lastSeq,
            lastHash: record.lastHash,
          });
        for (const e of events) {
          this.#insertEvent.run(record.id, e.seq, e.teamId, e.type, e.origin, e.scenarioMs, e.wallMs, JSON.stringify(e.payload), e.prevHash, e.hash);
        }
        return chain;
      })
      .immediate();
  }
}

function* chainLinks(rows: Iterable<EventRow>): Generator<ChainLink> {
  for (const r of rows) {
    yield {
      sessionId: r.session_id,
      seq: r.seq,
      teamId: r.team_id,
      type: r.type,
      origin: r.origin,
      scenarioMs: r.scenario_ms,
      wallMs: r.wall_ms,
      payloadJson: r.payload_json,
      prevHash: r.prev_hash,
      hash: r.hash,
    };
  }
}
