import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { programmeSessions } from '../../src-main/app/programme.ts';
import { sha256Hex } from '../../src-main/app/exports.ts';
import { readCsv } from '../../src-main/core/csv.ts';
import type { NewLogEvent, SessionConfig } from '../../src-main/core/engine/events.ts';
import { SessionEngine } from '../../src-main/core/engine/session.ts';
import { ATTACK_BY_ID } from '../../src-main/core/frameworks/index.ts';
import { PROGRAMME_CSV_HEADER, programmeCsv } from '../../src-main/core/programme/export.ts';
import { navigatorLayer } from '../../src-main/core/programme/navigator.ts';
import { computeProgramme, CRITICAL_CADENCE_DAYS, DEFAULT_CADENCE_DAYS, type ProgrammeItem } from '../../src-main/core/programme/programme.ts';
import { Scenario } from '../../src-main/core/scenario/schema.ts';
import { parseScenarioText } from '../../src-main/core/scenario/validate.ts';
import { Store } from '../../src-main/store/store.ts';
import { sample, type Json } from '../fixtures/scenarios/build.ts';
import { tempDir } from '../helpers/tmp.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);

/** The sample scenario, tagged with framework families (format 1.1). */
function tagged(options: { critical?: boolean } = {}): Scenario {
  const s: Json = { ...sample(), formatVersion: 1.1 };
  s.meta.tags.push('playbook:IRP-CredCompromise', 'csf:RS.MA');
  if (options.critical) s.meta.critical = true;
  const node = (id: string) => s.timeline.find((n: { id: string }) => n.id === id);
  node('i-guardduty').tags.push('attack:T1078.004', 'attack:T1496.001');
  node('d-contain')
    .options.find((o: { id: string }) => o.id === 'deactivate')
    .tags.push('csf:RS.MI');
  s.contingencies[0].tags = [...(s.contingencies[0].tags ?? []), 'csf:RS.CO'];
  const result = parseScenarioText(JSON.stringify(s));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.scenario;
}

/** A scenario only the library has: its items are "never exercised". */
function libraryOnly(): Scenario {
  const s: Json = { ...sample(), formatVersion: 1.1 };
  s.meta.id = 'library-only';
  s.meta.title = 'Ransomware drill';
  s.meta.tags = ['playbook:IRP-Ransomware', 'attack:T1485'];
  const result = parseScenarioText(JSON.stringify(s));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.scenario;
}

interface TeamPlan {
  name: string;
  choices: Record<string, string>;
  /** Record this option first, then undo it, then record the planned one. */
  undo?: { decisionId: string; optionId: string };
}

