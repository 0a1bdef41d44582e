/**
 * Seeded randomness for random-event nodes. The same seed, team and visit
 * always give the same roll, so a session replays exactly.
 */

/** 32-bit FNV-1a hash of a string. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** mulberry32: a small, fast, well-distributed 32-bit generator. Returns a function giving floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform number in [0, 1) determined by its inputs alone. */
export function rollFor(seed: string, teamId: string, nodeId: string, visit: number): number {
  return mulberry32(hashString(`${seed}\u0000${teamId}\u0000${nodeId}\u0000${visit}`))();
}

/** Picks the index whose cumulative weight covers `roll` (0 <= roll < 1). */
export function pickWeighted(weights: readonly number[], roll: number): number {
  const total = weights.reduce((sum, w) => sum + w, 0);
  let threshold = roll * total;
  for (let i = 0; i < weights.length; i++) {
    threshold -= weights[i]!;
    if (threshold < 0) return i;
  }
  return weights.length - 1;
}
