/**
 * A DraftEditor for the studio forms' tests: the draft as Svelte state,
 * every edit applied by JSON pointer and written down (with its label) so a
 * test can say which pointer an input changed, and problems the test sets.
 * Deliberately not studio-ui's implementation: the forms must need only the
 * interface (src-renderer/src/features/studio/editor.ts).
 */
import type { DraftEditor, ValidationProblem } from '../../../src-renderer/src/features/studio/editor.ts';

export interface Edit {
  op: 'set' | 'insert' | 'remove' | 'batch';
  pointer: string;
  value?: unknown;
  label?: string | undefined;
}

function tokens(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`not a JSON pointer: ${pointer}`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));
}

type Container = Record<string, unknown> | unknown[];

export class FakeDraft implements DraftEditor {
  document = $state<Record<string, unknown>>({});
  problems = $state<ValidationProblem[]>([]);
  edits: Edit[] = [];

  constructor(document: Record<string, unknown>) {
    this.document = structuredClone(document);
  }

  get(pointer: string): unknown {
    let at: unknown = this.document;
    for (const token of tokens(pointer)) {
      if (Array.isArray(at)) at = at[Number(token)];
      else if (typeof at === 'object' && at !== null && Object.hasOwn(at, token)) at = (at as Record<string, unknown>)[token];
      else return undefined;
    }
    return at;
  }

  #parent(pointer: string): [Container, string] {
    const path = tokens(pointer);
    const last = path.pop();
    if (last === undefined) throw new Error('cannot edit the whole document');
    const parent = this.get(path.length === 0 ? '' : '/' + path.map((t) => t.replaceAll('~', '~0').replaceAll('/', '~1')).join('/'));
    if (typeof parent !== 'object' || parent === null) throw new Error(`no container for ${pointer}`);
    return [parent as Container, last];
  }

  set(pointer: string, value: unknown, label?: string): void {
    this.edits.push({ op: 'set', pointer, value: $state.snapshot(value), label });
    const [parent, key] = this.#parent(pointer);
    if (Array.isArray(parent)) parent[key === '-' ? parent.length : Number(key)] = value;
    else parent[key] = value;
  }

  insert(pointer: string, value: unknown, label?: string): void {
    this.edits.push({ op: 'insert', pointer, value: $state.snapshot(value), label });
    const [parent, key] = this.#parent(pointer);
    if (!Array.isArray(parent)) throw new Error(`insert into a non-array at ${pointer}`);
    parent.splice(key === '-' ? parent.length : Number(key), 0, value);
  }

  remove(pointer: string, label?: string): void {
    this.edits.push({ op: 'remove', pointer, label });
    const [parent, key] = this.#parent(pointer);
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else Reflect.deleteProperty(parent, key);
  }

  problemsAt(pointer: string): readonly ValidationProblem[] {
    return this.problems.filter((p) => p.pointer === pointer || p.pointer.startsWith(pointer + '/'));
  }

  batch(label: string, edits: () => void): void {
    this.edits.push({ op: 'batch', pointer: '', label });
    edits();
  }

  /** The document as plain JSON. */
  snapshot(): Record<string, unknown> {
    return $state.snapshot(this.document);
  }
}