/** Plays a session to its end through the real engine, teams choosing as planned, and stores it. */
function play(store: Store, scenario: Scenario, id: string, teams: TeamPlan[], start: number, options: { started?: boolean; recordedSha?: string } = {}): void {
  const json = JSON.stringify(scenario);
  const config: SessionConfig = {
    name: `Exercise ${id}`,
    facilitator: 'Ana',
    sensitivity: scenario.meta.sensitivity,
    scenarioId: scenario.meta.id,
    scenarioVersion: scenario.meta.version,
    scenarioSha256: options.recordedSha ?? sha256Hex(json),
    seed: id,
    speed: 0,
    teams: teams.map((t, i) => ({ id: `team-${i + 1}`, name: t.name, participants: [] })),
    milestoneTargets: Object.fromEntries(scenario.milestones.map((m) => [m.id, m.targetMinutes * 60_000])),
  };
  let wall = start;
  const { engine, events } = SessionEngine.create(scenario, config, wall);
  const log: NewLogEvent[] = [...events];
  const commit = (more: NewLogEvent[]) => log.push(...more);
  if (options.started !== false) {
    commit(engine.start(++wall));
    for (let step = 0; step < 1_000; step++) {
      const pending = teams.map((plan, i) => ({ plan, team: engine.team(`team-${i + 1}`), teamId: `team-${i + 1}` })).filter((t) => !t.team.context.ended);
      if (pending.length === 0) break;
      const deciding = pending.find((t) => t.team.openDecisions().length > 0);
      if (deciding) {
        const decisionId = deciding.team.openDecisions()[0]!.id;
        const record = (optionId: string) =>
          engine.teamCommand(deciding.teamId, { type: 'decision.recorded', payload: { decisionId, optionId, rationale: 'Because', decidedBy: deciding.plan.name } }, ++wall);
        if (deciding.plan.undo?.decisionId === decisionId && !log.some((e) => e.type === 'event.corrected' && e.teamId === deciding.teamId)) {
          const recorded = record(deciding.plan.undo.optionId);
          commit(recorded);
          const seq = log.indexOf(recorded[0]!) + 1;
          commit(engine.correct({ seq, type: 'decision.recorded', teamId: deciding.teamId }, 'Slip', ++wall));
        }
        commit(record(deciding.plan.choices[decisionId] ?? deciding.team.node!.type));
        continue;
      }
      commit(engine.advance(++wall));
    }
  }
  store.sessions.create(
    {
      id,
      name: config.name,
      facilitator: 'Ana',
      scenarioId: scenario.meta.id,
      scenarioVersion: scenario.meta.version,
      scenarioSha256: sha256Hex(json),
      scenarioJson: json,
      wallMs: start,
    },
    log,
  );
}

const BLUE: TeamPlan = { name: 'Blue', choices: { 'd-contain': 'deactivate', 'd-recover': 'federate' } };
const RED: TeamPlan = { name: 'Red', choices: { 'd-contain': 'wait', 'd-recover': 'detach' } };

let store: Store | undefined;
let cleanup: (() => void) | undefined;
afterEach(() => {
  store?.close();
  cleanup?.();
  store = cleanup = undefined;
});

function open(): Store {
  const dir = tempDir('programme-');
  cleanup = dir.cleanup;
  store = Store.open({ dataDir: dir.dir });
  return store;
}

const item = (items: readonly ProgrammeItem[], key: string) => {
  const found = items.find((i) => i.key === key);
  if (!found) throw new Error(`no item ${key}; have ${items.map((i) => i.key).join(', ')}`);
  return found;
};

