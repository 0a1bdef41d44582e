/**
 * Words and numbers for the session screens (setup, console, presenter,
 * sessions list): clock readings, speeds, statuses and error messages.
 * Main stores times as milliseconds; clock readings and durations are
 * worded by src-main/api/time-format.ts, shared with the reports.
 */
import { CLOCK_SPEEDS, type ClockSpeed, type SessionStatus } from '../../../../src-main/api/enums.ts';
import type { ApiError } from '../../../../src-main/api/errors.ts';

/** Clock readings and durations are worded in one place for screens and reports. */
export { formatClock, formatCountdown, formatDuration } from '../../../../src-main/api/time-format.ts';

export type { SessionStatus };

/** Clock speeds a session can run at, as offered: the running speeds, then 0 (manual: time moves only with "Next inject"). */
export const SPEEDS: readonly ClockSpeed[] = [...CLOCK_SPEEDS.filter((s) => s !== 0), 0];
export type Speed = ClockSpeed;

/** Whether a number is one of the clock's speeds. */
export function isSpeed(value: number): value is ClockSpeed {
  return (CLOCK_SPEEDS as readonly number[]).includes(value);
}

export function speedLabel(speed: number): string {
  return speed === 0 ? 'Manual' : `${speed}×`;
}

export const STATUS_LABELS: Record<SessionStatus, string> = {
  setup: 'Not started',
  running: 'Running',
  paused: 'Paused',
  ended: 'Ended',
};

const CHANNEL_LABELS: Readonly<Record<string, string>> = {
  email: 'Email',
  chat: 'Chat',
  phone: 'Phone call',
  alert: 'Alert',
  ticket: 'Ticket',
  news: 'News',
  'social-media': 'Social media',
  'in-person': 'In person',
  briefing: 'Briefing',
  console: 'Console',
  report: 'Report',
  other: 'Other',
};

/** How an inject reaches the team, in words ("Phone call", "Social media"). */
export function channelLabel(channel: string): string {
  return CHANNEL_LABELS[channel] ?? channel;
}

/** A wall-clock moment in the viewer's locale, e.g. "14 May 2024, 09:12". */
export function formatWallTime(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/**
 * A contract error as one plain sentence for the person at the screen: the
 * JSON pointer the server prefixes is dropped (the message is shown next to
 * the field it names), and zod's wording for an empty field is made plain.
 */
export function errorText(error: ApiError): string {
  let text = error.message;
  if (error.path && text.startsWith(`${error.path}: `)) text = text.slice(error.path.length + 2);
  text = text.replace(/^Too small: expected string to have >=1 characters?/, 'Required');
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
