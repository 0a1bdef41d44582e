/**
 * How Sandtable writes times — one module for the screens (through
 * src-main/api/time-format.ts) and the reports (src-main/core/report), so a
 * duration reads the same on the debrief and in the after-action report.
 *
 *  - A clock reading (`05:00`, `1:05:00`) for the exercise clock on screen.
 *  - Scenario time in reports as an offset from the start (`T+00:12:30`):
 *    reports are read away from the app.
 *  - A duration in words (`45 s`, `12 min 30 s`, `1 h 5 min`): seconds are
 *    dropped from an hour on, where they are noise.
 *  - Wall-clock times in reports in UTC.
 *
 * Pure TypeScript: no DOM, no locale (the renderer formats local wall-clock
 * times itself).
 */

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function clockText(totalSeconds: number): string {
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  return hours > 0 ? `${hours}:${pad(minutes)}:${pad(seconds)}` : `${pad(minutes)}:${pad(seconds)}`;
}

/** A clock reading: "mm:ss", or "h:mm:ss" from one hour (whole seconds, rounded down). */
export function formatClock(ms: number): string {
  return clockText(Math.max(0, Math.floor(ms / 1000)));
}

/** Time left on a countdown: like formatClock, but rounded up so "00:00" means it has run out. */
export function formatCountdown(ms: number): string {
  return clockText(Math.max(0, Math.ceil(ms / 1000)));
}

/** Scenario time as `T+HH:MM:SS` (reports). */
export function formatScenarioTime(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `T+${pad(h)}:${pad(m)}:${pad(s)}`;
}

/**
 * A duration in words: `45 s`, `12 min`, `12 min 30 s`, `1 h`, `1 h 5 min`
 * (from an hour on, rounded to the minute). Negative durations read as 0 s;
 * say "early"/"late" with `formatDelta`.
 */
export function formatDuration(ms: number): string {
  let total = Math.max(0, Math.round(ms / 1000));
  if (total >= 3600) total = Math.round(total / 60) * 60;
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const parts: string[] = [];
  if (hours) parts.push(`${hours} h`);
  if (minutes) parts.push(`${minutes} min`);
  if (seconds || parts.length === 0) parts.push(`${seconds} s`);
  return parts.join(' ');
}

/** Scenario minutes as written in a scenario (`at`, limits, targets): "0 min", "12.5 min"; `decimals` places at most. */
export function formatMinutes(minutes: number, decimals = 1): string {
  const scale = 10 ** decimals;
  return `${Math.round(minutes * scale) / scale} min`;
}

/**
 * How far from a target: `3 min late`, `2 min early`, `on target` (to the
 * second). A milestone is missed when it comes any time after its target, so
 * a fraction of a second late reads `under 1 s late`, never `on target`
 * beside "missed".
 */
export function formatDelta(deltaMs: number): string {
  if (deltaMs > 0 && Math.round(deltaMs / 1000) === 0) return 'under 1 s late';
  if (Math.round(deltaMs / 1000) === 0) return 'on target';
  return `${formatDuration(Math.abs(deltaMs))} ${deltaMs > 0 ? 'late' : 'early'}`;
}

/** A wall-clock time as `2025-05-01 14:03 UTC`. */
export function formatTimestamp(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** A wall-clock time as an ISO 8601 UTC instant to the second, for machine-readable columns. */
export function formatIsoTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The calendar date (UTC) of a wall-clock time. */
export function formatDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
