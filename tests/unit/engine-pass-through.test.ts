/**
 * A machine of one track is compiled to step cheaper (`oneTrack` in
 * machine.ts): what entering a node does is done by the transitions into it,
 * a choice (or a decision's time running out) that leads to an inject due at
 * once passes through it in the same microstep, and each transition's context
 * changes are one `assign`. These hold it to the plain machine
 * (`compileScenario(s, { plain: true })`, as every recorded log was made) on
 * random walks of real scenarios, of the bench's looping one and of one with
 * every way into an inject: the same emitted events in the same order, the
 * same state value, context, active state nodes and status after every event,
 * restored snapshots included — and fewer microsteps.
 */
import { describe, expect, it } from 'vitest';
import { loopingDecisionScenario } from '../../bench/scenarios.ts';
import type { EngineEvent } from '../../src-main/core/engine/events.ts';
import { compileScenario, MINUTE_MS, type CompiledScenario, type TeamEvent, type TeamSnapshot } from '../../src-main/core/engine/machine.ts';
import { mulberry32 } from '../../src-main/core/engine/random.ts';
import { stepScope } from '../../src-main/core/engine/team.ts';
import { Scenario } from '../../src-main/core/scenario/schema.ts';
import { walkScenarios } from '../helpers/engine-walks.ts';
import { engineTestScenarioInput } from '../helpers/scenario.ts';

/**
 * Every way into an inject, and into a node's own state: a start that is a decision, a choice into
 * its own decision, choices and time running out into injects due at once and later (with effects),
 * looping back through an inject to the decision they came from, a branch and a random node between.
 */
function intoInjects(): Scenario {
  const base = engineTestScenarioInput();
  const roll = base.timeline.find((node) => node.type === 'random')!;
  return Scenario.parse({
    ...base,
    formatVersion: 1.1,
    meta: { ...base.meta, id: 'into-injects' },
    start: 'd0',
    timeline: [
      {
        type: 'decision',
        id: 'd0',
        title: 'First',
        prompt: 'Now?',
        timeLimitMinutes: 2,
        defaultOption: 'later',
        options: [
          { id: 'stay', label: 'Stay', next: 'd0' },
          { id: 'go', label: 'Go', recommended: true, consequences: { add: { lostGB: 1 } }, next: 'i1' },
          { id: 'later', label: 'Later', next: 'iLate' },
        ],
      },
      { type: 'inject', id: 'i1', title: 'Go', narrative: 'Going.', channel: 'chat', effects: { milestones: ['detected'], score: { 'srm:customer': 1 } }, next: 'd1' },
      {
        type: 'decision',
        id: 'd1',
        title: 'Again',
        prompt: 'Again?',
        timeLimitMinutes: 3,
        defaultOption: 'again',
        options: [
          { id: 'again', label: 'Again', next: 'i2' },
          { id: 'on', label: 'On', consequences: { milestones: ['contained'], objectives: ['obj1'] }, next: 'b1' },
        ],
      },
      { type: 'inject', id: 'i2', title: 'Round', narrative: 'Round.', channel: 'chat', next: 'd1' },
      { type: 'branch', id: 'b1', cases: [{ when: { var: 'lostGB', op: '>', value: 2 }, next: 'r1' }], otherwise: 'iLate' },
      // The engine test scenario's roll, its first outcome back through an inject, its second to the end.
      { ...roll, outcomes: roll.outcomes.map((outcome, k) => ({ ...outcome, next: k === 0 ? 'i2' : 'end' })) },
      { type: 'inject', id: 'iLate', at: 30, title: 'Late', narrative: 'Late.', channel: 'news', next: 'd1' },
      { type: 'end', id: 'end', title: 'End', outcome: 'Done.', result: 'success' },
    ],
  });
}

/**
 * What passing through injects meets on the way: a decision timing out into a chain of injects due at
 * once, with effects (variables, milestones, objectives, score) and a contingency counting from one of
 * them; a choice into an inject due a minute in (passed through only if the choice's own time is past
 * it); passing through into a branch, into a random node and into an end; and back to an earlier
 * decision.
 */
