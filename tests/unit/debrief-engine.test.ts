/**
 * Debriefs of logs the real SessionEngine produced: pauses, a speed change,
 * a time-out, an automatic contingency and jumps of the manual clock, with
 * the runner's ticks arriving late (as a busy machine's timers do).
 */
import { describe, expect, it } from 'vitest';
import { computeDebrief } from '../../src-main/core/debrief/compute.ts';
import type { LogEvent, NewLogEvent, SessionConfig } from '../../src-main/core/engine/events.ts';
import { SessionEngine } from '../../src-main/core/engine/session.ts';
import { debriefScenario, MIN } from '../helpers/debrief-log.ts';

const scenario = debriefScenario();
const T0 = 1_700_000_000_000;

function config(overrides: Partial<SessionConfig> = {}): SessionConfig {
  return {
    name: 'Engine drill',
    facilitator: 'Ana',
    sensitivity: 'TLP:CLEAR',
    scenarioId: scenario.meta.id,
    scenarioVersion: scenario.meta.version,
    scenarioSha256: '',
    seed: 'seed-1',
    speed: 1,
    teams: [
      { id: 'red', name: 'Red', participants: [] },
      { id: 'blue', name: 'Blue', participants: [] },
    ],
    milestoneTargets: {},
    ...overrides,
  };
}

/** Numbers engine output as the store would. */
class Log {
  readonly events: LogEvent[] = [];
  push(batch: NewLogEvent[]): void {
    for (const e of batch) this.events.push({ ...e, sessionId: 's', seq: this.events.length + 1, prevHash: '', hash: `h${this.events.length + 1}` });
  }
}

describe('debrief of an engine-produced session', () => {
  const log = new Log();
  const { engine, events } = SessionEngine.create(scenario, config(), T0 - MIN);
  log.push(events);
  log.push(engine.start(T0));
  log.push(engine.pause(T0 + 3 * MIN));
  log.push(engine.resume(T0 + 63 * MIN));
  // The runner's timer for scenario minute 10 (due at T0+70) fires 4 s late.
  log.push(engine.tick(T0 + 70 * MIN + 4_000));
  log.push(engine.teamCommand('red', { type: 'decision.recorded', payload: { decisionId: 'd1', optionId: 'now', rationale: 'Now', decidedBy: 'IC' } }, T0 + 71 * MIN));
  log.push(
    engine.teamCommand('blue', { type: 'decision.recorded', payload: { decisionId: 'd1', optionId: 'wait', rationale: 'Watch', decidedBy: 'CTO' } }, T0 + 71 * MIN + 30_000),
  );
  log.push(engine.setSpeed(5, T0 + 72 * MIN));
  // Nothing ticks until T0+80: the contingency (scenario 25, due T0+74:36) and i3 (scenario 30, due T0+75:36) are stamped late.
  log.push(engine.tick(T0 + 80 * MIN));
  log.push(engine.end('done', T0 + 81 * MIN));
  const debrief = computeDebrief(scenario, log.events);
  const red = debrief.teams[0]!;
  const blue = debrief.teams[1]!;

  it('excludes the hour-long pause from active wall time', () => {
    expect(debrief.clock.pauses).toMatchObject({ count: 1, totalWallMs: 60 * MIN });
    expect(red.decisions[0]).toMatchObject({ openedScenarioMs: 10 * MIN, openedWallMs: 10 * MIN, decidedScenarioMs: 11 * MIN, decidedWallMs: 11 * MIN, latencyWallMs: MIN });
    expect(red.milestones.contained).toMatchObject({ scenarioMs: 11 * MIN, wallMs: 11 * MIN, met: true, deltaMs: -19 * MIN });
    expect(debrief.session).toMatchObject({ elapsedWallMs: 81 * MIN, activeWallMs: 21 * MIN });
  });

  it('runs scenario time five times faster than wall time after the speed change', () => {
    expect(debrief.clock.speedChanges).toEqual([{ scenarioMs: 12 * MIN, wallMs: 12 * MIN, timestamp: T0 + 72 * MIN, from: 1, to: 5 }]);
    // Scenario 25 min is 13 scenario minutes after the change: 2.6 wall minutes.
    expect(blue.contingencies).toEqual([
      {
        id: 'c1',
        title: 'The CISO calls',
        manual: false,
        scenarioMs: 25 * MIN,
        wallMs: 14.6 * MIN,
        timestamp: T0 + 74.6 * MIN,
        condition: { kind: 'milestone', id: 'contained', byMs: 25 * MIN },
      },
    ]);
    expect(red.ended).toMatchObject({ scenarioMs: 30 * MIN, wallMs: 15.6 * MIN });
    expect(debrief.session.durationScenarioMs).toBe(12 * MIN + 9 * 5 * MIN);
  });

  it('records the choice that diverged from the recommendation and where it led', () => {
    expect(blue.decisions[0]).toMatchObject({ optionId: 'wait', matchedRecommendation: false, decidedBy: 'CTO', latencyScenarioMs: 1.5 * MIN, milestonesReached: [] });
    expect(blue.decisions[0]!.ledTo).toMatchObject({ nodeId: 'i3bad', title: 'Leak' });
    expect(blue.milestones.contained!.scenarioMs).toBeNull();
    expect(blue.score.responsibility).toMatchObject({ points: -1, max: 2 });
    expect(blue.score.phase.lines).toEqual([{ key: 'containment', label: 'Containment', points: -1, max: 1, available: 1 }]);
    expect(blue.ended).toMatchObject({ nodeId: 'endBad', result: 'failure' });
  });

  it('matches what the engine itself kept', () => {
    for (const team of debrief.teams) {
      const ctx = engine.team(team.id).context;
      for (const [id, ms] of Object.entries(ctx.milestones)) expect(team.milestones[id]!.scenarioMs, `${team.id} ${id}`).toBe(ms);
      expect(team.score.byTag).toEqual(ctx.score);
      for (const [id, ms] of Object.entries(ctx.objectives)) expect(team.objectives.find((o) => o.id === id)!.demonstratedScenarioMs).toBe(ms);
    }
  });
});

