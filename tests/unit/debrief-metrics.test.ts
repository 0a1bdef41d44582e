/**
 * Every debrief metric against the hand-built log of tests/helpers/debrief-log.ts
 * (`handBuiltLog`), whose answers are worked out in its comment.
 */
import { describe, expect, it } from 'vitest';
import { computeDebrief, DebriefError } from '../../src-main/core/debrief/compute.ts';
import { DebriefSchema, type Debrief } from '../../src-main/core/debrief/model.ts';
import { debriefScenario, handBuiltLog, LogBuilder, MIN, S, sessionConfig, W } from '../helpers/debrief-log.ts';

const scenario = debriefScenario();

const { events, decidedA } = handBuiltLog();
const debrief: Debrief = computeDebrief(scenario, events);
const alpha = debrief.teams.find((t) => t.id === 'A')!;
const bravo = debrief.teams.find((t) => t.id === 'B')!;

describe('computeDebrief on a hand-built log', () => {
  it('produces a debrief that matches its schema', () => {
    expect(DebriefSchema.safeParse(debrief).success).toBe(true);
  });

  it('summarises the session: status, durations in scenario, elapsed and active wall time', () => {
    expect(debrief.session).toMatchObject({
      id: 's1',
      name: 'Drill',
      sensitivity: 'TLP:AMBER',
      scenarioTitle: 'Engine test',
      status: 'ended',
      createdTimestamp: W,
      startedTimestamp: S,
      endedTimestamp: S + 29 * MIN,
      endReason: 'Time is up',
      durationScenarioMs: 34 * MIN,
      elapsedWallMs: 29 * MIN,
      activeWallMs: 19 * MIN,
      eventCount: events.length,
      lastSeq: events.length,
      lastHash: `h${events.length}`,
    });
  });

  it('counts pauses and their wall time, and records speed changes and jumps', () => {
    expect(debrief.clock.pauses).toEqual({
      count: 1,
      totalWallMs: 10 * MIN,
      items: [{ scenarioMs: 5 * MIN, wallMs: 5 * MIN, fromTimestamp: S + 5 * MIN, toTimestamp: S + 15 * MIN, wallDurationMs: 10 * MIN }],
    });
    expect(debrief.clock.initialSpeed).toBe(1);
    expect(debrief.clock.speedChanges).toEqual([{ scenarioMs: 13 * MIN, wallMs: 13 * MIN, timestamp: S + 23 * MIN, from: 1, to: 2 }]);
    expect(debrief.clock.jumps).toEqual([{ fromScenarioMs: 21 * MIN, toScenarioMs: 30 * MIN, wallMs: 17 * MIN, timestamp: S + 27 * MIN }]);
  });

  it('times milestones in scenario time and in active wall time, against the session targets', () => {
    expect(alpha.milestones.detected).toEqual({
      id: 'detected',
      label: 'Detected',
      scenarioMs: 12 * MIN,
      wallMs: 12 * MIN,
      timestamp: S + 22 * MIN,
      targetMs: 10 * MIN,
      met: false,
      deltaMs: 2 * MIN,
      source: 'choice',
      via: { kind: 'decision', nodeId: 'd1', optionId: 'now', seq: decidedA },
    });
    // The session's target (20 min) overrides the scenario's (30 min).
    expect(alpha.milestones.contained).toMatchObject({ scenarioMs: 12 * MIN, targetMs: 20 * MIN, met: true, deltaMs: -8 * MIN });
    // Marked by hand after the jump, at 2× speed: scenario 32 min, 18 min of play.
    expect(alpha.milestones.eradicated).toMatchObject({ scenarioMs: 32 * MIN, wallMs: 18 * MIN, met: true, deltaMs: -13 * MIN, source: 'facilitator', via: null });
    expect(alpha.milestones.recovered).toMatchObject({ scenarioMs: null, wallMs: null, met: false, deltaMs: null, source: null });
    expect(Object.keys(alpha.milestones)).toEqual(['detected', 'contained', 'eradicated', 'recovered']);
    // Bravo's milestones came with the time-out at scenario 15 min, due at S+24 min at 2× speed: 14 min of play.
    expect(bravo.milestones.detected).toMatchObject({ scenarioMs: 15 * MIN, wallMs: 14 * MIN, timestamp: S + 24 * MIN, met: false, deltaMs: 5 * MIN });
    expect(bravo.milestones.detected!.via).toMatchObject({ kind: 'decision', nodeId: 'd1', optionId: 'now' });
  });

  it('gives the times to detect, contain, eradicate and recover', () => {
    expect(alpha.timeTo).toEqual({
      detect: { scenarioMs: 12 * MIN, wallMs: 12 * MIN },
      contain: { scenarioMs: 12 * MIN, wallMs: 12 * MIN },
      eradicate: { scenarioMs: 32 * MIN, wallMs: 18 * MIN },
      recover: null,
    });
    expect(bravo.timeTo.contain).toEqual({ scenarioMs: 15 * MIN, wallMs: 14 * MIN });
  });

  it('measures decision latency from opening to decision, placing late-stamped engine events at their due time', () => {
    const [d] = alpha.decisions;
    expect(d).toMatchObject({
      decisionId: 'd1',
      title: 'Contain?',
      visit: 1,
      status: 'decided',
      injectId: 'i2',
      injectTitle: 'Finding',
      // Stamped 2 s late by the runner; it opened when scenario time reached 10 min.
      openedScenarioMs: 10 * MIN,
      openedWallMs: 10 * MIN,
      openedTimestamp: S + 20 * MIN,
      decidedScenarioMs: 12 * MIN,
      decidedWallMs: 12 * MIN,
      decidedTimestamp: S + 22 * MIN,
      latencyScenarioMs: 2 * MIN,
      latencyWallMs: 2 * MIN,
    });
    const [b] = bravo.decisions;
    expect(b).toMatchObject({ status: 'timedOut', decidedScenarioMs: 15 * MIN, decidedWallMs: 14 * MIN, latencyScenarioMs: 5 * MIN, latencyWallMs: 4 * MIN });
  });

  it('lists what was decided, by whom and why, against the recommendation, and what it led to', () => {
    expect(alpha.decisions[0]).toMatchObject({
      options: [
        { id: 'now', label: 'Contain now', recommended: true },
        { id: 'wait', label: 'Watch longer', recommended: false },
      ],
      optionId: 'now',
      optionLabel: 'Contain now',
      rationale: 'Contain first',
      decidedBy: 'Kim Lee',
      recommended: [{ optionId: 'now', label: 'Contain now', rationale: 'Reversible and fast.' }],
      matchedRecommendation: true,
      outcome: 'Key disabled.',
      ledTo: {
        nodeId: 'i3good',
        type: 'inject',
        title: 'Quiet',
        via: [
          { nodeId: 'r1', kind: 'random', title: 'Does the attacker notice?', result: 'Noticed' },
          { nodeId: 'b1', kind: 'branch', title: 'b1', result: 'Quiet' },
        ],
      },
      milestonesReached: ['detected', 'contained'],
      objectivesDemonstrated: ['obj1'],
      score: { 'srm:customer': 2, 'phase:containment': 1, 'WAF-2024-06-27:SEC02-BP05': 2 },
    });
    expect(bravo.decisions[0]).toMatchObject({ rationale: '', decidedBy: '', optionId: 'now', matchedRecommendation: true, milestonesReached: ['detected', 'contained'] });
    expect(bravo.decisions[0]!.ledTo!.via[0]).toMatchObject({ result: 'Unnoticed' });
  });

  it('scores by best practice, principle, responsibility side and phase, with the maxima', () => {
    expect(alpha.score.byTag).toEqual({ 'srm:customer': 2, 'phase:containment': 1, 'WAF-2024-06-27:SEC02-BP05': 2, 'principle:traceability': 1 });
    expect(alpha.score.bestPractice).toEqual({
      points: 2,
      max: 2,
      available: 2,
      lines: [{ key: 'WAF-2024-06-27:SEC02-BP05', label: 'SEC02-BP05 Audit and rotate credentials periodically', points: 2, max: 2, available: 2 }],
    });
    expect(alpha.score.principle).toEqual({ points: 1, max: 1, available: 1, lines: [{ key: 'traceability', label: 'Maintain traceability', points: 1, max: 1, available: 1 }] });
    expect(alpha.score.responsibility).toEqual({
      points: 2,
      max: 2,
      available: 2,
      lines: [{ key: 'customer', label: 'Customer (security in the cloud)', points: 2, max: 2, available: 2 }],
    });
    expect(alpha.score.phase).toEqual({ points: 1, max: 1, available: 1, lines: [{ key: 'containment', label: 'Containment', points: 1, max: 1, available: 1 }] });
    // Bravo rolled "unnoticed": no traceability point.
    expect(bravo.score.principle).toMatchObject({ points: 0, max: 1 });
  });

  it("rates objectives by the team's latest HSEEP rating, session-wide observations included", () => {
    const [a] = alpha.objectives;
    expect(a).toMatchObject({ id: 'obj1', capability: 'Operational coordination', rating: 'P', demonstratedScenarioMs: 12 * MIN, demonstratedWallMs: 12 * MIN });
    expect(a!.observations.map((o) => [o.teamId, o.rating, o.text])).toEqual([
      [null, 'U', 'Nobody owned the call'],
      ['A', 'S', 'Slow start'],
      ['A', 'P', 'Recovered well'],
    ]);
    expect(a!.observations[2]).toMatchObject({ scenarioMs: 17 * MIN, wallMs: 15 * MIN, timestamp: S + 25 * MIN, author: 'Ana', objectiveId: 'obj1' });
    expect(bravo.objectives[0]).toMatchObject({ rating: 'U', demonstratedScenarioMs: 15 * MIN });
    expect(alpha.notes.map((n) => n.text)).toEqual(['Asked good questions']);
    // A note written during setup: scenario 0, active wall 0, its own timestamp.
    expect(debrief.notes).toEqual([{ seq: 2, teamId: null, objectiveId: null, scenarioMs: 0, wallMs: 0, timestamp: W + 30_000, text: 'Room set up', rating: null, author: 'Ana' }]);
  });

  it('lists contingencies with how and when they fired', () => {
    expect(alpha.contingencies).toEqual([
      {
        id: 'c1',
        title: 'The CISO calls',
        manual: true,
        scenarioMs: 17 * MIN,
        wallMs: 15 * MIN,
        timestamp: S + 25 * MIN,
        condition: { kind: 'milestone', id: 'contained', byMs: 25 * MIN },
      },
    ]);
    expect(bravo.contingencies).toEqual([]);
  });

  it('records how each team ended', () => {
    expect(alpha.ended).toEqual({ nodeId: 'endGood', title: 'Contained', result: 'success', scenarioMs: 30 * MIN, wallMs: 17 * MIN });
  });

  it('lays out a timeline on the scenario-time axis: phase bands, pauses, jumps, injects, decisions, milestones, contingencies, end', () => {
    expect(alpha.timeline).toEqual([
      { kind: 'phase', phase: 'detection', label: 'Detection', fromMs: 0, toMs: 10 * MIN },
      { kind: 'inject', id: 'i1', title: 'Alert', atMs: 0, phase: 'detection' },
      { kind: 'pause', atMs: 5 * MIN, wallDurationMs: 10 * MIN },
      { kind: 'phase', phase: 'analysis', label: 'Analysis', fromMs: 10 * MIN, toMs: 30 * MIN },
      { kind: 'inject', id: 'i2', title: 'Finding', atMs: 10 * MIN, phase: 'analysis' },
      { kind: 'decision', id: 'd1', title: 'Contain?', fromMs: 10 * MIN, toMs: 12 * MIN, status: 'decided', optionLabel: 'Contain now' },
      { kind: 'milestone', id: 'detected', label: 'Detected', atMs: 12 * MIN, targetMs: 10 * MIN, met: false },
      { kind: 'milestone', id: 'contained', label: 'Contained', atMs: 12 * MIN, targetMs: 20 * MIN, met: true },
      { kind: 'contingency', id: 'c1', title: 'The CISO calls', atMs: 17 * MIN, manual: true },
      { kind: 'jump', fromMs: 21 * MIN, toMs: 30 * MIN },
      { kind: 'phase', phase: 'recovery', label: 'Recovery', fromMs: 30 * MIN, toMs: 30 * MIN },
      { kind: 'inject', id: 'i3good', title: 'Quiet', atMs: 30 * MIN, phase: 'recovery' },
      { kind: 'end', id: 'endGood', title: 'Contained', result: 'success', atMs: 30 * MIN },
      { kind: 'milestone', id: 'eradicated', label: 'Eradicated', atMs: 32 * MIN, targetMs: 45 * MIN, met: true },
    ]);
  });

  it('compares the teams side by side', () => {
    const detected = debrief.comparison.milestones.find((m) => m.id === 'detected')!;
    expect(detected).toEqual({
      id: 'detected',
      label: 'Detected',
      targetMs: 10 * MIN,
      teams: [
        { teamId: 'A', scenarioMs: 12 * MIN, wallMs: 12 * MIN, met: false },
        { teamId: 'B', scenarioMs: 15 * MIN, wallMs: 14 * MIN, met: false },
      ],
      fastestTeamIds: ['A'],
    });
    const metric = (key: string) => debrief.comparison.metrics.find((m) => m.key === key)!;
    expect(metric('milestonesMet')).toMatchObject({
      values: [
        { teamId: 'A', value: 2 },
        { teamId: 'B', value: 1 },
      ],
      bestTeamIds: ['A'],
    });
    expect(metric('timedOut')).toMatchObject({
      values: [
        { teamId: 'A', value: 0 },
        { teamId: 'B', value: 1 },
      ],
      bestTeamIds: ['A'],
    });
    expect(metric('meanLatencyScenario').values).toEqual([
      { teamId: 'A', value: 2 * MIN },
      { teamId: 'B', value: 5 * MIN },
    ]);
    expect(metric('meanLatencyWall').values).toEqual([
      { teamId: 'A', value: 2 * MIN },
      { teamId: 'B', value: 4 * MIN },
    ]);
    expect(metric('contingencies')).toMatchObject({ bestTeamIds: ['B'] });
    expect(metric('score.principle')).toMatchObject({
      values: [
        { teamId: 'A', value: 1 },
        { teamId: 'B', value: 0 },
      ],
      bestTeamIds: ['A'],
    });
    expect(metric('recommendedChoices')).toMatchObject({ bestTeamIds: ['A', 'B'] });
  });

  it('is a pure function of the scenario and the log', () => {
    expect(computeDebrief(scenario, handBuiltLog().events)).toEqual(debrief);
  });
});

