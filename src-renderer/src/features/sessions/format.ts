/**
 * Words and numbers for the session screens (setup, console, presenter,
 * sessions list): clock readings, speeds, statuses and error messages.
 * Main stores times as milliseconds; they are formatted only here.
 */
import type { ApiError } from '../../../../src-main/api/errors.ts';

export type SessionStatus = 'setup' | 'running' | 'paused' | 'ended';

/** Clock speeds a session can run at (0 = manual: time moves only with "Next inject"). */
export const SPEEDS = [1, 2, 5, 10, 0] as const;
export type Speed = (typeof SPEEDS)[number];

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

/** A duration in words for screen readers and hints: "4 min 30 s", "1 h 5 min". */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const parts: string[] = [];
  if (hours) parts.push(`${hours} h`);
  if (minutes) parts.push(`${minutes} min`);
  if (seconds || parts.length === 0) parts.push(`${seconds} s`);
  return parts.join(' ');
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
