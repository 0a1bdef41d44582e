/**
 * Hand-built event logs for debrief tests: every event's scenario and wall
 * time is written out, so each metric has an answer that can be worked out
 * on paper.
 */
import type { LogBody, LogEvent, SessionConfig } from '../../src-main/core/engine/events.ts';
import type { Scenario } from '../../src-main/core/scenario/schema.ts';
import { engineTestScenario } from './scenario.ts';

export const MIN = 60_000;

export function sessionConfig(overrides: Partial<SessionConfig> = {}): SessionConfig {
  return {
    name: 'Drill',
    facilitator: 'Ana',
    sensitivity: 'TLP:AMBER',
    scenarioId: 'engine-test',
    scenarioVersion: '1.0.0',
    scenarioSha256: '',
    seed: 'seed',
    speed: 1,
    teams: [
      { id: 'A', name: 'Alpha', participants: [{ name: 'Kim Lee', role: 'IC' }, { name: 'Sam Roe' }] },
      { id: 'B', name: 'Bravo', participants: [] },
    ],
    milestoneTargets: { detected: 10 * MIN, contained: 20 * MIN, eradicated: 45 * MIN, recovered: 55 * MIN },
    ...overrides,
  };
}

/** Appends events with consecutive seq numbers; hashes are placeholders ("h<seq>"). */
export class LogBuilder {
  readonly events: LogEvent[] = [];

  constructor(readonly sessionId = 's1') {}

  add(body: LogBody, at: { wall: number; scen: number; team?: string | null; origin?: 'command' | 'engine' }): LogEvent {
    const seq = this.events.length + 1;
    const origin = at.origin ?? (isEngine(body.type) ? 'engine' : 'command');
    const event = {
      ...body,
      sessionId: this.sessionId,
      seq,
      teamId: at.team ?? null,
      origin,
      scenarioMs: at.scen,
      wallMs: at.wall,
      prevHash: seq === 1 ? '0'.repeat(64) : `h${seq - 1}`,
      hash: `h${seq}`,
    };
    this.events.push(event);
    return event;
  }

  /** The same engine event for several teams. */
  each(teams: string[], body: LogBody, at: { wall: number; scen: number }): void {
    for (const team of teams) this.add(body, { ...at, team });
  }
}

const ENGINE = new Set([
  'inject.delivered',
  'decision.opened',
  'decision.timedOut',
  'branch.taken',
  'random.rolled',
  'milestone.reached',
  'objective.demonstrated',
  'contingency.fired',
  'team.ended',
]);

function isEngine(type: string): boolean {
  return ENGINE.has(type);
}

/**
 * The engine-test scenario with what a debrief reads: phase tags on the
 * injects (in three vocabularies), scores on options and on a random outcome,
 * an outcome and a rationale on the recommended option, and a preventedBy.
 *
 * Maxima over its paths: srm:customer 2, phase containment 1 (options score
 * 1 and -1, the latter through a NIST alias), SEC02-BP05 2, traceability 1.
 */
export function debriefScenario(): Scenario {
  return engineTestScenario((s) => {
    const node = (id: string) => s.timeline.find((n) => n.id === id)! as any;
    node('i1').tags = ['phase:identification'];
    node('i2').tags = ['phase:analysis'];
    node('i3good').tags = ['phase:recovery'];
    node('i3bad').tags = ['phase:recovery'];
    const [now, wait] = node('d1').options;
    Object.assign(now, {
      outcome: 'Key disabled.',
      rationale: 'Reversible and fast.',
      consequences: { ...now.consequences, score: { 'srm:customer': 2, 'phase:containment': 1, 'WAF-2024-06-27:SEC02-BP05': 2 } },
    });
    wait.consequences = { ...wait.consequences, score: { 'srm:customer': -1, 'phase:containment-eradication-recovery': -1 } };
    node('r1').outcomes[0].consequences = { add: { lostGB: 5 }, score: { 'principle:traceability': 1 } };
    s.objectives[0]!.capability = 'Operational coordination';
    s.objectives[0]!.tags = ['phase:containment', 'WAF-2024-06-27:SEC02-BP05'];
    s.guide.debrief.preventedBy = [{ tag: 'WAF-2024-06-27:SEC02-BP05', how: 'Rotate keys so a leaked one dies young.' }];
  });
}

/** Wall time the session was created, and started. */
export const W = 1_700_000_000_000;
export const S = W + MIN;

/**
 * A two-team session with a pause, a speed change, a time-out, a manual
 * contingency, ratings, a jump and a milestone marked by hand. S is the
 * start; the clock pauses from S+5 to S+15 min, runs at 2× from S+23 min,
 * and jumps from scenario 21 to 30 min at S+27 min.
 *
 *   wall (min after S)  scenario (min)  active wall (min)
 *   0                   0               0      start; both teams get i1
 *   5 .. 15             5               5      paused 10 min
 *   20 (+2 s stamped)   10              10     i2 and d1 for both teams
 *   22                  12              12     Alpha decides "now" (Kim Lee)
 *   23                  13              13     speed 1 → 2
 *   24 (+0.5 s stamped) 15              14     Bravo's d1 times out
 *   25                  17              15     Alpha: manual contingency; notes
 *   27                  21 → 30         17     jump; both teams get i3good, end
 *   28                  32              18     Alpha's eradicated marked by hand
 *   29                  34              19     session ends
 */
