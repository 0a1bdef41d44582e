/**
 * The one rule of what an undo cancels (core/engine/corrections.ts), checked
 * against its definition written the slow, obvious way, on logs the real
 * engine produced with undos of decisions, milestones and notes by two teams.
 */
import { describe, expect, it } from 'vitest';
import { countedEvents, undoneSeqs } from '../../src-main/core/engine/corrections.ts';
import type { LogEvent, NewLogEvent, SessionConfig } from '../../src-main/core/engine/events.ts';
import { SessionEngine } from '../../src-main/core/engine/session.ts';
import { Scenario } from '../../src-main/core/scenario/schema.ts';
import { loopingDecisionScenario } from '../../bench/scenarios.ts';

/** The definition: the corrected command, and the same team's engine events between it and its correction. */
function undoneByDefinition(events: readonly LogEvent[]): Set<number> {
  const out = new Set<number>();
  for (const c of events) {
    if (c.type !== 'event.corrected') continue;
    const target = events.find((e) => e.seq === c.payload.correctedSeq);
    out.add(c.payload.correctedSeq);
    for (const e of events) if (target && e.seq > target.seq && e.seq < c.seq && e.teamId === target.teamId && e.origin === 'engine') out.add(e.seq);
  }
  return out;
}

class Log {
  readonly events: LogEvent[] = [];
  push(batch: NewLogEvent[]): LogEvent[] {
    return batch.map((e) => {
      const stored = { ...e, sessionId: 's', seq: this.events.length + 1, prevHash: '', hash: '' };
      this.events.push(stored);
      return stored;
    });
  }
}

function engineLog(rounds: number): { scenario: Scenario; events: LogEvent[]; engine: SessionEngine } {
  const scenario = Scenario.parse(loopingDecisionScenario());
  const config: SessionConfig = {
    name: 'u',
    facilitator: 'f',
    sensitivity: 'x',
    scenarioId: scenario.meta.id,
    scenarioVersion: scenario.meta.version,
    scenarioSha256: '',
    seed: 'seed',
    speed: 0,
    teams: [
      { id: 'a', name: 'A', participants: [] },
      { id: 'b', name: 'B', participants: [] },
    ],
    milestoneTargets: {},
  };
  let wall = 1_000;
  const log = new Log();
  const created = SessionEngine.create(scenario, config, wall);
  const engine = created.engine;
  log.push(created.events);
  log.push(engine.start(++wall));
  for (let i = 0; i < rounds; i++) {
    for (const team of ['a', 'b']) {
      const decided = log.push(
        engine.teamCommand(team, { type: 'decision.recorded', payload: { decisionId: 'd', optionId: 'again', rationale: 'r', decidedBy: 'b' } }, ++wall),
      )[0]!;
      if (i % 3 === 0 && team === 'a') log.push(engine.correct(decided, 'slip', wall));
      if (i % 4 === 1) {
        const note = log.push(engine.annotate(team, { text: `n${i}` }, ++wall))[0]!;
        if (i % 8 === 1) log.push(engine.correct(note, 'typo', wall));
      }
    }
    if (i === 5) {
      const marked = log.push(engine.teamCommand('b', { type: 'milestone.marked', payload: { milestoneId: 'detected' } }, ++wall))[0]!;
      log.push(engine.correct(marked, 'too early', wall));
    }
  }
  return { scenario, events: log.events, engine };
}

describe('what an undo cancels', () => {
  it('is the same set as its definition, and countedEvents drops it with the corrections', () => {
    const { events } = engineLog(40);
    const undone = undoneSeqs(events);
    expect(undone).toEqual(undoneByDefinition(events));
    expect(undone.size).toBeGreaterThan(40);
    const counted = countedEvents(events);
    expect(counted.some((e) => e.type === 'event.corrected' || undone.has(e.seq))).toBe(false);
    expect(counted.length).toBe(events.length - undone.size - events.filter((e) => e.type === 'event.corrected').length);
  });

  it('keeps a log without corrections whole', () => {
    const { events } = engineLog(3);
    const plain = events.filter((e) => e.type !== 'event.corrected' && !undoneSeqs(events).has(e.seq));
    expect(undoneSeqs(plain).size).toBe(0);
    expect(countedEvents(plain)).toEqual(plain);
  });

  it('leaves the engine where replay puts it, path included, after many undos', () => {
    const { scenario, events, engine } = engineLog(40);
    const replayed = SessionEngine.replay(scenario, events);
    for (const team of ['a', 'b']) {
      expect(replayed.team(team).context.path).toEqual(engine.team(team).context.path);
      expect(replayed.team(team).persisted()).toEqual(engine.team(team).persisted());
    }
    // Every undone decision took its step off the path: team a decided 40 times and undid 14 of them.
    const decidedA = events.filter((e) => e.type === 'decision.recorded' && e.teamId === 'a').length;
    expect(decidedA).toBe(40);
    expect(engine.team('a').context.path.length).toBe(2 + 2 * (40 - 14));
  });
});
