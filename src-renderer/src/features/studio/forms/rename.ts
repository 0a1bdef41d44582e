/**
 * Renaming an id carries its references with it: every place the draft names
 * a node, variable, milestone, objective, role, evidence item or option by
 * its id. Pure: returns the edits (pointer and new value) to make.
 */
import { child, isRecord } from './model.ts';

export type IdKind = 'node' | 'variable' | 'milestone' | 'objective' | 'role' | 'evidence';

export interface RenameEdit {
  pointer: string;
  value: unknown;
}

/** Keys whose string value names a node, and the lists whose strings name an item of each kind. */
const NODE_KEYS = new Set(['next', 'otherwise', 'start', 'chose']);
const LISTS: Record<Exclude<IdKind, 'node' | 'variable'>, readonly string[]> = {
  milestone: ['milestones'],
  objective: ['objectives'],
  role: ['owners', 'audience', 'roles'],
  evidence: ['evidence'],
};

/** A living-text placeholder naming this variable (the name, then a format or the end); an id's only pattern character is ".". */
function livingToken(name: string): RegExp {
  return new RegExp(`(\\{\\{\\s*)${name.replaceAll('.', '\\.')}(\\s*(?:\\||\\}\\}))`, 'g');
}

function renameKey(record: Record<string, unknown>, from: string, to: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k === from ? to : k, v]));
}

/** The edits that make every reference to `from` (an id of this kind) name `to` instead. */
export function renameEdits(document: unknown, kind: IdKind, from: string, to: string): RenameEdit[] {
  const edits: RenameEdit[] = [];
  if (from === to || from === '') return edits;
  const visit = (value: unknown, pointer: string, key: string, parentKey: string): void => {
    if (Array.isArray(value)) {
      const names = kind !== 'node' && kind !== 'variable' && LISTS[kind].includes(key);
      value.forEach((item, i) => {
        if (names && item === from) edits.push({ pointer: child(pointer, i), value: to });
        else visit(item, child(pointer, i), String(i), key);
      });
      return;
    }
    if (!isRecord(value)) {
      if (kind === 'variable' && typeof value === 'string' && value.includes('{{')) {
        // Living text: {{from}}, {{ from | format }}.
        const renamed = value.replace(livingToken(from), (_whole, open: string, close: string) => `${open}${to}${close}`);
        if (renamed !== value) edits.push({ pointer, value: renamed });
        return;
      }
      if (value !== from) return;
      if (kind === 'node' && (NODE_KEYS.has(key) || (key === 'inject' && parentKey === 'after'))) edits.push({ pointer, value: to });
      if (kind === 'variable' && key === 'var') edits.push({ pointer, value: to });
      if (kind === 'milestone' && key === 'milestone') edits.push({ pointer, value: to });
      if (kind === 'objective' && key === 'objective') edits.push({ pointer, value: to });
      return;
    }
    if (kind === 'variable' && (key === 'set' || key === 'add') && Object.hasOwn(value, from)) {
      edits.push({ pointer, value: renameKey(value, from, to) });
      return;
    }
    for (const [k, v] of Object.entries(value)) visit(v, child(pointer, k), k, key);
  };
  visit(document, '', '', '');
  return edits;
}

/** The edits that carry an option's new id to its decision's default and to conditions on it. */
export function renameOptionEdits(document: unknown, decisionPointer: string, decisionId: string, from: string, to: string): RenameEdit[] {
  const edits: RenameEdit[] = [];
  if (from === to || from === '') return edits;
  const visit = (value: unknown, pointer: string): void => {
    if (Array.isArray(value)) value.forEach((item, i) => visit(item, child(pointer, i)));
    else if (isRecord(value)) {
      if (value.chose === decisionId && value.option === from) edits.push({ pointer: child(pointer, 'option'), value: to });
      if (pointer === decisionPointer && value.defaultOption === from) edits.push({ pointer: child(pointer, 'defaultOption'), value: to });
      for (const [k, v] of Object.entries(value)) visit(v, child(pointer, k));
    }
  };
  visit(document, '');
  return edits;
}
