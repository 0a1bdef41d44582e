/**
 * The studio's map edits on a draft: add a node into a path, connect, move,
 * delete with references rewired or reported; the steps read from a half
 * written draft; the validator's verdicts on nodes; a large map's neighbourhood.
 */
import { describe, expect, it } from 'vitest';
import { DraftState, type JsonObject } from '../../src-renderer/src/features/studio/draft.svelte.ts';
import { findPlaceholders } from '../../src-renderer/src/features/studio/placeholders.ts';
import { addNode, connect, deleteNode, draftSteps, moveNode, neighbourhood, nodeVerdicts, referencesTo } from '../../src-renderer/src/features/studio/map.ts';

function draft(document: JsonObject): DraftState {
  return new DraftState({ draftId: 'd', revision: 1, document, save: (_, revision) => Promise.resolve({ revision: revision + 1 }), saveDelayMs: 60_000 });
}

function chain(): JsonObject {
  return {
    start: 'a',
    milestones: [{ id: 'detected' }],
    timeline: [
      { type: 'inject', id: 'a', title: 'A', next: 'd' },
      {
        type: 'decision',
        id: 'd',
        title: 'D',
        options: [
          { id: 'x', label: 'X', recommended: true, next: 'good' },
          { id: 'y', label: 'Y', next: 'bad' },
        ],
      },
      { type: 'end', id: 'good', title: 'Good' },
      { type: 'end', id: 'bad', title: 'Bad' },
    ],
  };
}

const ids = (d: DraftState) => (d.get('/timeline') as { id: string }[]).map((n) => n.id);

describe('studio map', () => {
  it('reads steps in reading order with the pointer of each exit, tolerating half-written nodes', () => {
    const doc = chain();
    (doc.timeline as unknown[]).push({ type: 'decision', id: 'orphan' }, 'not a node');
    const steps = draftSteps(doc, []);
    expect(steps.map((s) => s.id)).toEqual(['a', 'd', 'good', 'bad', 'orphan']);
    expect(steps[1]!.exits.map((e) => [e.kind, e.label, e.pointer, e.target, e.resolved])).toEqual([
      ['recommended', 'X', '/timeline/1/options/0/next', 'good', true],
      ['option', 'Y', '/timeline/1/options/1/next', 'bad', true],
    ]);
    expect(steps[4]!.title).toBe('Decision orphan');
    expect(steps[4]!.exits).toEqual([]);
  });

  it('takes unreachable and dead-end nodes from the validator’s problems', () => {
    const verdicts = nodeVerdicts([
      { pointer: '/timeline/4', message: 'node "orphan" can never be reached: no path from the start node "a" leads to it' },
      { pointer: '/timeline/2', message: 'node "loop" leads only back to itself: a loop with no way out to an end node' },
      { pointer: '/timeline/1/options/1/next', message: 'refers to "nowhere", but no timeline node has that id' },
      { pointer: '/timeline/0/title', message: 'is required' },
    ]);
    expect([...verdicts.unreachable]).toEqual([4]);
    expect([...verdicts.deadEnd].sort()).toEqual([1, 2]);
    const steps = draftSteps(chain(), [{ pointer: '/timeline/3', message: 'node "bad" can never be reached: …' }]);
    expect(steps.find((s) => s.id === 'bad')!.reachable).toBe(false);
  });

  it('adds a node after an inject into its path, and one after a decision unconnected', () => {
    const d = draft(chain());
    expect(addNode(d, 'inject', 0)).toBe('inject-1');
    expect(ids(d)).toEqual(['a', 'inject-1', 'd', 'good', 'bad']);
    expect(d.get('/timeline/0/next')).toBe('inject-1');
    expect(d.get('/timeline/1/next')).toBe('d');
    expect(d.undoLabel).toBe('Add inject “inject-1”');
    expect(addNode(d, 'end', 2)).toBe('end-1');
    expect(d.get('/timeline/3')).toMatchObject({ type: 'end', id: 'end-1' });
    expect(referencesTo(d.document, 'end-1')).toEqual([]);
    d.undo();
    d.undo();
    expect(ids(d)).toEqual(['a', 'd', 'good', 'bad']);
  });

  it('starts an empty timeline at its first node', () => {
    const d = draft({ timeline: [] });
    addNode(d, 'inject', null);
    expect(d.get('/start')).toBe('inject-1');
  });

  it('connects an exit, and moves nodes within the timeline', () => {
    const d = draft(chain());
    connect(d, '/timeline/1/options/1/next', 'good');
    expect(d.get('/timeline/1/options/1/next')).toBe('good');
    expect(moveNode(d, 3, -1)).toBe(2);
    expect(ids(d)).toEqual(['a', 'd', 'bad', 'good']);
    expect(moveNode(d, 0, -1)).toBe(0);
    d.undo();
    expect(ids(d)).toEqual(['a', 'd', 'good', 'bad']);
  });

  it('deletes a node with one way on by leading its predecessors on; reports references it cannot mend', () => {
    const d = draft(chain());
    addNode(d, 'inject', 0);
    expect(deleteNode(d, 1)).toEqual({ id: 'inject-1', rewired: 1, dangling: [] });
    expect(d.get('/timeline/0/next')).toBe('d');
    const report = deleteNode(d, 1);
    expect(report).toEqual({ id: 'd', rewired: 0, dangling: ['/timeline/0/next'] });
    expect(d.undoLabel).toBe('Delete “d”');
    d.undo();
    expect(ids(d)).toEqual(['a', 'd', 'good', 'bad']);
    // The start moves on too.
    deleteNode(d, 0);
    expect(d.get('/start')).toBe('d');
  });

  it('draws only the neighbourhood of the selected step', () => {
    const timeline = Array.from({ length: 50 }, (_, i) => ({ type: 'inject', id: `n${i}`, title: `N${i}`, next: `n${i + 1}` }));
    const steps = draftSteps({ start: 'n0', timeline }, []);
    const near = neighbourhood(steps, 'n10', 2);
    expect(near.map((s) => s.id)).toEqual(['n8', 'n9', 'n10', 'n11', 'n12']);
    expect(near.at(-1)!.exits[0]!.resolved).toBe(false);
  });
});

describe('placeholders', () => {
  it('finds every "To be written" text by pointer, in document order', () => {
    const found = findPlaceholders({
      meta: { sensitivity: 'To be written (e.g. TLP:AMBER)', authors: [{ name: 'To be written' }], title: 'Harbour lights' },
      timeline: [{ narrative: '*To be written.*', expectedActions: ['Call the bank', 'to be written'] }],
      'a/b': 'To be written',
    });
    expect(found.map((p) => p.pointer)).toEqual(['/meta/sensitivity', '/meta/authors/0/name', '/timeline/0/narrative', '/timeline/0/expectedActions/1', '/a~1b']);
  });
});
