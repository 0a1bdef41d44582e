/**
 * How reports write times. Reports are read away from the app, so times are
 * spelled out: scenario time as an offset from the start of the exercise
 * (`T+00:12:30`), durations in words, wall-clock times in UTC.
 */

/** Scenario time as `T+HH:MM:SS`. */
export function formatScenarioTime(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `T+${pad(h)}:${pad(m)}:${pad(s)}`;
}

/** A duration such as `45 s`, `12 min 30 s` or `1 h 05 min`. */
export function formatDuration(ms: number): string {
  const total = Math.round(Math.abs(ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h} h ${pad(m)} min`;
  if (m > 0) return s > 0 ? `${m} min ${s} s` : `${m} min`;
  return `${s} s`;
}

/** How far from a target: `3 min late`, `2 min early`, `on target`. */
export function formatDelta(deltaMs: number): string {
  if (Math.round(deltaMs / 1000) === 0) return 'on target';
  return `${formatDuration(deltaMs)} ${deltaMs > 0 ? 'late' : 'early'}`;
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

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
