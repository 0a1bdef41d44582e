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
 * SHA-256 over the previous event's hash and this event's stored fields, one
 * per line in a fixed order. Changing, removing or reordering any event breaks
 * every hash after it.
 */
export function eventHash(prevHash: string, e: ChainedFields): string {
  return createHash('sha256')
    .update([prevHash, e.sessionId, e.seq, e.teamId ?? '', e.type, e.origin, e.scenarioMs, e.wallMs, e.payloadJson].join('\n'))
    .digest('hex');
}
