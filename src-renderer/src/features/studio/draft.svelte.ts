/**
 * The draft a studio edits: the scenario document as plain JSON (it may be
 * invalid while being written), changed only through JSON-pointer edits
 * (RFC 6901), each one an undoable step with a label, saved on its own a
 * moment after the last edit.
 *
 * The document is immutable: an edit copies the objects along its pointer's
 * path and shares the rest, so the whole document before and after an edit is
 * two cheap roots. Undo and redo swap roots; a batch records the root before
 * its first edit; the roots can go to the validation worker and the store as
 * they are (no proxy to take a snapshot of). Reactivity is the root's: every
 * reader of `document` or `get()` sees each edit.
 *
 * Typing into one field makes one undo step, not one per keystroke: an edit
 * of the same pointer with the same label within `COALESCE_MS` of the last
 * one joins it.
 */
import { backOffCeiling } from '../../lib/back-off.ts';
import { pointerTokens } from '../import/describe-pointer.ts';
import type { DraftEditor, ValidationProblem } from './editor.ts';
import { isAtOrBeneath } from './live-validation.svelte.ts';

export type JsonObject = Record<string, unknown>;

/** Where the draft stands against its saved copy. */
export type SaveStatus = 'saved' | 'unsaved' | 'saving' | 'error' | 'conflict';

/** What the draft needs to save itself: studio.save, or a test's stand-in. */
export type SaveDraft = (document: JsonObject, revision: number) => Promise<{ revision: number; updatedAt?: string | number }>;

export interface DraftOptions {
  draftId: string;
  revision: number;
  document: unknown;
  save: SaveDraft;
  /** Milliseconds after the last edit before it is saved. */
  saveDelayMs?: number;
  /** Tells a refused save because another window saved first from any other failure. */
  isConflict?: (error: unknown) => boolean;
  /** The words of a failed save. */
  describeError?: (error: unknown) => string;
  /** The clock, for tests. */
  now?: () => number;
  /** Milliseconds before the first retry of a failed save (not a conflict); each next retry waits twice as long. */
  retryDelayMs?: number;
  /** The longest wait between retries. */
  retryMaxDelayMs?: number;
}

interface UndoEntry {
  label: string;
  before: JsonObject;
  after: JsonObject;
  /** The pointer of a single `set`, which later sets of the same field may join. */
  coalesceKey: string | null;
  at: number;
}

export const COALESCE_MS = 1500;
/** Undo steps kept; the oldest are dropped beyond it. */
export const UNDO_LIMIT = 500;

// ------------------------------------------------------------ JSON pointers

/** The reference tokens of a JSON pointer ("" is the whole document). */
export function parsePointer(pointer: string): string[] {
  const tokens = pointerTokens(pointer);
  if (!tokens) throw new Error(`Not a JSON pointer: "${pointer}" (it must start with "/").`);
  return tokens;
}

