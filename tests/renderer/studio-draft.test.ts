/**
 * The studio's draft: JSON-pointer edits on an immutable document, undo and
 * redo with labels, batches as one step, typing coalesced into one step, and
 * autosave (debounced, one save at a time, a conflict stops saving and says so).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DraftState, insertIn, parsePointer, removeIn, setIn, toPointer, valueAt, type JsonObject, type SaveDraft } from '../../src-renderer/src/features/studio/draft.svelte.ts';
import { backOffCeiling } from '../../src-renderer/src/lib/back-off.ts';

function doc(): JsonObject {
  return {
    meta: { id: 'demo', title: 'Demo' },
    timeline: [
      { type: 'inject', id: 'a', title: 'A', next: 'b' },
      { type: 'end', id: 'b', title: 'B' },
    ],
    'odd/key': { '~tilde': 1 },
  };
}

describe('JSON pointers', () => {
  it('parses and writes RFC 6901 escapes', () => {
    expect(parsePointer('')).toEqual([]);
    expect(parsePointer('/odd~1key/~0tilde')).toEqual(['odd/key', '~tilde']);
    expect(toPointer(['odd/key', '~tilde', 3])).toBe('/odd~1key/~0tilde/3');
    expect(() => parsePointer('meta')).toThrow(/must start with/);
  });

  it('reads values, and undefined where there is none', () => {
    const d = doc();
    expect(valueAt(d, '/timeline/1/id')).toBe('b');
    expect(valueAt(d, '/odd~1key/~0tilde')).toBe(1);
    expect(valueAt(d, '/timeline/01/id')).toBeUndefined();
    expect(valueAt(d, '/timeline/9')).toBeUndefined();
    expect(valueAt(d, '/meta/title/x')).toBeUndefined();
    expect(valueAt(d, '/meta/toString')).toBeUndefined();
  });

  it('sets by copying the path only and sharing the rest', () => {
    const d = doc();
    const next = setIn(d, '/timeline/0/title', 'First');
    expect(valueAt(next, '/timeline/0/title')).toBe('First');
    expect(valueAt(d, '/timeline/0/title')).toBe('A');
    expect(next.meta).toBe(d.meta);
    expect((next.timeline as unknown[])[1]).toBe((d.timeline as unknown[])[1]);
    // Missing objects on the way are created; "-" appends.
    expect(valueAt(setIn(d, '/guide/summary', 'x'), '/guide')).toEqual({ summary: 'x' });
    expect((setIn(d, '/timeline/-', { id: 'c' }).timeline as unknown[]).length).toBe(3);
    expect(() => setIn(d, '/meta/title/x', 1)).toThrow(/neither an object nor a list/);
    expect(() => setIn(d, '/timeline/7/title', 1)).toThrow(/No item 7/);
    expect(() => setIn(d, '/meta/__proto__', 1)).toThrow(/cannot be a key/);
  });

  it('inserts before an index and removes with the items shifting', () => {
    const d = doc();
    const inserted = insertIn(d, '/timeline/1', { id: 'mid' });
    expect((inserted.timeline as { id: string }[]).map((n) => n.id)).toEqual(['a', 'mid', 'b']);
    expect((insertIn(d, '/objectives/-', { id: 'o1' }).objectives as unknown[]).length).toBe(1);
    const removed = removeIn(inserted, '/timeline/0');
    expect((removed.timeline as { id: string }[]).map((n) => n.id)).toEqual(['mid', 'b']);
    expect(removeIn(d, '/meta/title').meta).toEqual({ id: 'demo' });
    expect(removeIn(d, '/meta/nothing')).toBe(d);
    expect(removeIn(d, '/timeline/5')).toBe(d);
  });
});

describe('DraftState', () => {
  let saves: { document: JsonObject; revision: number }[];
  let save: SaveDraft;
  let clock: number;

  beforeEach(() => {
    vi.useFakeTimers();
    saves = [];
    clock = 0;
    save = (document, revision) => {
      saves.push({ document, revision });
      return Promise.resolve({ revision: revision + 1, updatedAt: 't' });
    };
  });
  afterEach(() => vi.useRealTimers());

  const draft = (over: Partial<ConstructorParameters<typeof DraftState>[0]> = {}) =>
    new DraftState({ draftId: 'd1', revision: 1, document: doc(), save, saveDelayMs: 500, now: () => clock, ...over });

  it('undoes and redoes edits in order, with their labels', () => {
    const d = draft();
    d.set('/meta/title', 'One', 'Title');
    clock += 5_000;
    d.insert('/timeline/1', { type: 'inject', id: 'c', title: 'C' }, 'Add inject');
    d.remove('/timeline/0', 'Delete A');
    expect(d.undoLabel).toBe('Delete A');
    expect(d.undo()).toBe('Delete A');
    expect((d.get('/timeline') as unknown[]).length).toBe(3);
    expect(d.undo()).toBe('Add inject');
    expect(d.get('/timeline/1/id')).toBe('b');
    expect(d.redoLabel).toBe('Add inject');
    expect(d.redo()).toBe('Add inject');
    expect(d.get('/timeline/1/id')).toBe('c');
    expect(d.undo()).toBe('Add inject');
    expect(d.undo()).toBe('Title');
    expect(d.get('/meta/title')).toBe('Demo');
    expect(d.canUndo).toBe(false);
    expect(d.undo()).toBeNull();
    // A new edit clears what could be redone.
    d.set('/meta/title', 'Two', 'Title');
    expect(d.canRedo).toBe(false);
  });

  it('joins typing into one field into one step, but not across fields or after a pause', () => {
    const d = draft();
    for (const text of ['S', 'Sa', 'San']) {
      d.set('/meta/title', text, 'Title');
      clock += 200;
    }
    d.set('/timeline/0/title', 'X', 'Step title');
    clock += 200;
    d.set('/meta/title', 'Sand', 'Title');
    clock += 5_000;
    d.set('/meta/title', 'Sandt', 'Title');
    expect(d.undo()).toBe('Title');
    expect(d.get('/meta/title')).toBe('Sand');
    expect(d.undo()).toBe('Title');
    expect(d.get('/meta/title')).toBe('San');
    expect(d.undo()).toBe('Step title');
    expect(d.undo()).toBe('Title');
    expect(d.get('/meta/title')).toBe('Demo');
  });

  it('makes a batch one step, and takes a failed batch back whole', () => {
    const d = draft();
    d.batch('Delete B', () => {
      d.remove('/timeline/1');
      d.remove('/timeline/0/next');
      d.batch('inner', () => d.set('/meta/title', 'Nested'));
    });
    expect(d.get('/timeline/0')).toEqual({ type: 'inject', id: 'a', title: 'A' });
    expect(d.undoLabel).toBe('Delete B');
    d.undo();
    expect(d.document).toEqual(doc());
    expect(d.canUndo).toBe(false);
    expect(() =>
      d.batch('Broken', () => {
        d.set('/meta/title', 'Half');
        d.set('/meta/title/deeper', 1);
      }),
    ).toThrow();
    expect(d.get('/meta/title')).toBe('Demo');
    expect(d.canUndo).toBe(false);
  });

  it('lists the problems at a pointer or beneath it', () => {
    const d = draft();
    d.problems = [
      { pointer: '/timeline/1/title', message: 'x' },
      { pointer: '/timeline/10', message: 'y' },
      { pointer: '/meta', message: 'z' },
    ];
    expect(d.problemsAt('/timeline/1').map((p) => p.message)).toEqual(['x']);
    expect(d.problemsAt('/timeline').length).toBe(2);
    expect(d.problemsAt('').length).toBe(3);
  });

  it('saves a moment after the last edit, with the revision, and only once for a burst', async () => {
    const d = draft();
    d.set('/meta/title', 'A', 'Title');
    d.set('/meta/title', 'AB', 'Title');
    expect(d.status).toBe('unsaved');
    await vi.advanceTimersByTimeAsync(400);
    expect(saves.length).toBe(0);
    d.set('/meta/title', 'ABC', 'Title');
    await vi.advanceTimersByTimeAsync(500);
    expect(saves.length).toBe(1);
    expect(saves[0]!.revision).toBe(1);
    expect(saves[0]!.document.meta).toEqual({ id: 'demo', title: 'ABC' });
    expect(d.status).toBe('saved');
    expect(d.revision).toBe(2);
    // Undoing back to the saved document needs no save; undoing further does.
    d.set('/meta/id', 'x');
    d.undo();
    expect(d.status).toBe('saved');
    d.undo();
    await d.flush();
    expect(saves.length).toBe(2);
    expect(saves[1]!.revision).toBe(2);
    expect(saves[1]!.document.meta).toEqual({ id: 'demo', title: 'Demo' });
  });

  it('saves an edit made while a save is under way once that save is done', async () => {
    let release!: () => void;
    const slow: SaveDraft = (document, revision) => {
      saves.push({ document, revision });
      return new Promise((resolve) => (release = () => resolve({ revision: revision + 1 })));
    };
    const d = draft({ save: slow });
    d.set('/meta/title', 'First');
    const first = d.flush();
    expect(d.status).toBe('saving');
    d.set('/meta/title', 'Second');
    release();
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(0);
    release();
    expect(await first).toBe(true);
    expect(saves.map((s) => [s.revision, (s.document.meta as JsonObject).title])).toEqual([
      [1, 'First'],
      [2, 'Second'],
    ]);
    expect(d.status).toBe('saved');
  });

  it('stops saving on a conflict and says why; keeps retrying after other errors', async () => {
    let fail: 'conflict' | 'other' | null = 'other';
    const flaky: SaveDraft = (document, revision) => {
      saves.push({ document, revision });
      if (fail) return Promise.reject(new Error(fail === 'conflict' ? 'Another window saved this draft first.' : 'Disk full'));
      return Promise.resolve({ revision: revision + 1 });
    };
    const d = draft({ save: flaky, isConflict: (e) => (e as Error).message.startsWith('Another') });
    d.set('/meta/title', 'X');
    expect(await d.flush()).toBe(false);
    expect(d.status).toBe('error');
    expect(d.saveError).toBe('Disk full');
    fail = null;
    d.set('/meta/title', 'Y');
    await vi.advanceTimersByTimeAsync(500);
    expect(d.status).toBe('saved');
    fail = 'conflict';
    d.set('/meta/title', 'Z');
    expect(await d.flush()).toBe(false);
    expect(d.status).toBe('conflict');
    expect(d.saveError).toMatch(/Another window/);
    const count = saves.length;
    d.set('/meta/title', 'W');
    await vi.advanceTimersByTimeAsync(2_000);
    expect(saves.length).toBe(count);
    expect(d.get('/meta/title')).toBe('W');
  });
});

describe('DraftState: retrying a failed save', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('waits 1 s, 2 s, 4 s … at most 30 s between retries', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 40].map((attempt) => backOffCeiling({ firstMs: 1000, maxMs: 30_000 }, attempt))).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('retries by itself with backoff after an error until a save succeeds, with no edit', async () => {
    const saves: number[] = [];
    let failures = 2;
    const save: SaveDraft = (_document, revision) => {
      saves.push(revision);
      if (failures > 0) {
        failures--;
        return Promise.reject(new Error('Disk full'));
      }
      return Promise.resolve({ revision: revision + 1 });
    };
    const d = new DraftState({ draftId: 'd1', revision: 1, document: doc(), save, saveDelayMs: 500 });
    d.set('/meta/title', 'Kept');
    await vi.advanceTimersByTimeAsync(500);
    expect(saves.length).toBe(1);
    expect(d.status).toBe('error');
    expect(d.saveError).toBe('Disk full');
    // First retry after 1 s (not before), which fails again.
    await vi.advanceTimersByTimeAsync(999);
    expect(saves.length).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(saves.length).toBe(2);
    expect(d.status).toBe('error');
    // Second retry after 2 s more, which succeeds.
    await vi.advanceTimersByTimeAsync(1999);
    expect(saves.length).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(saves.length).toBe(3);
    expect(d.status).toBe('saved');
    expect(d.saveError).toBeNull();
    expect(d.revision).toBe(2);
    expect(d.dirty).toBe(false);
    // Nothing more is tried once saved.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(saves.length).toBe(3);
  });

  it('stops retrying on a conflict, and when disposed', async () => {
    const saves: number[] = [];
    let error = new Error('Disk full');
    const save: SaveDraft = (_document, revision) => {
      saves.push(revision);
      return Promise.reject(error);
    };
    const d = new DraftState({ draftId: 'd1', revision: 1, document: doc(), save, saveDelayMs: 500, isConflict: (e) => (e as Error).message === 'conflict' });
    d.set('/meta/title', 'X');
    await vi.advanceTimersByTimeAsync(500);
    expect(d.status).toBe('error');
    error = new Error('conflict');
    await vi.advanceTimersByTimeAsync(1000);
    expect(saves.length).toBe(2);
    expect(d.status).toBe('conflict');
    await vi.advanceTimersByTimeAsync(120_000);
    expect(saves.length).toBe(2);

    const other = new DraftState({ draftId: 'd2', revision: 1, document: doc(), save: () => Promise.reject(new Error('Disk full')), saveDelayMs: 500 });
    other.set('/meta/title', 'Y');
    await vi.advanceTimersByTimeAsync(500);
    expect(other.status).toBe('error');
    other.dispose();
    const spy = vi.spyOn(other, 'flush');
    await vi.advanceTimersByTimeAsync(120_000);
    expect(spy).not.toHaveBeenCalled();
  });
});

describe('the draft sent to the validator as JSON text', () => {
  it('gets the same answer as the document itself', async () => {
    const { answerValidation } = await import('../../src-main/api/studio-validation.ts');
    const document = { ...doc(), formatVersion: 1 };
    const asObject = answerValidation({ seq: 1, document }, () => 0);
    const asText = answerValidation({ seq: 1, document: JSON.stringify(document) }, () => 0);
    expect(asText.problems.length).toBeGreaterThan(0);
    expect(asText.problems).toEqual(asObject.problems);
  });
});