export function handBuiltLog(): { events: LogEvent[]; decidedA: number } {
  const log = new LogBuilder();
  const at = (wallMin: number, scenMin: number, team: string | null = null, extraMs = 0) => ({ wall: S + wallMin * MIN + extraMs, scen: scenMin * MIN, team });
  log.add({ type: 'session.created', payload: sessionConfig() }, { wall: W, scen: 0 });
  log.add({ type: 'note.added', payload: { text: 'Room set up', author: 'Ana' } }, { wall: W + 30_000, scen: 0 });
  log.add({ type: 'session.started', payload: {} }, at(0, 0));
  log.each(['A', 'B'], { type: 'inject.delivered', payload: { nodeId: 'i1' } }, at(0, 0));
  log.add({ type: 'clock.paused', payload: {} }, at(5, 5));
  log.add({ type: 'clock.resumed', payload: {} }, at(15, 5));
  for (const team of ['A', 'B']) {
    log.add({ type: 'inject.delivered', payload: { nodeId: 'i2' } }, at(20, 10, team, 2_000));
    log.add({ type: 'decision.opened', payload: { nodeId: 'd1' } }, at(20, 10, team, 2_000));
  }
  log.add({ type: 'decision.recorded', payload: { decisionId: 'd1', optionId: 'now', rationale: 'Contain first', decidedBy: 'Kim Lee' } }, at(22, 12, 'A'));
  const decidedA = log.events.at(-1)!.seq;
  log.add({ type: 'milestone.reached', payload: { milestoneId: 'detected', source: 'choice' } }, at(22, 12, 'A'));
  log.add({ type: 'milestone.reached', payload: { milestoneId: 'contained', source: 'choice' } }, at(22, 12, 'A'));
  log.add({ type: 'objective.demonstrated', payload: { objectiveId: 'obj1' } }, at(22, 12, 'A'));
  log.add({ type: 'random.rolled', payload: { nodeId: 'r1', outcomeId: 'noticed' } }, at(22, 12, 'A'));
  log.add({ type: 'branch.taken', payload: { nodeId: 'b1', next: 'i3good' } }, at(22, 12, 'A'));
  log.add({ type: 'clock.speedChanged', payload: { speed: 2 } }, at(23, 13));
  log.add({ type: 'decision.timedOut', payload: { decisionId: 'd1', optionId: 'now' } }, at(24, 15, 'B', 500));
  log.add({ type: 'milestone.reached', payload: { milestoneId: 'detected', source: 'choice' } }, at(24, 15, 'B', 500));
  log.add({ type: 'milestone.reached', payload: { milestoneId: 'contained', source: 'choice' } }, at(24, 15, 'B', 500));
  log.add({ type: 'objective.demonstrated', payload: { objectiveId: 'obj1' } }, at(24, 15, 'B', 500));
  log.add({ type: 'random.rolled', payload: { nodeId: 'r1', outcomeId: 'unnoticed' } }, at(24, 15, 'B', 500));
  log.add({ type: 'branch.taken', payload: { nodeId: 'b1', next: 'i3good' } }, at(24, 15, 'B', 500));
  log.add({ type: 'contingency.triggered', payload: { contingencyId: 'c1' } }, at(25, 17, 'A'));
  log.add({ type: 'contingency.fired', payload: { contingencyId: 'c1', manual: true } }, at(25, 17, 'A'));
  log.add({ type: 'note.added', payload: { text: 'Nobody owned the call', objectiveId: 'obj1', rating: 'U', author: 'Ana' } }, at(25, 17));
  log.add({ type: 'note.added', payload: { text: 'Slow start', objectiveId: 'obj1', rating: 'S', author: 'Ana' } }, at(25, 17, 'A'));
  log.add({ type: 'note.added', payload: { text: 'Recovered well', objectiveId: 'obj1', rating: 'P', author: 'Ana' } }, at(25, 17, 'A'));
  log.add({ type: 'note.added', payload: { text: 'Asked good questions' } }, at(25, 17, 'A'));
  log.add({ type: 'clock.jumped', payload: { toScenarioMs: 30 * MIN } }, at(27, 30));
  for (const team of ['A', 'B']) {
    log.add({ type: 'inject.delivered', payload: { nodeId: 'i3good' } }, at(27, 30, team));
    log.add({ type: 'team.ended', payload: { nodeId: 'endGood', result: 'success' } }, at(27, 30, team));
  }
  log.add({ type: 'milestone.marked', payload: { milestoneId: 'eradicated' } }, at(28, 32, 'A'));
  log.add({ type: 'milestone.reached', payload: { milestoneId: 'eradicated', source: 'facilitator' } }, at(28, 32, 'A'));
  log.add({ type: 'session.ended', payload: { reason: 'Time is up' } }, at(29, 34));
  return { events: log.events, decidedA };
}
