import { hash } from 'node:crypto';
import type { ChainedFields } from '../core/engine/chain.ts';

export { GENESIS_HASH, type ChainedFields } from '../core/engine/chain.ts';

/**
 * SHA-256 over the previous event's hash and this event's stored fields, as
 * a JSON array in a fixed order. Changing, removing or reordering any event breaks
 * every hash after it. The chain's rule is `verifyChain` in core/engine/chain.ts.
 */
export function eventHash(prevHash: string, e: ChainedFields): string {
  // A JSON array: every field is delimited and typed, so no two different events encode alike (a null team is not "").
  // One-shot `hash` (not createHash().update().digest()): the same digest without a Hash object per event.
  return hash('sha256', JSON.stringify([prevHash, e.sessionId, e.seq, e.teamId, e.type, e.origin, e.scenarioMs, e.wallMs, e.payloadJson]), 'hex');
}
