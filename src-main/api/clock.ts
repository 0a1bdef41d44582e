/**
 * The exercise clock's arithmetic, shared with the renderer so that the
 * console and the projector tick between pushes exactly as main computes.
 */
export { scenarioTimeAt, CLOCK_SPEEDS, type ClockSpeed, type ClockState } from '../core/engine/clock.ts';
