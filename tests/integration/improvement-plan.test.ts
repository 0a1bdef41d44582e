import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '../../src-main/store/store.ts';
import { tempDir } from '../helpers/tmp.ts';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function openStore(dir?: string): { store: Store; dir: string } {
  let folder = dir;
  if (!folder) {
    const t = tempDir();
    cleanups.push(t.cleanup);
    folder = t.dir;
  }
  const store = Store.open({ dataDir: folder });
  cleanups.unshift(() => store.close());
  return { store, dir: folder };
}

function addSession(store: Store, id: string): void {
  store.sessions.create(
    { id, name: id, facilitator: 'Ana', scenarioId: 'sc', scenarioVersion: '1.0.0', scenarioSha256: '', scenarioJson: '{}', wallMs: 1 },
    [],
  );
}

describe('ImprovementPlanRepository', () => {
  it('creates items, trimmed, open by default', () => {
    const { store } = openStore();
    addSession(store, 's1');
    const item = store.improvementPlan.create({ sessionId: 's1', teamName: ' Alpha ', area: ' Keys ', correctiveAction: 'Rotate', tag: ' ', owner: ' Kim ' }, 100);
    expect(item).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      sessionId: 's1',
      teamName: 'Alpha',
      area: 'Keys',
      correctiveAction: 'Rotate',
      tag: null,
      owner: 'Kim',
      dueDate: null,
      status: 'open',
      createdWallMs: 100,
      updatedWallMs: 100,
      closedWallMs: null,
    });
    expect(store.improvementPlan.get(item.id)).toEqual(item);
    expect(store.improvementPlan.create({ teamName: 'Alpha', area: 'Done already', correctiveAction: '', status: 'closed' }, 120)).toMatchObject({ sessionId: null, closedWallMs: 120 });
  });

  it('records when an item is closed, keeps that time while it stays closed, and clears it when reopened', () => {
    const { store } = openStore();
    const { id } = store.improvementPlan.create({ teamName: 'Alpha', area: 'A', correctiveAction: 'C', dueDate: '2025-07-01', tag: 'principle:traceability' }, 100);
    expect(store.improvementPlan.update(id, { status: 'in-progress', owner: 'Sam' }, 200)).toMatchObject({ status: 'in-progress', owner: 'Sam', closedWallMs: null, updatedWallMs: 200 });
    expect(store.improvementPlan.update(id, { status: 'closed' }, 300)).toMatchObject({ status: 'closed', closedWallMs: 300 });
    expect(store.improvementPlan.update(id, { correctiveAction: 'C2' }, 400)).toMatchObject({ status: 'closed', closedWallMs: 300, correctiveAction: 'C2', updatedWallMs: 400 });
    expect(store.improvementPlan.update(id, { status: 'open', dueDate: null, tag: null }, 500)).toMatchObject({ status: 'open', closedWallMs: null, dueDate: null, tag: null });
    expect(store.improvementPlan.get(id)).toMatchObject({ createdWallMs: 100, updatedWallMs: 500, owner: 'Sam', area: 'A' });
    expect(store.improvementPlan.update('nope', { status: 'closed' }, 600)).toBeUndefined();
  });

  it('lists by session, by team (any case) and by status; open items for the next session of a team', () => {
    const { store } = openStore();
    addSession(store, 's1');
    addSession(store, 's2');
    const plan = store.improvementPlan;
    const a = plan.create({ sessionId: 's1', teamName: 'Alpha', area: 'a', correctiveAction: '' }, 1);
    const b = plan.create({ sessionId: 's1', teamName: 'Bravo', area: 'b', correctiveAction: '', status: 'in-progress' }, 2);
    const c = plan.create({ sessionId: 's1', teamName: 'ALPHA', area: 'c', correctiveAction: '', status: 'closed' }, 3);
    const d = plan.create({ sessionId: 's2', teamName: 'Alpha', area: 'd', correctiveAction: '' }, 4);
    const e = plan.create({ teamName: 'Charlie', area: 'e', correctiveAction: '' }, 5);
    const ids = (items: Array<{ id: string }>) => items.map((i) => i.id);
    expect(ids(plan.list())).toEqual(ids([a, b, c, d, e]));
    expect(ids(plan.listBySession('s1'))).toEqual(ids([a, b, c]));
    expect(ids(plan.listByTeam('alpha'))).toEqual(ids([a, c, d]));
    expect(ids(plan.list({ teamNames: ['alpha', ' bravo '], statuses: ['closed', 'in-progress'] }))).toEqual(ids([b, c]));
    expect(plan.list({ teamNames: [] })).toEqual([]);
    expect(ids(plan.openForTeams(['Alpha', 'Bravo']))).toEqual(ids([a, b, d]));
    // A report of s2: what s2 found, and what is still open for its team from elsewhere.
    expect(ids(plan.forReport('s2', ['alpha']))).toEqual(ids([a, d]));
    expect(ids(plan.forReport('s1', []))).toEqual(ids([a, b, c]));
  });

  it('keeps items across sessions of the app', () => {
    const first = openStore();
    first.store.improvementPlan.create({ teamName: 'Alpha', area: 'Persist', correctiveAction: 'x' }, 1);
    first.store.close();
    const second = openStore(first.dir);
    expect(second.store.improvementPlan.openForTeams(['alpha']).map((i) => i.area)).toEqual(['Persist']);
  });

  it('refuses an item of an unknown session or with an impossible date', () => {
    const { store } = openStore();
    expect(() => store.improvementPlan.create({ sessionId: 'nope', teamName: 'Alpha', area: 'a', correctiveAction: '' }, 1)).toThrow(/FOREIGN KEY/);
    expect(() => store.improvementPlan.create({ teamName: 'Alpha', area: 'a', correctiveAction: '', dueDate: '2025-02-30' }, 1)).toThrow(/CHECK/);
    expect(store.improvementPlan.list()).toEqual([]);
  });
});
