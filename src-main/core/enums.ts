/**
 * The closed lists of the domain, each defined once: the contract's zod
 * enums, the TypeScript types and the renderer's lists are derived from
 * these (through `api/enums.ts` for the renderer). The clock's speeds are
 * `CLOCK_SPEEDS` in ./engine/clock.ts.
 */

/** Where a session is: set up, clock running, paused, or ended. */
export const SESSION_STATUSES = ['setup', 'running', 'paused', 'ended'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

/** The HSEEP objective ratings: Performed without challenges, with Some, with Major challenges, Unable to be performed. */
export const HSEEP_RATINGS = ['P', 'S', 'M', 'U'] as const;
export type HseepRating = (typeof HSEEP_RATINGS)[number];

/** The HSEEP scale in words. */
export const HSEEP_RATING_LABELS: Readonly<Record<HseepRating, string>> = {
  P: 'Performed without challenges',
  S: 'Performed with some challenges',
  M: 'Performed with major challenges',
  U: 'Unable to be performed',
};
