/**
 * Where a problem in a scenario file is, in words a scenario writer can
 * follow: the validator names places as JSON pointers (RFC 6901) such as
 * `/timeline/3/options/1/next`; this turns one into
 * `timeline step 4 (id “d-contain”), option 2 (id “delete”), next`.
 *
 * Given the parsed file, list items are named by their `id` where they have
 * one; without it (the file is not valid JSON, or came inside a bundle) the
 * positions alone are given. Never throws, whatever the pointer.
 */

/** What one item of each list of the scenario format is called, by the list's key. */
const ITEM_NAMES: Readonly<Record<string, string>> = {
  timeline: 'timeline step',
  options: 'option',
  outcomes: 'outcome',
  cases: 'case',
  evidence: 'evidence item',
  objectives: 'objective',
  milestones: 'milestone',
  contingencies: 'contingency',
  roles: 'role',
  variables: 'variable',
  authors: 'author',
  audience: 'audience entry',
  tags: 'tag',
  records: 'record',
  lines: 'line',
  messages: 'message',
  rows: 'row',
  columns: 'column',
  questions: 'question',
  expectedActions: 'expected action',
  owners: 'owner',
  traps: 'trap',
  phaseQuestions: 'phase',
  preventedBy: 'prevented-by entry',
  to: 'recipient',
  cc: 'copied recipient',
  all: 'condition',
  any: 'condition',
};

/** Objects whose keys are ids or tags chosen by the writer (quoted as written, not turned into words). */
const KEYED_BY_WRITER = new Set(['set', 'add', 'score']);

/** The reference tokens of a pointer, unescaped (`~1` is `/`, `~0` is `~`); null if it is not a pointer. */
export function pointerTokens(pointer: string): string[] | null {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return null;
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** A property name in words: "defaultOption" → "default option", "timeLimitMinutes" → "time limit minutes". */
function words(key: string): string {
  if (key === '') return '(empty name)';
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase();
}

function child(node: unknown, token: string): unknown {
  if (Array.isArray(node)) return /^(0|[1-9]\d*)$/.test(token) ? node[Number(token)] : undefined;
  if (node !== null && typeof node === 'object' && Object.prototype.hasOwnProperty.call(node, token)) return (node as Record<string, unknown>)[token];
  return undefined;
}

function idOf(node: unknown): string | null {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return null;
  const id = (node as Record<string, unknown>).id;
  return typeof id === 'string' && id !== '' ? id : null;
}

/**
 * A JSON pointer into a scenario file in words. `document` is the parsed file
 * when it is valid JSON (to name list items by id), else undefined.
 */
export function describePointer(pointer: string, document?: unknown): string {
  const tokens = pointerTokens(pointer);
  if (tokens === null) return pointer;
  if (tokens.length === 0) return 'the whole file';
  const parts: string[] = [];
  let node: unknown = document;
  let parentKey: string | null = null;
  for (const token of tokens) {
    const isIndex = /^(0|[1-9]\d*)$/.test(token) && (Array.isArray(node) || (node === undefined && parentKey !== null && parentKey in ITEM_NAMES));
    const next = child(node, token);
    if (isIndex) {
      // "timeline", "3" reads as one part: "timeline step 4".
      const listName = parentKey !== null ? ITEM_NAMES[parentKey] : undefined;
      if (listName !== undefined && parts.length > 0) parts.pop();
      const id = idOf(next);
      parts.push(`${listName ?? 'item'} ${Number(token) + 1}${id ? ` (id “${id}”)` : ''}`);
      parentKey = null;
    } else {
      parts.push(parentKey !== null && KEYED_BY_WRITER.has(parentKey) ? `“${token}”` : words(token));
      parentKey = token;
    }
    node = next;
  }
  return parts.join(', ');
}
