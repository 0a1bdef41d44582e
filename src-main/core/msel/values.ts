/**
 * Reading and writing the values of MSEL cells: scenario times, channels,
 * inject types, sequence numbers and lists.
 */
import { CHANNELS } from '../scenario/schema.ts';

export type Channel = (typeof CHANNELS)[number];

/** The latest scenario time the format accepts (7 days), in minutes. */
export const MAX_MINUTES = 7 * 24 * 60;

export type TimeRead = { ok: true; minutes: number | null } | { ok: false; message: string };

const UNIT_MINUTES: ReadonlyArray<[RegExp, number]> = [
  [/^(d|days?)$/, 24 * 60],
  [/^(h|hrs?|hours?)$/, 60],
  [/^(m|mins?|minutes?)$/, 1],
  [/^(s|secs?|seconds?)$/, 1 / 60],
];

/**
 * Reads a scenario time (an offset from the start of the exercise) in minutes.
 * Accepted: "00:15", "0:15:00", "T+15", "T+00:15", "+15", "15", "15 min",
 * "1h 5m", "1 hour, 5 minutes"; blank means "no set time" (null).
 */
export function parseScenarioTime(raw: string): TimeRead {
  let text = raw.trim().toLowerCase();
  if (text === '') return { ok: true, minutes: null };
  text = text.replace(/^t\s*\+\s*|^\+\s*/, '');
  let minutes: number | undefined;

  const clock = /^(\d{1,4}):(\d{1,2})(?::(\d{1,2}(?:\.\d+)?))?$/.exec(text);
  if (clock) {
    const [h, m, s] = [Number(clock[1]), Number(clock[2]), clock[3] === undefined ? 0 : Number(clock[3])];
    if (m >= 60 || s >= 60) return { ok: false, message: `"${raw.trim()}" is not a time: minutes and seconds go up to 59` };
    minutes = h * 60 + m + s / 60;
  } else if (/^\d+(\.\d+)?$/.test(text)) {
    minutes = Number(text);
  } else {
    minutes = parseWithUnits(text);
  }
  if (minutes === undefined) {
    return { ok: false, message: `"${raw.trim()}" is not a scenario time; write it as HH:MM (00:15), T+15, 15 min or 1h 5m` };
  }
  if (minutes > MAX_MINUTES) return { ok: false, message: `"${raw.trim()}" is later than 7 days after the start, the longest an exercise may run` };
  return { ok: true, minutes: Math.round(minutes * 1e6) / 1e6 };
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * Reads a time of day, with or without a date, as minutes since 1970-01-01
 * (days count whole, so that a later day is later): "09:05", "9:05 AM",
 * "2024-06-14 09:05", "2024-06-14T09:05:00", "6/14/2024 9:05 PM",
 * "14 Jun 2024 09:05". Day/month order of "a/b/yyyy" is taken as month/day
 * unless the first number is above 12. Null when it is none of these.
 */
export function parseClockTime(raw: string): number | null {
  const text = raw.trim().toLowerCase().replace(/\s+/g, ' ');
  if (text === '') return null;
  let day = 0;
  let rest = text;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[t ]|$)/.exec(rest);
  const slashed = /^(\d{1,2})[/.](\d{1,2})[/.](\d{2,4})(?: |$)/.exec(rest);
  const named = /^(\d{1,2})[ -]([a-z]{3})[a-z]*[ -](\d{4})(?: |$)/.exec(rest);
  const toDay = (y: number, m: number, d: number) => (m >= 1 && m <= 12 && d >= 1 && d <= 31 ? Date.UTC(y, m - 1, d) / 86_400_000 : Number.NaN);
  if (iso) {
    day = toDay(Number(iso[1]), Number(iso[2]), Number(iso[3]));
    rest = rest.slice(iso[0].length);
  } else if (slashed) {
    const [a, b, y] = [Number(slashed[1]), Number(slashed[2]), Number(slashed[3])];
    const year = y < 100 ? 2000 + y : y;
    day = a > 12 ? toDay(year, b, a) : toDay(year, a, b);
    rest = rest.slice(slashed[0].length);
  } else if (named) {
    day = toDay(Number(named[3]), MONTHS.indexOf(named[2]!) + 1, Number(named[1]));
    rest = rest.slice(named[0].length);
  }
  if (Number.isNaN(day)) return null;
  rest = rest.trim().replace(/z$/, '');
  if (rest === '') return day === 0 ? null : day * 1440;
  const clock = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?: ?([ap])\.?m\.?)?$/.exec(rest);
  if (!clock) return null;
  let hours = Number(clock[1]);
  const minutes = Number(clock[2]);
  const seconds = clock[3] === undefined ? 0 : Number(clock[3]);
  if (clock[4] !== undefined) {
    if (hours < 1 || hours > 12) return null;
    hours = (hours % 12) + (clock[4] === 'p' ? 12 : 0);
  }
  if (hours > 23 || minutes > 59 || seconds > 59) return null;
  return day * 1440 + hours * 60 + minutes + seconds / 60;
}

