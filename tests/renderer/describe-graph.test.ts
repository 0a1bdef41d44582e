/**
 * The console's words for the log (describe-event.ts) over a real session's
 * log, and the preview graph's steps and layout (graph.ts) over a real scenario.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogRecord } from '../../src-main/api/log-events.ts';
import { dispatch } from '../../src-main/app/dispatch.ts';
import { Services } from '../../src-main/app/services.ts';
import { Scenario } from '../../src-main/core/scenario/schema.ts';
import { Store } from '../../src-main/store/store.ts';
import { correctedSeqs, describeEvent, isTimelineEvent, noteOf, rationaleOf, undoneText } from '../../src-renderer/src/features/console/describe-event.ts';
import { ScenarioIndex } from '../../src-renderer/src/features/console/scenario-index.ts';
import { buildSteps, layoutSteps, wrapText } from '../../src-renderer/src/features/scenario/graph.ts';
import { FakeClock } from '../helpers/fake-clock.ts';
import { engineTestScenarioInput } from '../helpers/scenario.ts';
import { tempDir } from '../helpers/tmp.ts';

const scenario = Scenario.parse(engineTestScenarioInput());
const index = new ScenarioIndex(scenario);
let events: LogRecord[] = [];
const t = tempDir();

beforeAll(async () => {
  const scenariosDir = join(t.dir, 'scenarios');
  mkdirSync(scenariosDir);
  writeFileSync(join(scenariosDir, 'engine-test.json'), JSON.stringify(engineTestScenarioInput()));
  const dataDir = join(t.dir, 'data');
  const clock = new FakeClock();
  const services = new Services(Store.open({ dataDir }), { name: 'Sandtable', version: 't', host: 'web', dataDir, scenariosDir }, clock);
  const call = async (method: string, input: unknown): Promise<any> => {
    const response = await dispatch(services, method, input, { role: 'facilitator' });
    if (!response.ok) throw new Error(response.error.message);
    return JSON.parse(JSON.stringify(response.result));
  };
  const { id: sessionId } = await call('sessions.create', { scenarioId: 'engine-test', name: 'Drill', facilitator: 'Ana', teams: [{ name: 'Red' }], seed: 'fixed' });
  await call('sessions.start', { sessionId });
  await call('sessions.advance', { sessionId });
  await call('sessions.addNote', { sessionId, teamId: 'team-1', text: 'Slow to escalate.', objectiveId: 'obj1', rating: 'M', author: 'Eve' });
  await call('sessions.recordDecision', { sessionId, teamId: 'team-1', decisionId: 'd1', optionId: 'wait', rationale: 'Need more data.', decidedBy: 'Kim' });
  await call('sessions.undo', { sessionId, teamId: 'team-1' });
  await call('sessions.recordDecision', { sessionId, teamId: 'team-1', decisionId: 'd1', optionId: 'now', rationale: 'Revoke the key.', decidedBy: 'Kim' });
  await call('sessions.setSpeed', { sessionId, speed: 5 });
  await call('sessions.end', { sessionId, reason: 'Out of time' });
  events = await call('sessions.events', { sessionId });
  services.close();
});

afterAll(() => t.cleanup());

const lines = () => events.map((e) => describeEvent(e, index, (seq) => events.find((x) => x.seq === seq)));

describe('describeEvent and friends, over a real log', () => {
  it('words every event of the log by its typed payload', () => {
    expect(lines()).toEqual(
      expect.arrayContaining([
        'Session set up',
        'Exercise started',
        'Inject delivered: Alert',
        'Decision opened: Contain?',
        'Observation (M): Slow to escalate.',
        'Decided “Watch longer” (by Kim)',
        'Undone: Decided “Watch longer” (by Kim)',
        'Decided “Contain now” (by Kim)',
        'Milestone reached: Detected',
        'Objective demonstrated: Contain quickly.',
        'Clock speed set to 5×',
        'Exercise ended: Out of time',
      ]),
    );
    expect(lines().some((l) => /^Random event “Does the attacker notice\?”: (Noticed|Unnoticed)$/.test(l))).toBe(true);
    expect(lines()).not.toContain(expect.stringMatching(/undefined|\?\)|: $/));
  });

  it('reads a note, a rationale, and what an undo cancelled (main’s rule)', () => {
    const note = events.map(noteOf).find((n) => n !== null)!;
    expect(note).toMatchObject({ teamId: 'team-1', text: 'Slow to escalate.', objectiveId: 'obj1', rating: 'M', author: 'Eve' });
    const decisions = events.filter((e) => e.type === 'decision.recorded');
    expect(decisions.map(rationaleOf)).toEqual(['Need more data.', 'Revoke the key.']);
    const undone = correctedSeqs(events);
    expect(undone.has(decisions[0]!.seq)).toBe(true);
    expect(undone.has(decisions[1]!.seq)).toBe(false);
    expect(undoneText(decisions[0]!, index)).toBe('decision “Watch longer”');
    expect(events.filter((e) => !isTimelineEvent(e)).map((e) => e.type)).toEqual(['session.created']);
  });
});

describe('the preview graph', () => {
  it('lists every step breadth-first from the start with its exits, and marks what cannot be reached', () => {
    const broken = Scenario.parse({
      ...engineTestScenarioInput(),
      timeline: [...engineTestScenarioInput().timeline, { type: 'end', id: 'orphan', title: 'Orphan', outcome: 'x', result: 'partial' }],
    });
    const steps = buildSteps(broken);
    expect(steps.map((s) => s.id)).toEqual(['i1', 'i2', 'd1', 'r1', 'b1', 'i3bad', 'i3good', 'endBad', 'endGood', 'orphan']);
    expect(steps.at(-1)!.reachable).toBe(false);
    const d1 = steps.find((s) => s.id === 'd1')!;
    expect(d1.exits).toEqual([
      { kind: 'recommended', label: 'Contain now', target: 'r1', resolved: true },
      { kind: 'option', label: 'Watch longer', target: 'r1', resolved: true },
    ]);
    expect(steps.find((s) => s.id === 'r1')!.exits.map((e) => e.label)).toEqual(['Noticed (50%)', 'Unnoticed (50%)']);
    expect(steps.find((s) => s.id === 'b1')!.exits.map((e) => [e.kind, e.target])).toEqual([
      ['case', 'i3bad'],
      ['otherwise', 'i3good'],
    ]);
    expect(d1.detail).toBe('2 options, 5-min limit');
  });

  it('lays out every step without overlap and draws an edge per exit', () => {
    const steps = buildSteps(scenario);
    const layout = layoutSteps(steps);
    expect(layout.nodes.map((n) => n.step.id).sort()).toEqual(steps.map((s) => s.id).sort());
    expect(layout.edges).toHaveLength(steps.reduce((n, s) => n + s.exits.filter((e) => e.resolved).length, 0));
    for (const a of layout.nodes) {
      for (const b of layout.nodes) {
        if (a === b) continue;
        const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
        expect(apart, `${a.step.id} / ${b.step.id}`).toBe(true);
      }
    }
  });

  it('wraps a title to its lines and cuts the last with an ellipsis', () => {
    expect(wrapText('The attacker exfiltrates data to an external bucket', 16, 2)).toEqual(['The attacker', 'exfiltrates dat…']);
    expect(wrapText('Short', 16, 2)).toEqual(['Short']);
    for (const line of wrapText('a'.repeat(50), 10, 3)) expect(line.length).toBeLessThanOrEqual(10);
  });
});
