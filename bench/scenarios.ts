import type { SessionConfig } from '../src-main/core/engine/events.ts';
import { SessionEngine } from '../src-main/core/engine/session.ts';
import { Scenario, type ScenarioInput } from '../src-main/core/scenario/schema.ts';
import type { Store } from '../src-main/store/store.ts';
import { engineTestScenarioInput } from '../tests/helpers/scenario.ts';

/** A scenario with `size` timeline nodes: a long chain of injects and decisions that rejoin. */
export function generatedScenario(size: number): ScenarioInput {
  const base = engineTestScenarioInput();
  const timeline: ScenarioInput['timeline'] = [];
  const count = size - 1;
  for (let i = 0; i < count; i++) {
    const next = i + 1 < count ? `n${i + 1}` : 'end';
    if (i % 4 === 3) {
      timeline.push({
        type: 'decision',
        id: `n${i}`,
        title: `Decision ${i}`,
        prompt: 'What now?',
        options: [
          { id: 'a', label: 'Contain', recommended: true, consequences: { add: { lostGB: 1 }, score: { 'srm:customer': 1 } }, next },
          { id: 'b', label: 'Watch', consequences: { add: { lostGB: 5 } }, next },
        ],
      });
    } else {
      timeline.push({ type: 'inject', id: `n${i}`, at: i, title: `Inject ${i}`, narrative: `Something happens (${i}).`, channel: 'email', next });
    }
  }
  timeline.push({ type: 'end', id: 'end', title: 'The end', outcome: 'Done.', result: 'success' });
  return { ...base, meta: { ...base.meta, id: 'generated', estimatedMinutes: 480 }, start: 'n0', timeline, contingencies: [] };
}

/** A scenario whose one decision loops, so a bench can record as many decisions as it likes. */
export function loopingDecisionScenario(): ScenarioInput {
  const base = engineTestScenarioInput();
  return {
    ...base,
    meta: { ...base.meta, id: 'looping' },
    start: 'i1',
    timeline: [
      { type: 'inject', id: 'i1', title: 'Start', narrative: 'Go.', channel: 'briefing', next: 'd' },
      {
        type: 'decision',
        id: 'd',
        title: 'Again?',
        prompt: 'Again?',
        options: [
          { id: 'again', label: 'Again', recommended: true, consequences: { add: { lostGB: 1 } }, next: 'i2' },
          { id: 'stop', label: 'Stop', next: 'end' },
        ],
      },
      { type: 'inject', id: 'i2', title: 'Round', narrative: 'Another round.', channel: 'chat', next: 'd' },
      { type: 'end', id: 'end', title: 'End', outcome: 'Done.', result: 'success' },
    ],
    contingencies: [],
  };
}

/**
 * A recorded session of the looping scenario with one team, created in
 * `store` under `sessionId` at wall time `wall`: its engine, to drive, and
 * the scenario.
 */
export function loopingSession(store: Store, sessionId: string, wall: number): { scenario: Scenario; engine: SessionEngine; createdEvents: number } {
  const scenario = Scenario.parse(loopingDecisionScenario());
  const config: SessionConfig = {
    name: sessionId,
    facilitator: 'bench',
    sensitivity: 'bench',
    scenarioId: scenario.meta.id,
    scenarioVersion: scenario.meta.version,
    scenarioSha256: '',
    seed: 's',
    speed: 1,
    teams: [{ id: 'team-1', name: 'A', participants: [{ name: 'Kim Lee' }] }],
    milestoneTargets: {},
  };
  const { engine, events } = SessionEngine.create(scenario, config, wall);
  store.sessions.create(
    { id: sessionId, name: sessionId, facilitator: 'bench', scenarioId: config.scenarioId, scenarioVersion: config.scenarioVersion, scenarioSha256: '', scenarioJson: JSON.stringify(scenario), wallMs: wall },
    events,
  );
  return { scenario, engine, createdEvents: events.length };
}