/** Whether a time cell is plainly a time of day or a date rather than an offset ("9:05 AM", "2024-06-14 09:05"). */
export function looksLikeClockTime(raw: string): boolean {
  const text = raw.trim().toLowerCase();
  return (
    /\d\s*[ap]\.?m\.?$/.test(text) ||
    /^\d{4}-\d{1,2}-\d{1,2}/.test(text) ||
    /^\d{1,2}[/.]\d{1,2}[/.]\d{2,4}/.test(text) ||
    /^\d{1,2}[ -](jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*[ -]\d{4}/.test(text)
  );
}

/** "1h 5m", "1 hour, 5 minutes", "90 min", "1.5h": each unit at most once, largest first. */
function parseWithUnits(text: string): number | undefined {
  const parts = text.replace(/,|\band\b/g, ' ').match(/\d+(?:\.\d+)?\s*[a-z]+/g);
  if (!parts || parts.join('').replace(/\s/g, '') !== text.replace(/,|\band\b|\s/g, '')) return undefined;
  let total = 0;
  let lastUnit = Number.POSITIVE_INFINITY;
  for (const part of parts) {
    const [, amount, unit] = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/.exec(part)!;
    const factor = UNIT_MINUTES.find(([pattern]) => pattern.test(unit!))?.[1];
    if (factor === undefined || factor >= lastUnit) return undefined;
    lastUnit = factor;
    total += Number(amount) * factor;
  }
  return total;
}

/** Writes scenario minutes as HH:MM (HH:MM:SS when not on a whole minute); hours go past 24. */
export function formatScenarioTime(minutes: number): string {
  const totalSeconds = Math.round(minutes * 60);
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  const hhmm = `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
  return s === 0 ? hhmm : `${hhmm}:${String(s).padStart(2, '0')}`;
}

/** Scenario milliseconds as HH:MM (to the minute, rounded down: the clock a facilitator saw). */
export function formatScenarioMs(ms: number): string {
  return formatScenarioTime(Math.floor(ms / 60_000));
}

const CHANNEL_NAMES: ReadonlyArray<[Channel, readonly string[]]> = [
  ['email', ['email', 'mail', 'emails', 'outlook', 'gmail', 'emailmessage']],
  [
    'chat',
    [
      'chat',
      'slack',
      'teams',
      'msteams',
      'microsoftteams',
      'im',
      'instantmessage',
      'instantmessaging',
      'sms',
      'text',
      'textmessage',
      'whatsapp',
      'signal',
      'mattermost',
      'messaging',
    ],
  ],
  ['phone', ['phone', 'phonecall', 'call', 'telephone', 'telephonecall', 'voice', 'voicemail', 'mobile', 'cell', 'conferencecall', 'bridge', 'hotline']],
  ['alert', ['alert', 'alarm', 'page', 'pager', 'pagerduty', 'opsgenie', 'siem', 'siemalert', 'notification', 'monitoring', 'edr', 'securityalert']],
  ['ticket', ['ticket', 'jira', 'servicenow', 'itsm', 'helpdesk', 'servicedesk', 'incidentticket', 'case']],
  ['news', ['news', 'press', 'media', 'tv', 'television', 'radio', 'newspaper', 'newsreport', 'newsarticle', 'pressrelease', 'journalist', 'reporter']],
  ['social-media', ['socialmedia', 'social', 'twitter', 'x', 'linkedin', 'facebook', 'mastodon', 'bluesky', 'reddit', 'tweet', 'post', 'socialpost']],
  ['in-person', ['inperson', 'facetoface', 'f2f', 'verbal', 'walkin', 'handdelivered', 'controller', 'roleplay', 'simcell', 'simulationcell', 'visit']],
  ['briefing', ['briefing', 'brief', 'presentation', 'announcement', 'verbalbriefing', 'facilitator', 'narration', 'situationupdate', 'sitrep']],
  ['console', ['console', 'dashboard', 'screen', 'system', 'log', 'logs', 'terminal', 'portal', 'awsconsole', 'cloudconsole', 'tool']],
  ['report', ['report', 'document', 'memo', 'letter', 'handout', 'fax', 'paper', 'pdf', 'briefingpaper', 'writtenreport']],
  ['other', ['other', 'misc', 'miscellaneous']],
];

const CHANNEL_BY_NAME: ReadonlyMap<string, Channel> = new Map(CHANNEL_NAMES.flatMap(([channel, names]) => names.map((name) => [name, channel] as const)));

/** Words that name no channel on their own but often qualify one ("Email printout", "Chat message"). */
const CHANNEL_WORD_NAMES: ReadonlyArray<[Channel, readonly string[]]> = [
  ['email', ['inbox', 'emailed']],
  ['phone', ['phoned', 'rang', 'ring', 'landline', 'teleconference', 'voip']],
  ['report', ['printout', 'printed', 'print', 'hardcopy', 'handouts', 'briefingnote', 'paperwork']],
  ['in-person', ['person', 'walk', 'visitor', 'actor', 'roleplayer']],
  ['briefing', ['video', 'vignette', 'slide', 'slides', 'powerpoint', 'narrator']],
];
const CHANNEL_BY_WORD: ReadonlyMap<string, Channel> = new Map([
  ...CHANNEL_NAMES.flatMap(([channel, names]) => names.map((name) => [name, channel] as const)),
  ...CHANNEL_WORD_NAMES.flatMap(([channel, names]) => names.map((name) => [name, channel] as const)),
]);

/**
 * The format's channel for a delivery method as a planner wrote it, or
 * null when it names none of them (the caller files it under "other").
 * The whole text is tried first ("E-mail", "Phone call", "MS Teams"), then its
 * words by meaning, the first word that names a channel deciding
 * ("Email printout" → email, "Chat message" → chat, "Call from the CEO" → phone).
 */
export function channelFor(raw: string): Channel | null {
  const text = raw.toLowerCase().replace(/e-mail/g, 'email');
  const key = text.replace(/[^a-z0-9]+/g, '');
  if (key === '') return null;
  const whole = CHANNEL_BY_NAME.get(key);
  if (whole) return whole;
  const words = text.split(/[^a-z0-9]+/).filter((w) => w !== '');
  for (let i = 0; i < words.length; i++) {
    // Two words read as one first ("social media", "face to face" → "facetoface" is three, so pairs and triples).
    for (const span of [3, 2, 1]) {
      const joined = words.slice(i, i + span).join('');
      if (span > 1 && i + span > words.length) continue;
      if (span === 1 && joined.length < 2) continue; // "X" alone names a channel only as the whole cell
      const channel = CHANNEL_BY_NAME.get(joined) ?? (span === 1 ? (CHANNEL_BY_WORD.get(joined) ?? CHANNEL_BY_WORD.get(joined.replace(/s$/, ''))) : undefined);
      if (channel) return channel;
    }
  }
  return null;
}

/** How a row takes part in the exercise. */
export type RowKind = 'inject' | 'decision' | 'contingency';

const KIND_NAMES: ReadonlyMap<string, RowKind> = new Map([
  ...['', 'inject', 'information', 'info', 'event', 'media', 'message', 'update', 'expected', 'expectedinject', 'scripted', 'core'].map((n) => [n, 'inject'] as const),
  ...['decision', 'decisionpoint', 'choice', 'vote'].map((n) => [n, 'decision'] as const),
  ...['contingency', 'contingencyinject', 'contingent', 'reserve', 'backup', 'contingencyreserve', 'adhoc', 'spare'].map((n) => [n, 'contingency'] as const),
]);

/** The kind of row an inject type names; unknown types are plain injects (the caller keeps the original in notes). */
export function kindFor(raw: string): { kind: RowKind; known: boolean } {
  const kind = KIND_NAMES.get(raw.toLowerCase().replace(/[^a-z]+/g, ''));
  return kind ? { kind, known: true } : { kind: 'inject', known: false };
}

/** A sequence number as a sortable tuple: "3" → [3], "2.1" → [2, 1], "INJ-004" → [4]; null when it holds no digits. */
export function parseSequence(raw: string): number[] | null {
  const groups = raw.match(/\d+/g);
  return groups ? groups.slice(0, 6).map(Number) : null;
}

/** Compares two sequence tuples numerically, shorter first on a tie ("2" before "2.1"). */
export function compareSequence(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

const BULLET = /^\s*(?:[-*•‣◦]|\d{1,3}[.)])\s+/;

/** Splits a cell into its non-empty lines, without list bullets ("- ", "* ", "• ", "1. "). */
export function splitList(cell: string): string[] {
  return cell
    .split(/\r\n|\r|\n/)
    .map((line) => line.replace(BULLET, '').trim())
    .filter((line) => line !== '');
}

/**
 * Writes a list as one cell: a single item as it is, several as "• " lines
 * (a bullet, not "- ", which a spreadsheet would take for a formula).
 */
export function joinList(items: readonly string[]): string {
  return items.length === 1 ? items[0]! : items.map((item) => `• ${item}`).join('\n');
}
