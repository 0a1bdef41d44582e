/**
 * The placeholders still in a draft: every text that says "To be written"
 * (what an MSEL import or a conversion leaves where the source had nothing:
 * narratives, the handling marking, authors, objectives, notes), by pointer,
 * so the studio can list them and take the writer to each one.
 */
import { toPointer } from './draft.svelte.ts';

const PLACEHOLDER = /to be written/i;

export interface Placeholder {
  pointer: string;
  text: string;
}

/** Placeholders beneath each object or list, as [relative tokens, text]: documents share unchanged parts between edits, so only what an edit copied is walked again. */
const cache = new WeakMap<object, readonly (readonly [readonly (string | number)[], string])[]>();

function within(value: unknown): readonly (readonly [readonly (string | number)[], string])[] {
  if (typeof value === 'string') return PLACEHOLDER.test(value) ? [[[], value]] : [];
  if (typeof value !== 'object' || value === null) return [];
  const cached = cache.get(value);
  if (cached) return cached;
  const found: (readonly [readonly (string | number)[], string])[] = [];
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((item, i) => [i, item]) : Object.entries(value);
  for (const [key, item] of entries) for (const [tokens, text] of within(item)) found.push([[key, ...tokens], text]);
  cache.set(value, found);
  return found;
}

/** Every string of the document that holds a "To be written" placeholder, in document order (the first `limit`). */
export function findPlaceholders(document: unknown, limit = 1_000): Placeholder[] {
  return within(document)
    .slice(0, limit)
    .map(([tokens, text]) => ({ pointer: toPointer(tokens), text }));
}