/** The JSON pointer of reference tokens. */
export function toPointer(tokens: readonly (string | number)[]): string {
  return tokens.map((token) => `/${String(token).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Array index of a token, or null when it is not one (RFC 6901: digits without a leading zero). */
function arrayIndex(token: string): number | null {
  return /^(0|[1-9][0-9]*)$/.test(token) ? Number(token) : null;
}

/** The value at a pointer, or undefined. */
export function valueAt(root: unknown, pointer: string): unknown {
  let current: unknown = root;
  for (const token of parsePointer(pointer)) {
    if (Array.isArray(current)) {
      const index = arrayIndex(token);
      if (index === null) return undefined;
      current = current[index];
    } else if (isObject(current)) {
      if (!Object.hasOwn(current, token)) return undefined;
      current = current[token];
    } else return undefined;
  }
  return current;
}

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * A copy of `root` with `change` applied to the container at `tokens` (its
 * parent objects copied, the rest shared). Missing objects on the way are
 * created; a path through a value that is not a container throws.
 */
function updateIn(root: unknown, tokens: readonly string[], change: (container: unknown) => unknown, pointer: string): unknown {
  if (tokens.length === 0) return change(root);
  const [head, ...rest] = tokens as [string, ...string[]];
  if (FORBIDDEN.has(head)) throw new Error(`"${head}" cannot be a key (${pointer}).`);
  if (Array.isArray(root)) {
    const index = arrayIndex(head);
    if (index === null || index >= root.length) throw new Error(`No item ${head} in the list at ${pointer}.`);
    const copy: unknown[] = root.slice();
    copy[index] = updateIn(root[index], rest, change, pointer);
    return copy;
  }
  const base = isObject(root) ? root : root === undefined ? {} : null;
  if (base === null) throw new Error(`${pointer} goes through a value that is neither an object nor a list.`);
  return { ...base, [head]: updateIn(base[head], rest, change, pointer) };
}

/** `root` with the value at `pointer` replaced or added ("-" appends to a list). */
export function setIn(root: JsonObject, pointer: string, value: unknown): JsonObject {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) {
    if (!isObject(value)) throw new Error('The document must be an object.');
    return value;
  }
  const key = tokens[tokens.length - 1]!;
  if (FORBIDDEN.has(key)) throw new Error(`"${key}" cannot be a key (${pointer}).`);
  return updateIn(
    root,
    tokens.slice(0, -1),
    (container) => {
      if (Array.isArray(container)) {
        const index = key === '-' ? container.length : arrayIndex(key);
        if (index === null || index > container.length) throw new Error(`No item ${key} in the list at ${pointer}.`);
        const copy: unknown[] = container.slice();
        copy[index] = value;
        return copy;
      }
      if (container === undefined) return { [key]: value };
      if (!isObject(container)) throw new Error(`${pointer} is inside a value that is neither an object nor a list.`);
      return { ...container, [key]: value };
    },
    pointer,
  ) as JsonObject;
}

/** `root` with `value` inserted into the list at the pointer's parent, before its last token ("-": at the end). A missing list is created. */
export function insertIn(root: JsonObject, pointer: string, value: unknown): JsonObject {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) throw new Error('Cannot insert the whole document.');
  const key = tokens[tokens.length - 1]!;
  return updateIn(
    root,
    tokens.slice(0, -1),
    (container) => {
      const list = container === undefined ? [] : container;
      if (!Array.isArray(list)) throw new Error(`${pointer} is not in a list.`);
      const index = key === '-' ? list.length : arrayIndex(key);
      if (index === null || index > list.length) throw new Error(`No place ${key} in the list at ${pointer}.`);
      const copy: unknown[] = list.slice();
      copy.splice(index, 0, value);
      return copy;
    },
    pointer,
  ) as JsonObject;
}

/** `root` without the value at `pointer` (list items after it shift down). Removing what is not there changes nothing. */
export function removeIn(root: JsonObject, pointer: string): JsonObject {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) throw new Error('Cannot remove the whole document.');
  const key = tokens[tokens.length - 1]!;
  const parent = valueAt(root, toPointer(tokens.slice(0, -1)));
  const present = Array.isArray(parent) ? arrayIndex(key) !== null && arrayIndex(key)! < parent.length : isObject(parent) && Object.hasOwn(parent, key);
  if (!present) return root;
  return updateIn(
    root,
    tokens.slice(0, -1),
    (container) => {
      if (Array.isArray(container)) {
        const index = arrayIndex(key)!;
        const copy: unknown[] = container.slice();
        copy.splice(index, 1);
        return copy;
      }
      return Object.fromEntries(Object.entries(container as JsonObject).filter(([name]) => name !== key));
    },
    pointer,
  ) as JsonObject;
}

// ------------------------------------------------------------ the draft

export class DraftState implements DraftEditor {
  readonly draftId: string;
  #root = $state.raw<JsonObject>({});
  #undo = $state.raw<UndoEntry[]>([]);
  #redo = $state.raw<UndoEntry[]>([]);
  #problems = $state.raw<readonly ValidationProblem[]>([]);
  /** The root as last saved (or loaded), and its revision in the store. */
  #savedRoot: JsonObject;
  #revision = $state(0);
  #status = $state<SaveStatus>('saved');
  #saveError = $state<string | null>(null);
  #savedAt = $state<string | number | null>(null);
  #timer: ReturnType<typeof setTimeout> | null = null;
  #saving: Promise<void> | null = null;
  /** Failed saves in a row (not conflicts): how long the next retry waits. */
  #failures = 0;
  #batch: { label: string; before: JsonObject } | null = null;
  #options: Required<Omit<DraftOptions, 'draftId' | 'revision' | 'document'>>;

  constructor(options: DraftOptions) {
    this.draftId = options.draftId;
    this.#root = isObject(options.document) ? options.document : {};
    this.#savedRoot = this.#root;
    this.#revision = options.revision;
    this.#options = {
      save: options.save,
      saveDelayMs: options.saveDelayMs ?? 800,
      isConflict: options.isConflict ?? (() => false),
      describeError: options.describeError ?? ((error) => (error instanceof Error ? error.message : String(error))),
      now: options.now ?? (() => Date.now()),
      retryDelayMs: options.retryDelayMs ?? 1000,
      retryMaxDelayMs: options.retryMaxDelayMs ?? 30_000,
    };
  }

  // ---------------------------------------------------------------- DraftEditor

  get document(): JsonObject {
    return this.#root;
  }

  get(pointer: string): unknown {
    return valueAt(this.#root, pointer);
  }

  set(pointer: string, value: unknown, label = 'Edit'): void {
    if (this.get(pointer) === value && value !== undefined) return;
    this.#apply(setIn(this.#root, pointer, value), label, pointer);
  }

  insert(pointer: string, value: unknown, label = 'Add'): void {
    this.#apply(insertIn(this.#root, pointer, value), label, null);
  }

  remove(pointer: string, label = 'Remove'): void {
    const next = removeIn(this.#root, pointer);
    if (next !== this.#root) this.#apply(next, label, null);
  }

  problemsAt(pointer: string): readonly ValidationProblem[] {
    return this.#problems.filter((problem) => isAtOrBeneath(problem.pointer, pointer));
  }

  batch(label: string, edits: () => void): void {
    if (this.#batch) {
      edits(); // nested: part of the outer step
      return;
    }
    const before = this.#root;
    this.#batch = { label, before };
    try {
      edits();
    } catch (error) {
      // A batch is all or nothing.
      this.#root = before;
      throw error;
    } finally {
      this.#batch = null;
    }
    if (this.#root !== before) this.#record({ label, before, after: this.#root, coalesceKey: null, at: this.#options.now() });
  }

  // ---------------------------------------------------------------- problems

  /** The validator's latest problems (from live validation). */
  get problems(): readonly ValidationProblem[] {
    return this.#problems;
  }

  set problems(problems: readonly ValidationProblem[]) {
    this.#problems = problems;
  }

  // ---------------------------------------------------------------- undo and redo

  get canUndo(): boolean {
    return this.#undo.length > 0;
  }

  get canRedo(): boolean {
    return this.#redo.length > 0;
  }

  /** The label of the step Undo would take back, or null. */
  get undoLabel(): string | null {
    return this.#undo.at(-1)?.label ?? null;
  }

  get redoLabel(): string | null {
    return this.#redo.at(-1)?.label ?? null;
  }

  /** Takes the last step back; returns its label. */
  undo(): string | null {
    const entry = this.#undo.at(-1);
    if (!entry || this.#batch) return null;
    this.#undo = this.#undo.slice(0, -1);
    this.#redo = [...this.#redo, entry];
    this.#root = entry.before;
    this.#changed();
    return entry.label;
  }

  redo(): string | null {
    const entry = this.#redo.at(-1);
    if (!entry || this.#batch) return null;
    this.#redo = this.#redo.slice(0, -1);
    this.#undo = [...this.#undo, { ...entry, coalesceKey: null }];
    this.#root = entry.after;
    this.#changed();
    return entry.label;
  }

  #apply(next: JsonObject, label: string, coalesceKey: string | null): void {
    if (this.#batch) {
      this.#root = next;
      return;
    }
    const before = this.#root;
    this.#root = next;
    this.#record({ label, before, after: next, coalesceKey, at: this.#options.now() });
  }

  #record(entry: UndoEntry): void {
    const last = this.#undo.at(-1);
    if (
      last &&
      entry.coalesceKey !== null &&
      last.coalesceKey === entry.coalesceKey &&
      last.label === entry.label &&
      entry.at - last.at <= COALESCE_MS &&
      this.#redo.length === 0
    ) {
      this.#undo = [...this.#undo.slice(0, -1), { ...last, after: entry.after, at: entry.at }];
    } else {
      const kept = this.#undo.length >= UNDO_LIMIT ? this.#undo.slice(this.#undo.length - UNDO_LIMIT + 1) : this.#undo;
      this.#undo = [...kept, entry];
    }
    this.#redo = [];
    this.#changed();
  }

  // ---------------------------------------------------------------- saving

  get status(): SaveStatus {
    return this.#status;
  }

  /** Why the last save failed (error or conflict), in words. */
  get saveError(): string | null {
    return this.#saveError;
  }

  get revision(): number {
    return this.#revision;
  }

  get savedAt(): string | number | null {
    return this.#savedAt;
  }

  /** True while some edit is not yet in the store. */
  get dirty(): boolean {
    return this.#root !== this.#savedRoot;
  }

  #changed(): void {
    if (this.#status === 'conflict') return; // nothing more is saved over the other window's copy
    if (this.#root === this.#savedRoot) {
      if (this.#status === 'unsaved' || this.#status === 'error') {
        this.#status = 'saved';
        this.#saveError = null;
        this.#failures = 0;
      }
      if (this.#timer) clearTimeout(this.#timer);
      this.#timer = null;
      return;
    }
    if (this.#status !== 'saving') this.#status = 'unsaved';
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.flush();
    }, this.#options.saveDelayMs);
  }

  /** Saves now what is not saved yet (waits for a save under way first). Resolves true when the store has the latest edit. */
  async flush(): Promise<boolean> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    while (this.#saving) await this.#saving;
    if (this.#status === 'conflict') return false;
    if (this.#root === this.#savedRoot) return true;
    const document = this.#root;
    this.#status = 'saving';
    this.#saving = (async () => {
      try {
        const saved = await this.#options.save(document, this.#revision);
        this.#revision = saved.revision;
        this.#savedAt = saved.updatedAt ?? null;
        this.#savedRoot = document;
        this.#saveError = null;
        this.#failures = 0;
        this.#status = this.#root === document ? 'saved' : 'unsaved';
      } catch (error) {
        this.#saveError = this.#options.describeError(error);
        const conflict = this.#options.isConflict(error);
        this.#failures = conflict ? 0 : this.#failures + 1;
        this.#status = conflict ? 'conflict' : 'error';
      }
    })();
    await this.#saving;
    this.#saving = null;
    // (Read through the getter: the save above changed it.)
    if (this.status === 'unsaved') return this.flush();
    if (this.status === 'error') this.#scheduleRetry();
    return this.status === 'saved';
  }

  /**
   * After a failed save (not a conflict) tries again by itself, waiting longer
   * each time (1 s, 2 s, 4 s … at most 30 s by default) while the status stays
   * "error"; an edit meanwhile schedules its own save instead.
   */
  #scheduleRetry(): void {
    if (this.#timer || this.#failures === 0) return;
    // Not jittered: one studio saving its own draft (the longest wait of the back-off, every time).
    const delay = backOffCeiling({ firstMs: this.#options.retryDelayMs, maxMs: this.#options.retryMaxDelayMs }, this.#failures - 1);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (this.#status === 'error') void this.flush();
    }, delay);
  }

  /**
   * Takes the store's copy as the saved document (after main changed it, e.g.
   * publishing bumped its version); the undo history starts again. Only when
   * every edit is saved (call `flush` first).
   */
  rebase(document: unknown, revision: number): void {
    if (this.dirty) throw new Error('Save the draft before taking the store’s copy.');
    if (!isObject(document)) return;
    this.#root = document;
    this.#savedRoot = document;
    this.#revision = revision;
    this.#undo = [];
    this.#redo = [];
    this.#failures = 0;
    this.#status = 'saved';
  }

  /** Stops the pending save (the screen is closing); call `flush` first to keep it. */
  dispose(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
