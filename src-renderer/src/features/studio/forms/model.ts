/**
 * What the studio forms read out of a draft: pointers into it, the lists
 * their pickers offer (roles, variables, milestones, nodes...) and fresh ids.
 * A draft may be invalid while it is written, so everything here reads the
 * document defensively and never throws.
 */
import type { DraftEditor } from '../editor.ts';

/** A pointer to a child of `pointer` (RFC 6901: `~` and `/` escaped). */
export function child(pointer: string, ...tokens: (string | number)[]): string {
  return pointer + tokens.map((t) => '/' + String(t).replaceAll('~', '~0').replaceAll('/', '~1')).join('');
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function arrayAt(editor: DraftEditor, pointer: string): unknown[] {
  const value = editor.get(pointer);
  return Array.isArray(value) ? value : [];
}

/** The array held under `key` of an object (not of the draft), or []. */
export function listIn(record: Record<string, unknown>, key: string): unknown[] {
  const value: unknown = record[key];
  return Array.isArray(value) ? (value as unknown[]) : [];
}

export function recordAt(editor: DraftEditor, pointer: string): Record<string, unknown> {
  const value = editor.get(pointer);
  return isRecord(value) ? value : {};
}

export function stringAt(editor: DraftEditor, pointer: string): string {
  const value = editor.get(pointer);
  return typeof value === 'string' ? value : '';
}

/** One choice of a picker. */
export interface Choice {
  value: string;
  label: string;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** The items of a top-level list that have an id, as picker choices labelled by `labelKey`. */
export function choicesOf(editor: DraftEditor, list: string, labelKey = 'label'): Choice[] {
  return arrayAt(editor, `/${list}`)
    .filter(isRecord)
    .filter((item) => text(item.id) !== '')
    .map((item) => ({ value: text(item.id), label: text(item[labelKey]) || text(item.id) }));
}

/** A choice in a family (the tag vocabularies). */
export interface GroupedChoice extends Choice {
  group?: string;
}

export type VariableType = 'number' | 'boolean' | 'string';

export interface VariableChoice extends Choice {
  type: VariableType;
}

export function variableChoices(editor: DraftEditor): VariableChoice[] {
  return arrayAt(editor, '/variables')
    .filter(isRecord)
    .filter((v) => text(v.id) !== '' && (v.type === 'number' || v.type === 'boolean' || v.type === 'string'))
    .map((v) => ({ value: text(v.id), label: text(v.label) || text(v.id), type: v.type as VariableType }));
}

/** A variable as living text reads it. */
export type LivingVariable =
  | { id: string; label: string; type: 'number'; initial: number }
  | { id: string; label: string; type: 'boolean'; initial: boolean }
  | { id: string; label: string; type: 'string'; initial: string };

/** The draft's variables as living text reads them (well-formed ones only). */
export function livingVariables(editor: DraftEditor): LivingVariable[] {
  return arrayAt(editor, '/variables')
    .filter(isRecord)
    .flatMap((v): LivingVariable[] => {
      const id = text(v.id);
      const label = text(v.label);
      if (v.type === 'number' && typeof v.initial === 'number') return [{ id, label, type: 'number' as const, initial: v.initial }];
      if (v.type === 'boolean' && typeof v.initial === 'boolean') return [{ id, label, type: 'boolean' as const, initial: v.initial }];
      if (v.type === 'string' && typeof v.initial === 'string') return [{ id, label, type: 'string' as const, initial: v.initial }];
      return [];
    });
}

/** Every timeline node with an id, labelled "title (type)". */
export function nodeChoices(editor: DraftEditor, type?: string): Choice[] {
  return arrayAt(editor, '/timeline')
    .filter(isRecord)
    .filter((node) => text(node.id) !== '' && (type === undefined || node.type === type))
    .map((node) => ({ value: text(node.id), label: `${text(node.title) || text(node.id)} (${text(node.type) || 'node'})` }));
}

/** The options of the decision with this id. */
export function optionChoices(editor: DraftEditor, decisionId: string): Choice[] {
  const decision = arrayAt(editor, '/timeline')
    .filter(isRecord)
    .find((node) => node.type === 'decision' && node.id === decisionId);
  if (!decision || !Array.isArray(decision.options)) return [];
  return decision.options.filter(isRecord).map((o) => ({ value: text(o.id), label: text(o.label) || text(o.id) }));
}

/** The pointer of the top-level item (`/timeline/3`, `/evidence/0`) whose id is `id`, or null. */
export function pointerOfId(editor: DraftEditor, list: string, id: string): string | null {
  const index = arrayAt(editor, `/${list}`).findIndex((item) => isRecord(item) && item.id === id);
  return index < 0 ? null : child(`/${list}`, index);
}

/** An id not yet taken: `base`, else `base-2`, `base-3`... */
export function freshId(taken: Iterable<unknown>, base: string): string {
  const used = new Set([...taken].map(String));
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** The ids of the items of an array (of objects with ids) at a pointer. */
export function idsAt(editor: DraftEditor, pointer: string): string[] {
  return arrayAt(editor, pointer)
    .filter(isRecord)
    .map((item) => text(item.id));
}

/** Sets `value` at `pointer`, first making the object that holds it (and its own holder) when missing. */
export function setDeep(editor: DraftEditor, pointer: string, value: unknown, label?: string): void {
  const tokens = pointer.split('/').slice(1);
  const parents: string[] = [];
  for (let i = 1; i < tokens.length; i++) parents.push('/' + tokens.slice(0, i).join('/'));
  const missing = parents.filter((p) => editor.get(p) === undefined);
  if (missing.length === 0) {
    editor.set(pointer, value, label);
    return;
  }
  editor.batch(label ?? 'Edit', () => {
    for (const p of missing) editor.set(p, {});
    editor.set(pointer, value, label);
  });
}

/** Sets a value, or removes the key when `value` is undefined (an optional field left empty). */
export function setOrRemove(editor: DraftEditor, pointer: string, value: unknown, label?: string): void {
  if (value === undefined) {
    if (editor.get(pointer) !== undefined) editor.remove(pointer, label);
  } else setDeep(editor, pointer, value, label);
}

/** Adds an item at the end of the array at `pointer`, making the array when it is missing. */
export function append(editor: DraftEditor, pointer: string, item: unknown, label?: string): void {
  if (editor.get(pointer) === undefined) setDeep(editor, pointer, [item], label);
  else editor.insert(child(pointer, '-'), item, label);
}

/** Moves an array item from one index to another as one undo step. */
export function move(editor: DraftEditor, list: string, from: number, to: number, label = 'Reorder'): void {
  const items = arrayAt(editor, list);
  if (to < 0 || to >= items.length || from === to) return;
  const item = items[from];
  editor.batch(label, () => {
    editor.remove(child(list, from));
    editor.insert(child(list, to), item);
  });
}
