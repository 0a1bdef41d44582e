/**
 * Living text (format 1.1): `{{variable}}` in narrative and evidence text,
 * replaced by the team's value of that variable at the moment the text is
 * shown. One renderer (`renderLivingText`) for every screen and report, one
 * checker (`checkLivingText`) for the validator.
 *
 *   {{records}}               the value as written (numbers locale-grouped)
 *   {{records|number}}        a number, locale-grouped: 1,250,000
 *   {{cost|currency:USD}}     a number as money in an ISO 4217 currency: $48,000.00
 *   {{outage|duration}}       a number of minutes as a duration: 2 h 30 min
 *
 * Values are escaped for where they go: in markdown fields every markdown and
 * HTML punctuation character of a value is backslash-escaped before the text
 * is parsed, so a string variable can never add markup (the markdown renderer
 * sanitises as always). Pure: no DOM, no locale of the machine (numbers are
 * grouped as in `en-US`, so the console, the projector, the phones and the
 * report read the same).
 */
import { formatDuration } from '../time-format.ts';
import type { Evidence, Scalar, Variable } from './schema.ts';

/** `{{ name }}` or `{{ name | format }}` or `{{ name | format:argument }}` (spaces allowed around the parts). */
const TOKEN = /\{\{\s*([A-Za-z][A-Za-z0-9_.-]{0,63})\s*(?:\|\s*([A-Za-z]+)\s*(?::\s*([A-Za-z0-9_-]{1,16})\s*)?)?\}\}/g;
/** Anything that looks like a placeholder, well-formed or not (for "could not be read" errors). */
const LOOSE = /\{\{([^{}]{0,200})\}\}/g;

export const LIVING_TEXT_FORMATS = ['number', 'currency', 'duration'] as const;
export type LivingTextFormat = (typeof LIVING_TEXT_FORMATS)[number];

const LOCALE = 'en-US';

export interface LivingTextIssue {
  message: string;
}

/** Whether a text has anything that looks like a placeholder (a 1.1 construct). */
export function hasLivingText(text: string): boolean {
  LOOSE.lastIndex = 0;
  return LOOSE.test(text);
}

/** The names a text refers to (well-formed placeholders only). */
export function livingTextNames(text: string): string[] {
  return [...text.matchAll(TOKEN)].map((m) => m[1]!);
}

function currencyFormatter(code: string): Intl.NumberFormat | null {
  if (!/^[A-Z]{3}$/.test(code)) return null;
  try {
    return new Intl.NumberFormat(LOCALE, { style: 'currency', currency: code });
  } catch {
    return null;
  }
}

/** Every problem with the placeholders of one text: unknown names, unknown formats, formats that do not fit the variable. */
export function checkLivingText(text: string, variables: readonly Variable[], suggest: (name: string) => string = () => ''): LivingTextIssue[] {
  const issues: LivingTextIssue[] = [];
  const byId = new Map(variables.map((v) => [v.id, v]));
  for (const loose of text.matchAll(LOOSE)) {
    const whole = loose[0];
    const match = new RegExp(`^${TOKEN.source}$`).exec(whole);
    if (!match) {
      issues.push({ message: `"${whole}" is not a placeholder Sandtable can read; write {{variable}} or {{variable|number}}, {{variable|currency:USD}}, {{variable|duration}}` });
      continue;
    }
    const [, name, format, argument] = match as unknown as [string, string, string | undefined, string | undefined];
    const variable = byId.get(name);
    if (!variable) {
      issues.push({ message: `"${whole}" refers to "${name}", but no variable has that id${suggest(name)}` });
      continue;
    }
    if (format === undefined) continue;
    if (!(LIVING_TEXT_FORMATS as readonly string[]).includes(format)) {
      issues.push({ message: `"${whole}" uses the format "${format}", which is not one of ${LIVING_TEXT_FORMATS.map((f) => `"${f}"`).join(', ')}` });
      continue;
    }
    if (variable.type !== 'number') {
      issues.push({ message: `"${whole}" formats variable "${name}" as ${format}, but it is a ${variable.type} variable; only number variables take a format` });
      continue;
    }
    if (format === 'currency') {
      if (argument === undefined) issues.push({ message: `"${whole}" needs a currency code, e.g. {{${name}|currency:USD}}` });
      else if (!currencyFormatter(argument)) issues.push({ message: `"${whole}": "${argument}" is not an ISO 4217 currency code (e.g. USD, EUR, GBP)` });
    } else if (argument !== undefined) {
      issues.push({ message: `"${whole}": the format "${format}" takes no argument (remove ":${argument}")` });
    }
  }
  return issues;
}

/** Backslash-escapes what markdown or HTML could read as markup. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>&~"':@/=]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

function formatValue(value: Scalar, format: string | undefined, argument: string | undefined): string | null {
  if (format === undefined) {
    if (typeof value === 'number') return value.toLocaleString(LOCALE, { maximumFractionDigits: 6 });
    if (typeof value === 'boolean') return value ? 'yes' : 'no';
    return value;
  }
  if (typeof value !== 'number') return null;
  switch (format) {
    case 'number':
      return value.toLocaleString(LOCALE, { maximumFractionDigits: 6 });
    case 'currency':
      return argument === undefined ? null : (currencyFormatter(argument)?.format(value) ?? null);
    case 'duration':
      return formatDuration(value * 60_000);
    default:
      return null;
  }
}

export interface RenderOptions {
  /** The text is markdown: values are escaped so they cannot add markup (default true). */
  markdown?: boolean;
}

/**
 * Replaces every `{{variable}}` with the team's value. `vars` are the team's
 * current values (a variable missing there reads its initial value); a
 * placeholder that names no variable, or whose format does not fit, is left
 * as written (validation refuses those, so only an unvalidated text shows one).
 */
export function renderLivingText(text: string, vars: Readonly<Record<string, Scalar>>, variables: readonly Variable[], options: RenderOptions = {}): string {
  if (!text.includes('{{')) return text;
  const markdown = options.markdown ?? true;
  return text.replace(TOKEN, (whole, name: string, format: string | undefined, argument: string | undefined) => {
    const variable = variables.find((v) => v.id === name);
    if (!variable) return whole;
    const value = Object.hasOwn(vars, name) ? vars[name]! : variable.initial;
    const written = formatValue(value, format, argument);
    if (written === null) return whole;
    return markdown ? escapeMarkdown(written) : written;
  });
}

/** The text fields of an evidence item that may hold living text, with whether each is markdown. */
export function renderEvidenceText(item: Evidence, vars: Readonly<Record<string, Scalar>>, variables: readonly Variable[]): Evidence {
  const md = (text: string) => renderLivingText(text, vars, variables);
  const plain = (text: string) => renderLivingText(text, vars, variables, { markdown: false });
  switch (item.kind) {
    case 'email':
      return { ...item, subject: plain(item.subject), body: md(item.body) };
    case 'chat':
      return { ...item, messages: item.messages.map((m) => ({ ...m, text: plain(m.text) })) };
    case 'ticket':
    case 'alert':
    case 'note':
      return { ...item, body: md(item.body) };
    default:
      return item;
  }
}

/** The living-text fields of an evidence item as [path under the item, text] pairs (for validation). */
export function evidenceTextFields(item: Evidence): Array<[Array<string | number>, string]> {
  switch (item.kind) {
    case 'email':
      return [
        [['subject'], item.subject],
        [['body'], item.body],
      ];
    case 'chat':
      return item.messages.map((m, i) => [['messages', i, 'text'], m.text]);
    case 'ticket':
    case 'alert':
    case 'note':
      return [[['body'], item.body]];
    default:
      return [];
  }
}