describe('debrief of a manually stepped session', () => {
  it('records jumps of the manual clock, and time-outs taken at their scenario time', () => {
    const scenarioConfig = config({ speed: 0, teams: [{ id: 'red', name: 'Red', participants: [] }] });
    const log = new Log();
    const { engine, events } = SessionEngine.create(scenario, scenarioConfig, T0);
    log.push(events);
    log.push(engine.start(T0));
    log.push(engine.advance(T0 + MIN)); // to i2 at 10 min; d1 opens
    log.push(engine.setSpeed(1, T0 + 2 * MIN));
    log.push(engine.tick(T0 + 9 * MIN)); // d1's 5-minute limit ran out at scenario 15 min (wall T0+7)
    log.push(engine.setSpeed(0, T0 + 10 * MIN));
    log.push(engine.advance(T0 + 11 * MIN)); // jump to i3 at 30 min
    log.push(engine.end('done', T0 + 12 * MIN));
    const d = computeDebrief(scenario, log.events);
    expect(d.clock.jumps).toEqual([
      { fromScenarioMs: 0, toScenarioMs: 10 * MIN, wallMs: MIN, timestamp: T0 + MIN },
      { fromScenarioMs: 18 * MIN, toScenarioMs: 30 * MIN, wallMs: 11 * MIN, timestamp: T0 + 11 * MIN },
    ]);
    const [decision] = d.teams[0]!.decisions;
    expect(decision).toMatchObject({
      status: 'timedOut',
      openedWallMs: MIN,
      decidedScenarioMs: 15 * MIN,
      decidedWallMs: 7 * MIN,
      latencyScenarioMs: 5 * MIN,
      latencyWallMs: 6 * MIN,
    });
    expect(d.teams[0]!.timeline.filter((i) => i.kind === 'jump')).toEqual([
      { kind: 'jump', fromMs: 0, toMs: 10 * MIN },
      { kind: 'jump', fromMs: 18 * MIN, toMs: 30 * MIN },
    ]);
  });
});

describe('undone actions in the debrief', () => {
  it('leaves out a corrected decision and what it caused', async () => {
    const { SessionEngine } = await import('../../src-main/core/engine/session.ts');
    const { computeDebrief } = await import('../../src-main/core/debrief/compute.ts');
    const { engineTestScenario } = await import('../helpers/scenario.ts');
    const scenario = engineTestScenario();
    const config = {
      name: 'Undo',
      facilitator: 'F',
      sensitivity: 'x',
      scenarioId: scenario.meta.id,
      scenarioVersion: scenario.meta.version,
      scenarioSha256: '',
      seed: 's',
      speed: 1 as const,
      teams: [{ id: 'team-1', name: 'Red', participants: [] }],
      milestoneTargets: { detected: 600_000, contained: 1_800_000, eradicated: 2_700_000, recovered: 3_300_000 },
    };
    const log: any[] = [];
    const push = (batch: any[]) => batch.forEach((e) => log.push({ ...e, sessionId: 's', seq: log.length + 1, prevHash: '', hash: `h${log.length + 1}` }));
    const { engine, events } = SessionEngine.create(scenario, config, 0);
    push(events);
    push(engine.start(0));
    push(engine.tick(600_000));
    push(engine.teamCommand('team-1', { type: 'decision.recorded', payload: { decisionId: 'd1', optionId: 'wait', rationale: 'slip', decidedBy: 'IC' } }, 610_000));
    const wrong = log.find((e) => e.type === 'decision.recorded');
    push(engine.correct(wrong, 'Wrong option clicked', 620_000));
    push(engine.teamCommand('team-1', { type: 'decision.recorded', payload: { decisionId: 'd1', optionId: 'now', rationale: 'right', decidedBy: 'IC' } }, 630_000));
    SessionEngine.replay(scenario, log); // the log with its correction replays
    const debrief = computeDebrief(scenario, log);
    const team = debrief.teams[0]!;
    expect(team.decisions.map((d: any) => d.optionId)).toEqual(['now']);
    expect(team.milestones.contained?.scenarioMs).toBe(630_000);
  });
});