function throughChains(): Scenario {
  const base = engineTestScenarioInput();
  const roll = base.timeline.find((node) => node.type === 'random')!;
  return Scenario.parse({
    ...base,
    formatVersion: 1.1,
    meta: { ...base.meta, id: 'through-chains' },
    start: 'd0',
    variables: [...(base.variables ?? []), { id: 'flag', label: 'Flag', type: 'boolean', initial: false }],
    timeline: [
      {
        type: 'decision',
        id: 'd0',
        title: 'First',
        prompt: 'Now?',
        timeLimitMinutes: 5,
        defaultOption: 'chain',
        options: [
          { id: 'chain', label: 'Chain', next: 'iA' },
          { id: 'late', label: 'Late', consequences: { milestones: ['detected'] }, next: 'iLate' },
          { id: 'roll', label: 'Roll', when: { milestone: 'detected', reached: true }, next: 'iR' },
        ],
      },
      {
        type: 'inject',
        id: 'iA',
        title: 'A',
        narrative: 'A.',
        channel: 'chat',
        effects: { milestones: ['contained'], set: { flag: true }, score: { 'phase:containment': 1 } },
        next: 'iB',
      },
      { type: 'inject', id: 'iB', title: 'B', narrative: 'B.', channel: 'chat', effects: { add: { lostGB: 3 }, objectives: ['obj1'] }, next: 'iC' },
      { type: 'inject', id: 'iC', title: 'C', narrative: 'C.', channel: 'chat', next: 'd1' },
      {
        type: 'decision',
        id: 'd1',
        title: 'Again',
        prompt: 'Again?',
        timeLimitMinutes: 2,
        options: [
          { id: 'loop', label: 'Loop', consequences: { add: { lostGB: 1 } }, next: 'iLoop' },
          { id: 'end', label: 'End', next: 'iEnd' },
          { id: 'back', label: 'Back', next: 'iBack' },
        ],
      },
      { type: 'inject', id: 'iLoop', title: 'Loop', narrative: 'Loop.', channel: 'chat', next: 'd1' },
      { type: 'inject', id: 'iBack', title: 'Back', narrative: 'Back.', channel: 'chat', effects: { milestones: ['eradicated'] }, next: 'd0' },
      { type: 'inject', id: 'iLate', at: 1, title: 'Late', narrative: 'Late.', channel: 'news', next: 'bX' },
      { type: 'branch', id: 'bX', cases: [{ when: { var: 'flag', op: '==', value: true }, next: 'iEnd' }], otherwise: 'd1' },
      { type: 'inject', id: 'iR', title: 'Roll', narrative: 'Roll.', channel: 'chat', next: roll.id },
      // The engine test scenario's roll, its first outcome into the chain's last inject, its second towards the end.
      { ...roll, outcomes: roll.outcomes.map((outcome, k) => ({ ...outcome, next: k === 0 ? 'iC' : 'iEnd' })) },
      { type: 'inject', id: 'iEnd', title: 'Last', narrative: 'Last.', channel: 'chat', next: 'end' },
      { type: 'end', id: 'end', title: 'End', outcome: 'Done.', result: 'success' },
    ],
    contingencies: [
      ...(base.contingencies ?? []),
      {
        id: 'cAfter',
        when: { after: { inject: 'iA', minutes: 2 } },
        repeat: { cooldownMinutes: 1, max: 5 },
        title: 'After A',
        narrative: 'Two minutes after A.',
        channel: 'phone',
        effects: { add: { lostGB: 2 }, milestones: ['recovered'] },
      },
    ],
  });
}

const scenarios: Array<[string, Scenario]> = [
  ['looping decision (the bench)', Scenario.parse(loopingDecisionScenario())],
  ['every way into an inject', intoInjects()],
  ['chains of injects passed through', throughChains()],
  ...walkScenarios(4),
];

/**
 * The machine's raw events as TeamEngine sends them, at random times: one of every choice open, of
 * the facilitator's commands, or a TICK; a command carries the time it is taken at, none, or an earlier one.
 */
