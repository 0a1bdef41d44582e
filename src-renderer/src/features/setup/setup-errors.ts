/**
 * The contract's own check of `sessions.create` input, run in the renderer
 * before the round-trip, with every problem said in plain words about the
 * field it concerns ("Give the session a name.", not "Too small: expected
 * string to have >=1 characters").
 */
import type { z } from 'zod';
import { methods } from '../../../../src-main/api/contract.ts';

type Issue = z.core.$ZodIssue;

/** How a field is named in a sentence, and the unit of its numbers. */
export interface FieldWords {
  /** e.g. "the session name", "the name of team 2". */
  name: string;
  /** What to say when it is empty, e.g. "Give the session a name." */
  required?: string;
  /** e.g. " minutes". */
  unit?: string;
  /** What to say when a list holds too few or too many. */
  tooFew?: string;
  tooMany?: string;
}

/** One problem: the JSON pointer of the input at fault and the sentence to show. */
export interface Problem {
  pointer: string;
  message: string;
}

export function pointerOf(path: readonly PropertyKey[]): string {
  return path.map((part) => `/${String(part).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** One zod issue in plain words about the field it names. */
export function plainMessage(issue: Issue, words: FieldWords): string {
  const name = words.name;
  const unit = words.unit ?? '';
  switch (issue.code) {
    case 'too_small': {
      const minimum = Number(issue.minimum);
      if (issue.origin === 'string') return minimum <= 1 ? (words.required ?? `${capitalised(name)} is required.`) : `${capitalised(name)} needs at least ${minimum} characters.`;
      if (issue.origin === 'array' || issue.origin === 'set') return words.tooFew ?? `${capitalised(name)} needs at least ${minimum}.`;
      return minimum === 0 && issue.inclusive ? `${capitalised(name)} cannot be negative.` : `${capitalised(name)} must be at least ${minimum}${unit}.`;
    }
    case 'too_big': {
      const maximum = Number(issue.maximum);
      if (issue.origin === 'string') return `${capitalised(name)} can be at most ${maximum} characters long.`;
      if (issue.origin === 'array' || issue.origin === 'set') return words.tooMany ?? `${capitalised(name)} can hold at most ${maximum}.`;
      return `${capitalised(name)} can be at most ${maximum.toLocaleString('en')}${unit}.`;
    }
    case 'invalid_type':
      if (issue.expected === 'number') return `Enter ${name} as a number${unit ? ` of${unit}` : ''}.`;
      return words.required ?? `${capitalised(name)} is required.`;
    case 'invalid_value':
    case 'invalid_union':
      return `Choose one of the offered values for ${name}.`;
    case 'unrecognized_keys':
      return `Unexpected fields: ${issue.keys.join(', ')}.`;
    case 'custom':
      return /[.!?]$/.test(issue.message) ? issue.message : `${issue.message}.`;
    default:
      return `${capitalised(name)} is not valid.`;
  }
}

/**
 * Checks `sessions.create` input with the contract's schema; returns every
 * problem (empty when the input is valid), each in plain words.
 */
export function checkCreateInput(input: unknown, wordsFor: (pointer: string) => FieldWords): Problem[] {
  const parsed = methods['sessions.create'].input.safeParse(input);
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => {
    const pointer = pointerOf(issue.path);
    return { pointer, message: plainMessage(issue, wordsFor(pointer)) };
  });
}