describe('the programme view', () => {
  it('says when each item was last exercised, by which teams and how they ended', () => {
    const s = open();
    const scenario = tagged();
    play(s, scenario, 's1', [BLUE, RED], T0);
    play(s, scenario, 's2', [{ ...BLUE, name: 'blue ' }], T0 + 30 * DAY);
    play(s, scenario, 's3', [RED], T0 + 60 * DAY, { started: false }); // set up, never started: exercises nothing
    const p = computeProgramme([scenario, libraryOnly()], programmeSessions(s), T0 + 90 * DAY);

    expect(p.sessionsRead).toBe(3);
    expect(p.sessionsStarted).toBe(2);
    const playbook = item(p.items, 'playbook:IRP-CredCompromise');
    expect(playbook).toMatchObject({
      family: 'playbook',
      id: 'IRP-CredCompromise',
      label: 'Credential Compromise',
      sessions: 2,
      status: 'current',
      cadenceDays: DEFAULT_CADENCE_DAYS,
    });
    expect(playbook.lastExercised).toMatchObject({ sessionId: 's2', sessionName: 'Exercise s2' });
    // Team names fold like the improvement plan's ("blue " is Blue); each team with its latest outcome.
    expect(playbook.teams.map((t) => [t.teamName, t.sessionId, t.result, t.ending, t.times])).toEqual([
      ['blue ', 's2', 'success', (scenario.timeline.find((n) => n.id === 'e-federated') as { title: string }).title, 2],
      ['Red', 's1', 'failure', expect.any(String), 1],
    ]);
    expect(playbook.teams[0]!.available).not.toBeNull();
    expect(playbook.dueTimestamp).toBe(playbook.lastExercised!.timestamp + DEFAULT_CADENCE_DAYS * DAY);

    // An option's tag is exercised only by the team that chose it.
    expect(item(p.items, 'csf:RS.MI').teams.map((t) => t.teamName)).toEqual(['blue ']);
    // An inject's techniques by every team the inject reached.
    expect(item(p.items, 'attack:T1078.004')).toMatchObject({ label: 'Valid Accounts: Cloud Accounts', sessions: 2 });
    // Phase aliases fold into their phase.
    expect(p.items.filter((i) => i.family === 'phase').map((i) => i.id)).toEqual(expect.arrayContaining(['detection', 'analysis', 'containment', 'recovery']));

    // Only in the library: never exercised.
    const ransomware = item(p.items, 'playbook:IRP-Ransomware');
    expect(ransomware).toMatchObject({ status: 'never', lastExercised: null, dueTimestamp: null, teams: [], sessions: 0 });
    expect(ransomware.declaredBy).toEqual([{ scenarioId: 'library-only', title: 'Ransomware drill', critical: false, inLibrary: true }]);
    expect(p.summary.never).toBeGreaterThanOrEqual(2); // IRP-Ransomware and T1485 at least
  });

  it('sums each team’s points from its choices and chance events', () => {
    const s = open();
    const scenario = tagged();
    play(s, scenario, 's1', [BLUE, RED], T0);
    const p = computeProgramme([scenario], programmeSessions(s), T0 + DAY);
    const [blue, red] = ['blue', 'red'].map((name) => item(p.items, 'srm:customer').teams.find((t) => t.teamName.toLowerCase() === name)!);
    const rolled = s.sessions.events('s1').filter((e) => e.type === 'random.rolled');
    expect(rolled).toHaveLength(2);
    const chance = (teamId: string) => {
      const r = rolled.find((e) => e.teamId === teamId)!.payload;
      const node = scenario.timeline.find((n) => n.id === r.nodeId);
      const score = node?.type === 'random' ? (node.outcomes.find((o) => o.id === r.outcomeId)?.consequences.score ?? {}) : {};
      return Object.values(score);
    };
    const gains = (values: number[]) => values.filter((v) => v > 0).reduce((a, b) => a + b, 0);
    const costs = (values: number[]) => Math.abs(values.filter((v) => v < 0).reduce((a, b) => a + b, 0));
    // deactivate (2 + 2 + 1) and federate (2 + 2 + 1); wait (-2 - 2) and detach (-3 - 2).
    expect(blue!.earned).toBe(10 + gains(chance('team-1')));
    expect(blue!.lost).toBe(costs(chance('team-1')));
    expect(red!.earned).toBe(gains(chance('team-2')));
    expect(red!.lost).toBe(9 + costs(chance('team-2')));
  });

  it('raises cadence alerts: yearly by default, twice a year for critical scenarios', () => {
    const s = open();
    play(s, tagged(), 's1', [BLUE], T0);
    const sessions = programmeSessions(s);
    const at = (days: number, library: Scenario[] = [tagged()]) => item(computeProgramme(library, sessions, T0 + days * DAY).items, 'csf:RS.MA');

    expect(at(200)).toMatchObject({ status: 'current', critical: false, cadenceDays: DEFAULT_CADENCE_DAYS });
    expect(at(400)).toMatchObject({ status: 'overdue' });
    // The same scenario marked critical in the library now: due twice a year.
    expect(at(200, [tagged({ critical: true })])).toMatchObject({ status: 'overdue', critical: true, cadenceDays: CRITICAL_CADENCE_DAYS });
    expect(at(100, [tagged({ critical: true })])).toMatchObject({ status: 'current', critical: true });
  });

  it('honours undo: an option recorded then corrected exercises nothing', () => {
    const s = open();
    const scenario = tagged();
    play(s, scenario, 's1', [{ name: 'Green', choices: { 'd-contain': 'wait', 'd-recover': 'rotate' }, undo: { decisionId: 'd-contain', optionId: 'deactivate' } }], T0);
    expect(s.sessions.events('s1').some((e) => e.type === 'event.corrected')).toBe(true);
    const p = computeProgramme([scenario], programmeSessions(s), T0 + DAY);
    expect(item(p.items, 'csf:RS.MI')).toMatchObject({ status: 'never', teams: [] });
    expect(item(p.items, 'csf:RS.MA').teams.map((t) => t.teamName)).toEqual(['Green']);
  });

  it('filters by family, status and team', () => {
    const s = open();
    const scenario = tagged();
    play(s, scenario, 's1', [BLUE, RED], T0);
    const sessions = programmeSessions(s);
    const csf = computeProgramme([scenario, libraryOnly()], sessions, T0 + DAY, { families: ['csf'] });
    expect(new Set(csf.items.map((i) => i.family))).toEqual(new Set(['csf']));
    expect(csf.items.map((i) => i.id)).toEqual(['RS.MA', 'RS.CO', 'RS.MI']); // the vocabulary's order
    const never = computeProgramme([scenario, libraryOnly()], sessions, T0 + DAY, { statuses: ['never'] });
    expect(never.items.every((i) => i.status === 'never')).toBe(true);
    expect(never.summary.items).toBeGreaterThan(never.items.length);
    const red = computeProgramme([scenario], sessions, T0 + DAY, { teamName: 'RED' });
    expect(item(red.items, 'csf:RS.MI')).toMatchObject({ status: 'never' });
    expect(item(red.items, 'csf:RS.MA').teams.map((t) => t.teamName)).toEqual(['Red']);
  });

  it('skips a session whose stored scenario is not the one its log records', () => {
    const s = open();
    const scenario = tagged();
    play(s, scenario, 's1', [BLUE], T0);
    play(s, scenario, 's2', [RED], T0 + DAY, { recordedSha: 'f'.repeat(64) });
    const sessions = programmeSessions(s);
    expect(sessions.map((x) => [x.sessionId, x.scenario === null])).toEqual([
      ['s1', false],
      ['s2', true],
    ]);
    const p = computeProgramme([scenario], sessions, T0 + 2 * DAY);
    expect(p.sessionsStarted).toBe(1);
    expect(item(p.items, 'csf:RS.MA').teams.map((t) => t.teamName)).toEqual(['Blue']);
  });
});