function nextEvent(compiled: CompiledScenario, snapshot: TeamSnapshot, now: number, rand: () => number): TeamEvent {
  const clock = rand() < 0.5 ? { now } : rand() < 0.5 ? {} : { now: Math.max(0, snapshot.context.now - MINUTE_MS) };
  const choices: TeamEvent[] = [];
  for (const position of Object.values(snapshot.context.positions)) {
    const node = position.openDecision ? compiled.nodeById.get(position.openDecision.id) : undefined;
    if (node?.type === 'decision') for (const option of node.options) choices.push({ type: 'CHOOSE', decisionId: node.id, optionId: option.id, ...clock });
  }
  const marks: TeamEvent[] = compiled.scenario.milestones.map((m) => ({ type: 'MARK_MILESTONE', milestoneId: m.id, ...clock }));
  const firings: TeamEvent[] = compiled.scenario.contingencies.map((c) => ({ type: 'FIRE_CONTINGENCY', contingencyId: c.id, ...clock }));
  const roll = rand();
  const from = roll < 0.6 && choices.length > 0 ? choices : roll < 0.7 && marks.length > 0 ? marks : roll < 0.75 && firings.length > 0 ? firings : [];
  return from[Math.floor(rand() * from.length)] ?? { type: 'TICK', now };
}

/** The snapshot with its own copy of the path (appended in place as the machine steps). */
const withOwnPath = (snapshot: TeamSnapshot): TeamSnapshot => Object.assign({}, snapshot, { context: { ...snapshot.context, path: [...snapshot.context.path] } });

/** All that a step leaves that anything reads: value, context, status, and the active state nodes in their order (the order simultaneous events of parallel tracks come out in). */
const seen = (snapshot: TeamSnapshot) => ({ value: snapshot.value, context: snapshot.context, status: snapshot.status, nodes: snapshot._nodes.map((n) => n.id) });

/** One machine stepped as TeamEngine steps it, and what it emitted. */
function stepper(compiled: CompiledScenario, input: { teamId: string; seed: string }) {
  const emitted: EngineEvent[] = [];
  const scope = stepScope(compiled.machine, (event) => emitted.push(event));
  let snapshot = compiled.machine.getInitialSnapshot(scope, input);
  return {
    get snapshot() {
      return snapshot;
    },
    take: () => emitted.splice(0),
    step(event: TeamEvent) {
      snapshot = compiled.machine.transition(snapshot, event, scope);
    },
    restore(earlier: TeamSnapshot) {
      snapshot = compiled.machine.restoreSnapshot(withOwnPath(earlier), scope);
    },
    /** How many microsteps the event takes from here (on a copy: the path is appended in place). */
    microsteps(event: TeamEvent): number {
      return compiled.machine.microstep(
        withOwnPath(snapshot),
        event,
        stepScope(compiled.machine, () => undefined),
      ).length;
    },
  };
}

describe('the machine of one track, compiled to step cheaper', () => {
  for (const [name, scenario] of scenarios) {
    it(`leaves what the plain machine leaves, step for step: ${name}`, () => {
      const fused = compileScenario(scenario);
      const plain = compileScenario(scenario, { plain: true });
      const microsteps = { fused: 0, plain: 0 };
      let events = 0;
      for (let seed = 1; seed <= 20; seed++) {
        const rand = mulberry32(seed); // seeded: a failing walk can be replayed
        const input = { teamId: 'team', seed: `seed-${seed}` };
        const a = stepper(fused, input);
        const b = stepper(plain, input);
        expect(a.take()).toEqual(b.take());
        expect(seen(a.snapshot)).toEqual(seen(b.snapshot));
        let now = 0;
        const history: TeamSnapshot[] = [];
        for (let step = 0; step < 60 && a.snapshot.context.ended === null; step++) {
          if (rand() < 0.1 && history.length > 0) {
            // Restored, as undo restores the snapshot from before a command (the path put back as undo does).
            const earlier = history[Math.floor(rand() * history.length)]!;
            a.restore(earlier);
            b.restore(earlier);
            expect(seen(a.snapshot)).toEqual(seen(b.snapshot));
          }
          now += rand() < 0.4 ? 0 : Math.floor(rand() * 6 * MINUTE_MS);
          const event = nextEvent(plain, b.snapshot, now, rand);
          if (event.type === 'CHOOSE') {
            microsteps.fused += a.microsteps(event);
            microsteps.plain += b.microsteps(event);
          }
          history.push(withOwnPath(b.snapshot));
          a.step(event);
          b.step(event);
          const got = a.take();
          expect(got).toEqual(b.take());
          expect(seen(a.snapshot)).toEqual(seen(b.snapshot));
          events += got.length;
        }
      }
      expect(events).toBeGreaterThan(50);
      // Machines of one track whose choices lead to injects take fewer microsteps; those with parallel tracks, the same.
      const passes =
        !compileScenario(scenario).layout.declared && scenario.timeline.some((n) => n.type === 'decision' && n.options.some((o) => plain.nodeById.get(o.next)?.type === 'inject'));
      if (passes) expect(microsteps.fused).toBeLessThan(microsteps.plain);
      else expect(microsteps.fused).toBe(microsteps.plain);
    });
  }
});

