import { createHash } from 'node:crypto';

/** The hash that precedes a session's first event. */
export const GENESIS_HASH = '0'.repeat(64);

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

/**
 * SHA-256 over the previous event's hash and this event's stored fields, as
 * a JSON array in a fixed order. Changing, removing or reordering any event breaks
 * every hash after it.
 */
export function eventHash(prevHash: string, e: ChainedFields): string {
  return createHash('sha256')
    // A JSON array: every field is delimited and typed, so no two different events encode alike (a null team is not "").
    .update(JSON.stringify([prevHash, e.sessionId, e.seq, e.teamId, e.type, e.origin, e.scenarioMs, e.wallMs, e.payloadJson]))
    .digest('hex');
}