describe('computeDebrief on unfinished sessions', () => {
  it('reports a session that is still paused: the open pause counts up to the last event, the open decision has no answer', () => {
    const log = new LogBuilder();
    log.add({ type: 'session.created', payload: sessionConfig({ teams: [{ id: 'A', name: 'Alpha', participants: [] }] }) }, { wall: W, scen: 0 });
    log.add({ type: 'session.started', payload: {} }, { wall: S, scen: 0 });
    log.add({ type: 'inject.delivered', payload: { nodeId: 'i1' } }, { wall: S, scen: 0, team: 'A' });
    log.add({ type: 'inject.delivered', payload: { nodeId: 'i2' } }, { wall: S + 10 * MIN, scen: 10 * MIN, team: 'A' });
    log.add({ type: 'decision.opened', payload: { nodeId: 'd1' } }, { wall: S + 10 * MIN, scen: 10 * MIN, team: 'A' });
    log.add({ type: 'clock.paused', payload: {} }, { wall: S + 12 * MIN, scen: 12 * MIN });
    log.add({ type: 'note.added', payload: { text: 'Coffee' } }, { wall: S + 20 * MIN, scen: 12 * MIN });
    const d = computeDebrief(scenario, log.events);
    expect(d.session).toMatchObject({ status: 'paused', endedTimestamp: null, elapsedWallMs: 20 * MIN, activeWallMs: 12 * MIN, durationScenarioMs: 12 * MIN });
    expect(d.clock.pauses).toMatchObject({ count: 1, totalWallMs: 8 * MIN, items: [{ toTimestamp: null, wallDurationMs: 8 * MIN }] });
    expect(d.notes[0]).toMatchObject({ wallMs: 12 * MIN });
    expect(d.teams[0]!.decisions[0]).toMatchObject({
      status: 'open',
      decidedScenarioMs: null,
      latencyScenarioMs: null,
      latencyWallMs: null,
      optionId: null,
      matchedRecommendation: null,
      ledTo: null,
    });
    // The analysis band runs to the last scenario time seen.
    expect(d.teams[0]!.timeline.filter((i) => i.kind === 'phase').at(-1)).toMatchObject({ phase: 'analysis', toMs: 12 * MIN });
    expect(d.comparison.metrics.find((m) => m.key === 'meanLatencyScenario')!.values).toEqual([{ teamId: 'A', value: null }]);
  });

  it('reports a session still in setup', () => {
    const log = new LogBuilder();
    log.add({ type: 'session.created', payload: sessionConfig() }, { wall: W, scen: 0 });
    const d = computeDebrief(scenario, log.events);
    expect(d.session).toMatchObject({ status: 'setup', startedTimestamp: null, elapsedWallMs: 0, activeWallMs: 0, durationScenarioMs: 0 });
    expect(d.teams.map((t) => t.timeTo)).toEqual([
      { detect: null, contain: null, eradicate: null, recover: null },
      { detect: null, contain: null, eradicate: null, recover: null },
    ]);
    expect(d.comparison.milestones[0]!.fastestTeamIds).toEqual([]);
  });

  it('counts a decision reached twice as two visits', () => {
    const log = new LogBuilder();
    log.add({ type: 'session.created', payload: sessionConfig({ speed: 0, teams: [{ id: 'A', name: 'Alpha', participants: [] }] }) }, { wall: W, scen: 0 });
    log.add({ type: 'session.started', payload: {} }, { wall: S, scen: 0 });
    for (const visit of [0, 1]) {
      log.add({ type: 'decision.opened', payload: { nodeId: 'd1' } }, { wall: S + visit * MIN, scen: 0, team: 'A' });
      log.add({ type: 'decision.recorded', payload: { decisionId: 'd1', optionId: 'wait', rationale: '', decidedBy: '' } }, { wall: S + visit * MIN + 30_000, scen: 0, team: 'A' });
    }
    const d = computeDebrief(scenario, log.events);
    // Manual clock (speed 0): scenario time stands still, the wall clock does not.
    expect(d.teams[0]!.decisions.map((x) => [x.visit, x.latencyScenarioMs, x.latencyWallMs, x.matchedRecommendation])).toEqual([
      [1, 0, 30_000, false],
      [2, 0, 30_000, false],
    ]);
    expect(d.teams[0]!.score.responsibility.points).toBe(-2);
    expect(d.teams[0]!.score.phase.lines).toEqual([{ key: 'containment', label: 'Containment', points: -2, max: 1, available: 1 }]);
  });

  it('refuses a log that does not begin with session.created', () => {
    expect(() => computeDebrief(scenario, [])).toThrow(DebriefError);
    const log = new LogBuilder();
    log.add({ type: 'session.started', payload: {} }, { wall: S, scen: 0 });
    expect(() => computeDebrief(scenario, log.events)).toThrow(/session\.created/);
  });
});
