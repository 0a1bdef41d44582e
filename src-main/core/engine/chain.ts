/**
 * The one rule of a session log's hash chain: events numbered 1..n without a
 * gap, each naming the hash of the one before (the genesis hash before the
 * first), each hash recomputing from the previous hash and the event's stored
 * fields, and the last one being the session's head when a head is given.
 * Used by the store (`verifyChain`, `importSession`) and by export
 * verification alike. Pure: the SHA-256 is passed in (`store/hash-chain.ts`).
 */

/** The hash that precedes a session's first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields an event's hash covers, in the order they are hashed. */
export interface ChainedFields {
  sessionId: string;
  seq: number;
  teamId: string | null;
  type: string;
  origin: string;
  scenarioMs: number;
  wallMs: number;
  /** The payload exactly as stored. */
  payloadJson: string;
}

/** One stored event as the chain sees it. */
export interface ChainLink extends ChainedFields {
  prevHash: string;
  hash: string;
}

export type EventHasher = (prevHash: string, fields: ChainedFields) => string;

export type ChainVerification = { ok: true; count: number; lastHash: string } | { ok: false; seq: number; message: string };

/**
 * Recomputes the chain of `links` (in seq order) for session `sessionId`.
 * With `head`, the log must also end exactly at the session's last seq and hash.
 */
export function verifyChain(sessionId: string, links: Iterable<ChainLink>, hash: EventHasher, head?: { lastSeq: number; lastHash: string }): ChainVerification {
  let prevHash = GENESIS_HASH;
  let seq = 0;
  for (const link of links) {
    seq += 1;
    if (link.sessionId !== sessionId) return { ok: false, seq: link.seq, message: `Event ${link.seq} belongs to another session.` };
    if (link.seq !== seq) return { ok: false, seq: link.seq, message: `Event ${seq} is missing.` };
    if (link.prevHash !== prevHash) return { ok: false, seq, message: `Event ${seq} does not follow event ${seq - 1}.` };
    const recomputed = hash(prevHash, link);
    if (recomputed !== link.hash) return { ok: false, seq, message: `Event ${seq} was altered after it was recorded.` };
    prevHash = recomputed;
  }
  if (head && (seq !== head.lastSeq || prevHash !== head.lastHash)) {
    return { ok: false, seq, message: 'The log does not end at the session head: events were added or removed.' };
  }
  return { ok: true, count: seq, lastHash: prevHash };
}

/** A log event read back (payload parsed) as the chain sees it: its payload as the store writes it. */
export function storedLink(e: Omit<ChainLink, 'payloadJson'> & { payload: unknown }): ChainLink {
  return {
    sessionId: e.sessionId,
    seq: e.seq,
    teamId: e.teamId,
    type: e.type,
    origin: e.origin,
    scenarioMs: e.scenarioMs,
    wallMs: e.wallMs,
    payloadJson: JSON.stringify(e.payload),
    prevHash: e.prevHash,
    hash: e.hash,
  };
}
