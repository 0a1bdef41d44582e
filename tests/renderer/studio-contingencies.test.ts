/**
 * The studio's contingency list: adding one (a version-1 deadline trigger on
 * the first milestone, which the validator accepts in a version-1 file) and
 * deleting one, each a single undoable step; and the local copy of the draft
 * offered for download after a save conflict.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateScenario } from '../../src-main/core/scenario/validate.ts';
import { addContingency, contingencyCount, deleteContingency } from '../../src-renderer/src/features/studio/contingencies.ts';
import { DraftState, type JsonObject } from '../../src-renderer/src/features/studio/draft.svelte.ts';
import { localDocumentFile } from '../../src-renderer/src/features/studio/local-download.ts';

const load = (file: string) => JSON.parse(readFileSync(`scenarios/${file}`, 'utf8')) as JsonObject;

function draftOf(document: JsonObject): DraftState {
  return new DraftState({ draftId: 'd1', revision: 1, document, save: (_document, revision) => Promise.resolve({ revision: revision + 1 }), saveDelayMs: 60_000 });
}

function problems(document: unknown) {
  const result = validateScenario(document);
  return result.ok ? [] : result.errors.map((e) => `${e.pointer}: ${e.message}`);
}

describe('studio contingencies', () => {
  it('adds a valid version-1 contingency on the first milestone as one undoable step', () => {
    const document = load('sample-leaked-key.json');
    expect(document.formatVersion).toBe(1);
    expect(problems(document)).toEqual([]);
    const draft = draftOf(document);
    const before = contingencyCount(draft);
    const firstMilestone = (document.milestones as { id: string }[])[0]!.id;

    const index = addContingency(draft);
    expect(index).toBe(before);
    expect(contingencyCount(draft)).toBe(before + 1);
    const added = draft.get(`/contingencies/${index}`) as JsonObject;
    expect(added.when).toEqual({ notReached: { milestone: firstMilestone }, by: 30 });
    expect(problems(draft.document)).toEqual([]);
    expect(draft.undoLabel).toBe('Add contingency');

    // A second one gets an id of its own.
    addContingency(draft);
    const ids = (draft.get('/contingencies') as { id: string }[]).map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(problems(draft.document)).toEqual([]);

    expect(draft.undo()).toBe('Add contingency');
    expect(draft.undo()).toBe('Add contingency');
    expect(contingencyCount(draft)).toBe(before);
    expect(draft.document).toBe(document);
  });

  it('creates the list in a scenario that has none', () => {
    const document = load('sample-leaked-key.json');
    delete document.contingencies;
    const draft = draftOf(document);
    expect(contingencyCount(draft)).toBe(0);
    expect(addContingency(draft)).toBe(0);
    expect(contingencyCount(draft)).toBe(1);
    expect(problems(draft.document)).toEqual([]);
  });

  it('deletes one contingency as one undoable step, the others shifting down', () => {
    const draft = draftOf(load('sample-leaked-key.json'));
    addContingency(draft);
    addContingency(draft);
    const ids = (draft.get('/contingencies') as { id: string }[]).map((c) => c.id);
    const target = ids.length - 2;
    deleteContingency(draft, target);
    expect((draft.get('/contingencies') as { id: string }[]).map((c) => c.id)).toEqual(ids.filter((_, i) => i !== target));
    expect(draft.undoLabel).toBe('Delete contingency');
    expect(problems(draft.document)).toEqual([]);
    // Out of range: no edit.
    deleteContingency(draft, 99);
    deleteContingency(draft, -1);
    expect(draft.undoLabel).toBe('Delete contingency');
    expect(draft.undo()).toBe('Delete contingency');
    expect((draft.get('/contingencies') as { id: string }[]).map((c) => c.id)).toEqual(ids);
    expect(draft.redo()).toBe('Delete contingency');
    expect(contingencyCount(draft)).toBe(ids.length - 1);
  });
});

describe('the local copy downloaded after a conflict', () => {
  it('is this window’s document as JSON, named after its id', () => {
    const draft = draftOf(load('sample-leaked-key.json'));
    draft.set('/meta/title', 'Edited here, not in the store');
    const file = localDocumentFile(draft.document);
    expect(file.filename).toBe(`${String((draft.document.meta as JsonObject).id)}-my-version.json`);
    expect(file.type).toBe('application/json');
    expect(JSON.parse(String(file.content))).toEqual(draft.document);
    expect(localDocumentFile({ meta: { id: '../../etc' } }).filename).toBe('etc-my-version.json');
    expect(localDocumentFile({}).filename).toBe('scenario-my-version.json');
  });
});