describe('programme exports', () => {
  it('writes a CSV row per item, safe in every locale', () => {
    const s = open();
    const scenario = tagged();
    play(s, scenario, 's1', [{ ...BLUE, name: '=cmd|calc' }], T0);
    const p = computeProgramme([scenario, libraryOnly()], programmeSessions(s), T0 + DAY);
    const csv = programmeCsv(p);
    const table = readCsv(csv);
    expect(table.records[0]).toEqual([...PROGRAMME_CSV_HEADER]);
    expect(table.records.length - 1).toBe(p.items.length);
    expect(csv).not.toMatch(/(^|[,;\t\r\n])=cmd/);
    const row = table.records.find((r) => r[1] === 'T1078.004')!;
    expect(row.slice(0, 4)).toEqual(['MITRE ATT&CK techniques (cloud)', 'T1078.004', 'Valid Accounts: Cloud Accounts', 'Current']);
    expect(row[6]).toBe('=cmd|calc');
  });

  /** The ATT&CK Navigator layer file format 4.5 (attack-navigator layers/spec/v4.5/layerformat.md), as documented. */
  const Metadata = z.union([z.strictObject({ name: z.string(), value: z.string() }), z.strictObject({ divider: z.boolean() })]);
  const Link = z.union([z.strictObject({ label: z.string(), url: z.string().regex(/^[a-z]+:\/\//) }), z.strictObject({ divider: z.boolean() })]);
  const Hex = z.string().regex(/^#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$/);
  const LayerV45 = z.strictObject({
    versions: z
      .strictObject({
        attack: z.string().optional(),
        navigator: z.string().refine((v) => {
          const [a = 0, b = 0] = v.split('.').map(Number);
          return a > 4 || (a === 4 && b >= 9);
        }, 'at least 4.9.0'),
        layer: z.literal('4.5'),
      })
      .optional(),
    name: z.string(),
    description: z.string().optional(),
    domain: z.enum(['enterprise-attack', 'mobile-attack', 'ics-attack']),
    customDataURL: z.string().optional(),
    filters: z.strictObject({ platforms: z.array(z.string()).optional() }).optional(),
    sorting: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]).optional(),
    layout: z
      .strictObject({
        layout: z.enum(['side', 'flat', 'mini']).optional(),
        showID: z.boolean().optional(),
        showName: z.boolean().optional(),
        showAggregateScores: z.boolean().optional(),
        countUnscored: z.boolean().optional(),
        aggregateFunction: z.enum(['average', 'min', 'max', 'sum']).optional(),
        expandedSubtechniques: z.enum(['none', 'all', 'annotated']).optional(),
      })
      .optional(),
    hideDisabled: z.boolean().optional(),
    techniques: z
      .array(
        z.strictObject({
          techniqueID: z.string().regex(/^T\d{4}(\.\d{3})?$/),
          tactic: z.string().optional(),
          comment: z.string().optional(),
          enabled: z.boolean().optional(),
          score: z.number().optional(),
          color: Hex.optional(),
          metadata: z.array(Metadata).optional(),
          links: z.array(Link).optional(),
          showSubtechniques: z.boolean().optional(),
        }),
      )
      .optional(),
    gradient: z
      .strictObject({ colors: z.array(Hex).min(2), minValue: z.number(), maxValue: z.number() })
      .refine((g) => g.maxValue > g.minValue, 'maxValue must be > minValue')
      .optional(),
    legendItems: z.array(z.strictObject({ label: z.string(), color: Hex })).optional(),
    showTacticRowBackground: z.boolean().optional(),
    tacticRowBackground: z.string().optional(),
    selectTechniquesAcrossTactics: z.boolean().optional(),
    selectSubtechniquesWithParent: z.boolean().optional(),
    selectVisibleTechniques: z.boolean().optional(),
    metadata: z.array(Metadata).optional(),
    links: z.array(Link).optional(),
  });

  it('exports the techniques exercised as an ATT&CK Navigator layer (format 4.5)', () => {
    const s = open();
    const scenario = tagged();
    play(s, scenario, 's1', [BLUE, RED], T0);
    play(s, scenario, 's2', [BLUE], T0 + 400 * DAY);
    play(s, libraryOnly(), 's3', [RED], T0);
    const p = computeProgramme([scenario], programmeSessions(s), T0 + 401 * DAY);
    const layer = JSON.parse(JSON.stringify(navigatorLayer(p, { generator: 'Sandtable test' })));
    const parsed = LayerV45.safeParse(layer);
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    expect(layer).toMatchObject({ domain: 'enterprise-attack', versions: { attack: '18', layer: '4.5' } });
    const byId = new Map<string, { score: number; comment: string; color?: string }>(layer.techniques.map((t: { techniqueID: string }) => [t.techniqueID, t]));
    // Exactly the techniques exercised, each known to the shipped vocabulary.
    expect([...byId.keys()].sort()).toEqual(['T1078.004', 'T1485', 'T1496.001']);
    for (const id of byId.keys()) expect(ATTACK_BY_ID.has(id)).toBe(true);
    expect(byId.get('T1078.004')!.score).toBe(2);
    expect(byId.get('T1078.004')!.comment).toMatch(/Last exercised 2027-02-09/);
    expect(byId.get('T1078.004')!.color).toBeUndefined();
    // T1485 was last exercised over a year before: overdue, in the legend's colour.
    expect(byId.get('T1485')!.color).toBe(layer.legendItems[1].color);
    expect(layer.gradient).toMatchObject({ minValue: 0, maxValue: 2 });
  });
});
