import { describe, expect, it } from 'vitest';
import { compileScenario, MINUTE_MS } from '../../src-main/core/engine/machine.ts';
import type { LogEvent, NewLogEvent, SessionConfig } from '../../src-main/core/engine/events.ts';
import { ReplayMismatch, SessionEngine } from '../../src-main/core/engine/session.ts';
import { EngineRejection, TeamEngine } from '../../src-main/core/engine/team.ts';
import { engineTestScenario } from '../helpers/scenario.ts';

const MIN = MINUTE_MS;
const scenario = engineTestScenario();

function config(overrides: Partial<SessionConfig> = {}): SessionConfig {
  return {
    name: 'Test',
    facilitator: 'Fac',
    sensitivity: 'TLP:CLEAR',
    scenarioId: scenario.meta.id,
    scenarioVersion: scenario.meta.version,
    scenarioSha256: '0'.repeat(64),
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

/** A fake log: numbers the events the engine produced, as the store would. */
class Log {
  events: LogEvent[] = [];
  push(batch: NewLogEvent[]): NewLogEvent[] {
    for (const e of batch) this.events.push({ ...e, sessionId: 's', seq: this.events.length + 1, prevHash: '', hash: '' });
    return batch;
  }
  types(teamId?: string): string[] {
    return this.events.filter((e) => teamId === undefined || e.teamId === teamId).map((e) => e.type);
  }
}

describe('TeamEngine', () => {
  const compiled = compileScenario(scenario);

  it('delivers injects at their scenario time and opens the decision', () => {
    const team = new TeamEngine(compiled, 't', 'seed');
    expect(team.start().map((e) => e.event)).toEqual([{ type: 'inject.delivered', payload: { nodeId: 'i1' } }]);
    expect(team.context.positions.main!.currentInject).toBe('i1');
    expect(team.nextDueMs()).toBe(10 * MIN);
    expect(team.advanceTo(9 * MIN)).toEqual([]);
    const events = team.advanceTo(12 * MIN);
    expect(events).toEqual([
      { event: { type: 'inject.delivered', payload: { nodeId: 'i2' } }, scenarioMs: 10 * MIN },
      { event: { type: 'decision.opened', payload: { nodeId: 'd1' } }, scenarioMs: 10 * MIN },
    ]);
    expect(team.context.positions.main!.openDecision).toEqual({ id: 'd1', openedAt: 10 * MIN });
  });

  it('applies a choice: milestones, objectives, score, and the path it leads to', () => {
    const team = new TeamEngine(compiled, 't', 'seed');
    team.start();
    team.advanceTo(11 * MIN);
    const events = team.command({ type: 'decision.recorded', payload: { decisionId: 'd1', optionId: 'now', rationale: 'r', decidedBy: 'IC' } });
    const types = events.map((e) => e.event.type);
    expect(types).toContain('milestone.reached');
    expect(types).toContain('objective.demonstrated');
    expect(types).toContain('random.rolled');
    expect(types).toContain('branch.taken');
    expect(team.context.milestones.detected).toBe(11 * MIN);
    expect(team.context.milestones.contained).toBe(11 * MIN);
    expect(team.context.score).toEqual({ 'srm:customer': 2 });
    expect(team.node?.id).toBe('i3good');
    team.advanceTo(40 * MIN);
    expect(team.context.ended).toEqual({ nodeId: 'endGood', at: 30 * MIN });
  });

  it('takes the default option when the time limit runs out, at exactly the limit', () => {
    const team = new TeamEngine(compiled, 't', 'seed');
    team.start();
    const events = team.advanceTo(20 * MIN);
    const timedOut = events.find((e) => e.event.type === 'decision.timedOut');
    expect(timedOut).toEqual({ event: { type: 'decision.timedOut', payload: { decisionId: 'd1', optionId: 'now' } }, scenarioMs: 15 * MIN });
    expect(team.context.choices.d1).toBe('now');
  });

  it('refuses commands that do not apply, changing nothing', () => {
    const team = new TeamEngine(compiled, 't', 'seed');
    team.start();
    expect(() => team.command({ type: 'decision.recorded', payload: { decisionId: 'd1', optionId: 'now', rationale: '', decidedBy: '' } })).toThrow(EngineRejection);
    team.advanceTo(10 * MIN);
    expect(() => team.command({ type: 'decision.recorded', payload: { decisionId: 'd1', optionId: 'nope', rationale: '', decidedBy: '' } })).toThrow(/no option/);
    expect(() => team.command({ type: 'milestone.marked', payload: { milestoneId: 'nope' } })).toThrow(/no milestone/);
    expect(team.context.positions.main!.openDecision?.id).toBe('d1');
  });

  it('fires a contingency when its milestone is not reached in time, once', () => {
    const team = new TeamEngine(compiled, 't', 'seed');
    team.start();
    team.advanceTo(10 * MIN);
    team.command({ type: 'decision.recorded', payload: { decisionId: 'd1', optionId: 'wait', rationale: '', decidedBy: '' } });
    const events = team.advanceTo(26 * MIN);
    expect(events).toContainEqual({ event: { type: 'contingency.fired', payload: { contingencyId: 'c1', manual: false } }, scenarioMs: 25 * MIN });
    expect(team.advanceTo(28 * MIN).filter((e) => e.event.type === 'contingency.fired')).toEqual([]);
  });

  it('does not fire a contingency whose milestone was reached', () => {
    const team = new TeamEngine(compiled, 't', 'seed');
    team.start();
    team.advanceTo(10 * MIN);
    team.command({ type: 'decision.recorded', payload: { decisionId: 'd1', optionId: 'now', rationale: '', decidedBy: '' } });
    expect(team.advanceTo(40 * MIN).map((e) => e.event.type)).not.toContain('contingency.fired');
  });

  it('lets the facilitator fire a contingency and mark a milestone by hand', () => {
    const team = new TeamEngine(compiled, 't', 'seed');
    team.start();
    team.advanceTo(3 * MIN);
    expect(team.command({ type: 'contingency.triggered', payload: { contingencyId: 'c1' } }).map((e) => e.event)).toEqual([
      { type: 'contingency.fired', payload: { contingencyId: 'c1', manual: true } },
    ]);
    expect(() => team.command({ type: 'contingency.triggered', payload: { contingencyId: 'c1' } })).toThrow(/already fired/);
    team.command({ type: 'milestone.marked', payload: { milestoneId: 'detected' } });
    expect(team.context.milestones.detected).toBe(3 * MIN);
  });

  it('rolls the same outcome for the same seed and team, and both outcomes across seeds', () => {
    const outcome = (seed: string) => {
      const team = new TeamEngine(compiled, 't', seed);
      team.start();
      team.advanceTo(10 * MIN);
      team.command({ type: 'decision.recorded', payload: { decisionId: 'd1', optionId: 'now', rationale: '', decidedBy: '' } });
      return team.context.rolls.r1;
    };
    expect(outcome('a')).toBe(outcome('a'));
    const seen = new Set(Array.from({ length: 40 }, (_, i) => outcome(`seed-${i}`)));
    expect(seen).toEqual(new Set(['noticed', 'unnoticed']));
  });
});

describe('SessionEngine clock', () => {
  it('pause freezes scenario time exactly, and a timer due during the pause fires after resume at its scenario time', () => {
    const log = new Log();
    const { engine, events } = SessionEngine.create(scenario, config({ teams: [{ id: 'red', name: 'Red', participants: [] }] }), 1_000);
    log.push(events);
    const t0 = 10_000;
    log.push(engine.start(t0));
    expect(engine.scenarioTimeAt(t0 + 5 * MIN)).toBe(5 * MIN);
    log.push(engine.pause(t0 + 5 * MIN));
    expect(engine.scenarioTimeAt(t0 + 60 * MIN)).toBe(5 * MIN);
    expect(engine.nextWakeWallMs()).toBeNull();
    // An hour of pause: the inject due at scenario minute 10 must not be delivered.
    expect(engine.tick(t0 + 65 * MIN)).toEqual([]);
    log.push(engine.resume(t0 + 65 * MIN));
    expect(engine.nextWakeWallMs()).toBe(t0 + 70 * MIN);
    const delivered = log.push(engine.tick(t0 + 70 * MIN + 250)).find((e) => e.type === 'inject.delivered');
    expect(delivered).toMatchObject({ scenarioMs: 10 * MIN, payload: { nodeId: 'i2' } });
  });

  it('runs scenario time at the chosen speed, changing mid-exercise', () => {
    const { engine } = SessionEngine.create(scenario, config({ speed: 2 }), 0);
    engine.start(0);
    expect(engine.scenarioTimeAt(5 * MIN)).toBe(10 * MIN);
    engine.setSpeed(10, 5 * MIN);
    expect(engine.scenarioTimeAt(6 * MIN)).toBe(20 * MIN);
    engine.setSpeed(0, 6 * MIN);
    expect(engine.scenarioTimeAt(60 * MIN)).toBe(20 * MIN);
  });

  it('jumps to the next inject on advance', () => {
    const log = new Log();
    const { engine, events } = SessionEngine.create(scenario, config({ speed: 0 }), 0);
    log.push(events);
    log.push(engine.start(0));
    const batch = log.push(engine.advance(1_000));
    expect(batch.map((e) => e.type)).toEqual(['clock.jumped', 'inject.delivered', 'decision.opened', 'inject.delivered', 'decision.opened']);
    expect(engine.scenarioTimeAt(2_000)).toBe(10 * MIN);
    expect(() => engine.advance(3_000)).toThrow(/open decisions/);
  });
});

describe('SessionEngine replay', () => {
  function runScriptedSession(): Log {
    const log = new Log();
    const { engine, events } = SessionEngine.create(scenario, config(), 0);
    log.push(events);
    log.push(engine.start(1_000));
    log.push(engine.tick(1_000 + 10 * MIN + 17));
    log.push(
      engine.teamCommand('red', { type: 'decision.recorded', payload: { decisionId: 'd1', optionId: 'now', rationale: 'Stop the bleeding', decidedBy: 'IC' } }, 1_000 + 11 * MIN),
    );
    log.push(engine.pause(1_000 + 12 * MIN));
    log.push(engine.annotate('blue', { text: 'Blue hesitates', objectiveId: 'obj1', rating: 'M' }, 1_000 + 13 * MIN));
    log.push(engine.resume(1_000 + 20 * MIN));
    log.push(engine.setSpeed(5, 1_000 + 21 * MIN));
    log.push(engine.teamCommand('blue', { type: 'milestone.marked', payload: { milestoneId: 'eradicated' } }, 1_000 + 22 * MIN));
    log.push(engine.tick(1_000 + 30 * MIN));
    log.push(engine.end('Time', 1_000 + 31 * MIN));
    return log;
  }

  it('rebuilds every team exactly from the log', () => {
    const log = runScriptedSession();
    const replayed = SessionEngine.replay(scenario, log.events);
    expect(replayed.status).toBe('ended');
    expect(log.types('blue')).toContain('decision.timedOut');
    for (const teamId of ['red', 'blue']) {
      const ctx = replayed.team(teamId).context;
      expect(ctx.ended).not.toBeNull();
      expect(ctx.path.at(-1)).toMatch(/^end/);
    }
    expect(replayed.team('red').context.milestones.contained).toBe(11 * MIN);
  });

  it('detects a log whose engine events were altered', () => {
    const log = runScriptedSession();
    const i = log.events.findIndex((e) => e.type === 'random.rolled');
    const rolled = log.events[i];
    if (rolled?.type !== 'random.rolled') throw new Error('the scripted session rolls no dice');
    const altered: LogEvent = { ...rolled, payload: { ...rolled.payload, outcomeId: rolled.payload.outcomeId === 'noticed' ? 'unnoticed' : 'noticed' } };
    const forged = log.events.map((e, j) => (j === i ? altered : e));
    expect(() => SessionEngine.replay(scenario, forged)).toThrow(ReplayMismatch);
  });

  it('detects a log with a missing engine event', () => {
    const log = runScriptedSession();
    const i = log.events.findIndex((e) => e.type === 'inject.delivered' && e.teamId === 'blue' && e.scenarioMs > 0);
    expect(() =>
      SessionEngine.replay(
        scenario,
        log.events.filter((_, j) => j !== i),
      ),
    ).toThrow(ReplayMismatch);
  });
});
