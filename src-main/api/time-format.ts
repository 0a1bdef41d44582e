/**
 * The one way times are written (src-main/core/time-format.ts), shared with
 * the renderer so that the screens and the reports word durations alike.
 */
export { formatClock, formatCountdown, formatDate, formatDelta, formatDuration, formatMinutes, formatScenarioTime } from '../core/time-format.ts';
