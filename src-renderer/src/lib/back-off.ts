/**
 * How long to wait before trying again after failures in a row: the one rule
 * for the push channels (the console's socket, a phone's stream) and the
 * studio's save retries.
 */

/**
 * Exponential back-off: at the n-th failure in a row (0 = the first), at most
 * `min(maxMs, firstMs × 2^n)`. `retryDelay` draws the wait between half and
 * all of that (jitter), so that clients that lost the laptop at the same
 * moment (it restarts) come back spread over each step, not in lockstep.
 */
export interface BackOff {
  firstMs: number;
  maxMs: number;
  /** A number in [0, 1) (tests pass their own). */
  random?: () => number;
}

/** The longest wait after `failures` failures in a row: `firstMs`, doubling, at most `maxMs`. */
export function backOffCeiling(schedule: BackOff, failures: number): number {
  return Math.min(schedule.maxMs, schedule.firstMs * 2 ** Math.min(failures, 30));
}

/** The wait before the try after `failures` failures in a row, jittered: between half and all of `backOffCeiling`. */
export function retryDelay(schedule: BackOff, failures: number): number {
  const ceiling = backOffCeiling(schedule, failures);
  return Math.round(ceiling / 2 + (schedule.random ?? Math.random)() * (ceiling / 2));
}
