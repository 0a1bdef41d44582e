/**
 * Conditions (format: `{ var, op, value }`, `{ milestone, reached }`,
 * `{ chose, option }`, `{ all }`, `{ any }`, `{ not }`) as the studio builds
 * them from pickers: never typed expressions.
 */
import type { DraftEditor } from '../../editor.ts';
import { choicesOf, isRecord, nodeChoices, optionChoices, variableChoices, type VariableType } from '../model.ts';

export const CONDITION_KINDS = [
  { value: 'var', label: 'A variable has a value' },
  { value: 'milestone', label: 'A milestone is (not) reached' },
  { value: 'chose', label: 'An option was chosen' },
  { value: 'all', label: 'All of several conditions' },
  { value: 'any', label: 'Any of several conditions' },
  { value: 'not', label: 'Not (the opposite of a condition)' },
] as const;
export type ConditionKind = (typeof CONDITION_KINDS)[number]['value'];

export const OPERATORS = [
  { value: '==', label: 'is' },
  { value: '!=', label: 'is not' },
  { value: '>', label: 'is more than' },
  { value: '>=', label: 'is at least' },
  { value: '<', label: 'is less than' },
  { value: '<=', label: 'is at most' },
] as const;

/** The comparisons that fit a variable of this type (only numbers are ordered). */
export function operatorsFor(type: VariableType | undefined) {
  return type === 'number' || type === undefined ? OPERATORS : OPERATORS.slice(0, 2);
}

/** Which kind a condition in the draft is, or undefined if it is none of them. */
export function conditionKind(value: unknown): ConditionKind | undefined {
  if (!isRecord(value)) return undefined;
  return CONDITION_KINDS.find((k) => k.value in value)?.value;
}

export function defaultScalar(type: VariableType | undefined): number | boolean | string {
  return type === 'boolean' ? true : type === 'string' ? '' : 0;
}

/** A new condition of a kind, filled with the draft's first variable, milestone or decision; all/any/not wrap `previous` when there is one. */
export function makeCondition(editor: DraftEditor, kind: ConditionKind, previous: unknown): Record<string, unknown> {
  const inner = conditionKind(previous) ? previous : undefined;
  switch (kind) {
    case 'var': {
      const variable = variableChoices(editor)[0];
      return { var: variable?.value ?? '', op: '==', value: defaultScalar(variable?.type) };
    }
    case 'milestone':
      return { milestone: choicesOf(editor, 'milestones')[0]?.value ?? '', reached: true };
    case 'chose': {
      const decision = nodeChoices(editor, 'decision')[0]?.value ?? '';
      return { chose: decision, option: optionChoices(editor, decision)[0]?.value ?? '' };
    }
    case 'all':
    case 'any':
      return { [kind]: [inner ?? makeCondition(editor, 'var', undefined)] };
    case 'not':
      return { not: inner ?? makeCondition(editor, 'milestone', undefined) };
  }
}
