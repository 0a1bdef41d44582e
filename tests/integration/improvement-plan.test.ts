import { afterEach, describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { reportHandlers } from '../../src-main/app/reports.ts';
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
  store.sessions.create({ id, name: id, facilitator: 'Ana', scenarioId: 'sc', scenarioVersion: '1.0.0', scenarioSha256: '', scenarioJson: '{}', wallMs: 1 }, []);
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
    expect(store.improvementPlan.create({ teamName: 'Alpha', area: 'Done already', correctiveAction: '', status: 'closed' }, 120)).toMatchObject({
      sessionId: null,
      closedWallMs: 120,
    });
  });

  it('records when an item is closed, keeps that time while it stays closed, and clears it when reopened', () => {
    const { store } = openStore();
    const { id } = store.improvementPlan.create({ teamName: 'Alpha', area: 'A', correctiveAction: 'C', dueDate: '2025-07-01', tag: 'principle:traceability' }, 100);
    expect(store.improvementPlan.update(id, { status: 'in-progress', owner: 'Sam' }, 200)).toMatchObject({
      status: 'in-progress',
      owner: 'Sam',
      closedWallMs: null,
      updatedWallMs: 200,
    });
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

describe('the improvement plan across sessions (improvementPlan.search / export)', () => {
  function seeded() {
    const { store } = openStore();
    addSession(store, 'Spring drill');
    addSession(store, 'Autumn drill');
    store.improvementPlan.create(
      {
        sessionId: 'Spring drill',
        teamName: 'Red team',
        area: 'Ransom contact',
        correctiveAction: 'Legal owns attacker contact',
        owner: 'Dan Diaz',
        dueDate: '2030-01-31',
        tag: 'WAF-2024-06-27:SEC10-BP01',
      },
      1,
    );
    store.improvementPlan.create(
      {
        sessionId: 'Autumn drill',
        teamName: 'red TEAM',
        area: 'Slow isolation',
        correctiveAction: 'Pre-build the isolation SG',
        owner: 'dan diaz',
        dueDate: '2031-06-30',
        status: 'in-progress',
      },
      2,
    );
    store.improvementPlan.create(
      {
        sessionId: 'Autumn drill',
        teamName: 'Blue team',
        area: 'Ana;=1+1',
        correctiveAction: 'Rotate keys\n=HYPERLINK("http://x")',
        owner: 'Alice',
        dueDate: '2029-05-01',
        status: 'closed',
      },
      3,
    );
    store.improvementPlan.create({ sessionId: null, teamName: 'Blue team', area: 'No due date', correctiveAction: 'Someday', owner: '' }, 4);
    const handlers = reportHandlers({ store, context: { name: 'Sandtable', version: 'test' } }, () => Date.UTC(2030, 5, 1));
    return handlers;
  }

  it('lists every item across sessions, soonest due first, with its session and the overdue ones flagged', () => {
    const h = seeded();
    const all = h['improvementPlan.search']({ overdueOnly: false });
    expect(all.today).toBe('2030-06-01');
    expect(all.items.map((i) => [i.area, i.sessionName, i.overdue])).toEqual([
      ['Ana;=1+1', 'Autumn drill', false], // closed: never overdue
      ['Ransom contact', 'Spring drill', true],
      ['Slow isolation', 'Autumn drill', false],
      ['No due date', null, false],
    ]);
    // Filters: team and owner without regard to case, status, due dates, overdue only.
    expect(h['improvementPlan.search']({ teamName: 'RED team', overdueOnly: false }).items).toHaveLength(2);
    expect(h['improvementPlan.search']({ owner: 'Dan Diaz', statuses: ['in-progress'], overdueOnly: false }).items.map((i) => i.area)).toEqual(['Slow isolation']);
    expect(h['improvementPlan.search']({ dueFrom: '2030-01-01', dueTo: '2030-12-31', overdueOnly: false }).items.map((i) => i.area)).toEqual(['Ransom contact']);
    expect(h['improvementPlan.search']({ overdueOnly: true }).items.map((i) => i.area)).toEqual(['Ransom contact']);
    expect(h['improvementPlan.search']({ overdueOnly: true, today: '2031-07-01' }).items.map((i) => i.area)).toEqual(['Ransom contact', 'Slow isolation']);
  });

  it('exports CSV with the columns issue trackers import, safe however a spreadsheet splits it, and JSON', () => {
    const h = seeded();
    const csv = h['improvementPlan.export']({ format: 'csv', overdueOnly: false });
    expect(csv.filename).toBe('improvement-plan-2030-06-01.csv');
    const parsed = Papa.parse<string[]>(csv.content.replace(/^\ufeff/, ''), { skipEmptyLines: true }).data;
    expect(parsed[0]).toEqual(['Summary', 'Description', 'Assignee', 'Due date', 'Labels']);
    const ransom = parsed.find((r) => r[0] === 'Red team: Legal owns attacker contact')!;
    expect(ransom[1]).toContain('Area for improvement: Ransom contact');
    expect(ransom[1]).toContain('Found in: Spring drill');
    expect(ransom.slice(2)).toEqual(['Dan Diaz', '2030-01-31', 'sandtable team:red-team status:open sec10-bp01 overdue']);
    for (const delimiter of [',', ';', '\t']) {
      const fields = Papa.parse<string[]>(csv.content.replace(/^\ufeff/, ''), { delimiter }).data.flat();
      const lineFields = csv.content.split(/\r\n|\r|\n/).flatMap((line) => line.split(delimiter));
      expect([...fields, ...lineFields].filter((f) => /^[ "]*[=+\-@\t\r]/.test(f))).toEqual([]);
    }
    const json = JSON.parse(h['improvementPlan.export']({ format: 'json', overdueOnly: false }).content) as {
      kind: string;
      items: Array<{ area: string; overdue: boolean; labels: string[] }>;
    };
    expect(json.kind).toBe('sandtable.improvement-plan');
    expect(json.items).toHaveLength(4);
    expect(json.items.find((i) => i.area === 'Ransom contact')).toMatchObject({ overdue: true, labels: expect.arrayContaining(['overdue']) });
    // Summaries are one line of at most 250 characters (Jira refuses longer ones); the description keeps the whole action.
    expect(parsed.find((r) => r[0]!.startsWith('Blue team: Rotate keys'))![0]).toBe('Blue team: Rotate keys');
    const long = h['improvementPlan.create']({
      sessionId: null,
      teamName: 'Blue team',
      area: 'Runbooks',
      correctiveAction: `${'Write the runbook and rehearse it '.repeat(20)}\n- step two`,
      owner: '',
      dueDate: null,
      tag: null,
      status: 'open',
    });
    const again = Papa.parse<string[]>(h['improvementPlan.export']({ format: 'csv', overdueOnly: false }).content.replace(/^\ufeff/, ''), { skipEmptyLines: true }).data;
    const row = again.find((r) => r[1]!.includes(long.id))!;
    expect(row[0]!.length).toBeLessThanOrEqual(250);
    expect(row[0]).toMatch(/^Blue team: Write the runbook and rehearse it .*…$/);
    expect(row[1]).toContain(long.correctiveAction.replace('\n-', "\n'-"));
  });
});
