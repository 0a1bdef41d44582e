/**
 * The domain's closed lists (src-main/core/enums.ts, and the clock's speeds),
 * shared with the renderer so that its lists and labels come from the same
 * definitions as the contract's schemas.
 */
export { HSEEP_RATING_LABELS, HSEEP_RATINGS, SESSION_STATUSES, type HseepRating, type SessionStatus } from '../core/enums.ts';
export { CLOCK_SPEEDS, type ClockSpeed } from '../core/engine/clock.ts';
