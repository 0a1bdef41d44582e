/**
 * The exercise clock: scenario time as a function of wall time.
 *
 * Scenario time advances at `speed` × wall time while running and not at all
 * while paused; resuming continues from exactly the scenario time at which it
 * paused. Speed 0 is "manual": the clock only moves when the facilitator
 * jumps it forward. Everything is in milliseconds. Pure and immutable. How
 * clock events change it is one reducer, `applyClockEvent` in ./clock-events.ts.
 */

export const CLOCK_SPEEDS = [0, 1, 2, 5, 10] as const;
export type ClockSpeed = (typeof CLOCK_SPEEDS)[number];

export interface ClockState {
  running: boolean;
  speed: ClockSpeed;
  /** Wall time of the last change (start, pause, resume, speed change, jump). */
  anchorWallMs: number;
  /** Scenario time at that moment. */
  anchorScenarioMs: number;
}

export function stoppedClock(speed: ClockSpeed = 1, scenarioMs = 0, wallMs = 0): ClockState {
  return { running: false, speed, anchorWallMs: wallMs, anchorScenarioMs: scenarioMs };
}

/** Scenario time at `wallMs`. Never runs backwards, even if the wall clock does. */
export function scenarioTimeAt(clock: ClockState, wallMs: number): number {
  if (!clock.running || clock.speed === 0) return clock.anchorScenarioMs;
  return clock.anchorScenarioMs + Math.max(0, wallMs - clock.anchorWallMs) * clock.speed;
}

/** Wall time at which scenario time reaches `scenarioMs`, or null if it never will (paused, manual). */
export function wallTimeFor(clock: ClockState, scenarioMs: number): number | null {
  if (!clock.running || clock.speed === 0) return null;
  if (scenarioMs <= clock.anchorScenarioMs) return clock.anchorWallMs;
  return clock.anchorWallMs + (scenarioMs - clock.anchorScenarioMs) / clock.speed;
}