describe('passing through an inject, at the edge of its time', () => {
  /** The events sent to both machines, compared after each; how many microsteps each machine took for the last one. */
  function lastStep(scenario: Scenario, events: TeamEvent[]): { fused: number; plain: number; emitted: EngineEvent[]; value: unknown } {
    const fused = compileScenario(scenario);
    const plain = compileScenario(scenario, { plain: true });
    const input = { teamId: 'team', seed: 'edge' };
    const a = stepper(fused, input);
    const b = stepper(plain, input);
    let last = { fused: 0, plain: 0, emitted: [] as EngineEvent[], value: undefined as unknown };
    for (const event of events) {
      a.take();
      b.take();
      last = { fused: a.microsteps(event), plain: b.microsteps(event), emitted: [], value: undefined };
      a.step(event);
      b.step(event);
      const emitted = a.take();
      expect(emitted).toEqual(b.take());
      expect(seen(a.snapshot)).toEqual(seen(b.snapshot));
      last.emitted = emitted;
      last.value = a.snapshot.value;
    }
    return last;
  }
  const delivered = (emitted: EngineEvent[], nodeId: string) => emitted.some((e) => e.type === 'inject.delivered' && e.payload.nodeId === nodeId);

  it('a choice passes through only once its own time has reached the inject', () => {
    const scenario = throughChains(); // d0's option `late` leads to iLate, due at minute 1
    const early = lastStep(scenario, [{ type: 'CHOOSE', decisionId: 'd0', optionId: 'late', now: MINUTE_MS - 1 }]);
    expect(delivered(early.emitted, 'iLate')).toBe(false);
    expect(early.fused).toBe(early.plain);
    const due = lastStep(scenario, [{ type: 'CHOOSE', decisionId: 'd0', optionId: 'late', now: MINUTE_MS }]);
    expect(delivered(due.emitted, 'iLate')).toBe(true);
    expect(due.fused).toBeLessThan(due.plain);
    // Without a time of its own, the choice is judged on the team's clock.
    const ticked = lastStep(scenario, [
      { type: 'TICK', now: MINUTE_MS },
      { type: 'CHOOSE', decisionId: 'd0', optionId: 'late' },
    ]);
    expect(delivered(ticked.emitted, 'iLate')).toBe(true);
    expect(ticked.fused).toBeLessThan(ticked.plain);
  });

  it("a decision's time running out passes through only an inject due by then", () => {
    const scenario = intoInjects(); // d0 times out after 2 minutes into iLate, due at minute 30
    const early = lastStep(scenario, [{ type: 'TICK', now: 30 * MINUTE_MS - 1 }]);
    expect(early.emitted.map((e) => e.type)).toContain('decision.timedOut');
    expect(delivered(early.emitted, 'iLate')).toBe(false);
    expect(early.fused).toBe(early.plain);
    const due = lastStep(scenario, [{ type: 'TICK', now: 30 * MINUTE_MS }]);
    expect(due.emitted.map((e) => e.type)).toContain('decision.timedOut');
    expect(delivered(due.emitted, 'iLate')).toBe(true);
    expect(due.fused).toBeLessThan(due.plain);
    // In the one TICK: the contingency due at minute 25, the time out, iLate, then d1 opened.
    expect(due.emitted.map((e) => e.type)).toEqual(['contingency.fired', 'decision.timedOut', 'inject.delivered', 'decision.opened']);
  });
});
