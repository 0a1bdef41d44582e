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

/** Every string of the document that holds a "To be written" placeholder, in document order. */
export function findPlaceholders(document: unknown, limit = 1_000): Placeholder[] {
  const found: Placeholder[] = [];
  const path: (string | number)[] = [];
  const walk = (value: unknown): void => {
    if (found.length >= limit) return;
    if (typeof value === 'string') {
      if (PLACEHOLDER.test(value)) found.push({ pointer: toPointer(path), text: value });
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => {
        path.push(i);
        walk(item);
        path.pop();
      });
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        path.push(key);
        walk(item);
        path.pop();
      }
    }
  };
  walk(document);
  return found;
}
