import { sha256Hex } from '../src-main/app/recorded-scenario.ts';
import type { SessionConfig } from '../src-main/core/engine/events.ts';
import { SessionEngine } from '../src-main/core/engine/session.ts';
import { Scenario, type ScenarioInput } from '../src-main/core/scenario/schema.ts';
import type { Store } from '../src-main/store/store.ts';
import { engineTestScenarioInput } from '../tests/helpers/scenario.ts';

/**
 * A scenario with `size` timeline nodes: per track, a long chain of injects and decisions that
 * rejoin, ending at the track's own end node. With `tracks` > 1 it is a format-1.1 scenario with
 * parallel tracks (the nodes split evenly between them); with 1, a version-1 scenario as before.
 */
export function generatedScenario(size: number, tracks = 1): ScenarioInput {
  const base = engineTestScenarioInput();
  const timeline: ScenarioInput['timeline'] = [];
  const perTrack = Math.floor(size / tracks);
  const id = (t: number, i: number) => (tracks === 1 ? `n${i}` : `t${t}n${i}`);
  const endId = (t: number) => (tracks === 1 ? 'end' : `t${t}end`);
  for (let t = 0; t < tracks; t++) {
    const count = perTrack - 1;
    for (let i = 0; i < count; i++) {
      const next = i + 1 < count ? id(t, i + 1) : endId(t);
      if (i % 4 === 3) {
        timeline.push({
          type: 'decision',
          id: id(t, i),
          title: `Decision ${i}`,
          prompt: 'What now?',
          options: [
            { id: 'a', label: 'Contain', recommended: true, consequences: { add: { lostGB: 1 }, score: { 'srm:customer': 1 } }, next },
            { id: 'b', label: 'Watch', consequences: { add: { lostGB: 5 } }, next },
          ],
        });
      } else {
        timeline.push({ type: 'inject', id: id(t, i), at: i, title: `Inject ${i}`, narrative: `Something happens (${i}).`, channel: 'email', next });
      }
    }
    timeline.push({ type: 'end', id: endId(t), title: `The end ${t}`, outcome: 'Done.', result: 'success' });
  }
  const scenario: ScenarioInput = { ...base, meta: { ...base.meta, id: 'generated', estimatedMinutes: 480 }, start: id(0, 0), timeline, contingencies: [] };
  if (tracks === 1) return scenario;
  return {
    ...scenario,
    formatVersion: 1.1,
    tracks: Array.from({ length: tracks }, (_, t) => ({ id: `track${t}`, title: `Track ${t + 1}`, start: id(t, 0) })),
  };
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
  // The store holds a session's scenario to the SHA-256 its log records (src-main/app/recorded-scenario.ts).
  const scenarioJson = JSON.stringify(scenario);
  const scenarioSha256 = sha256Hex(scenarioJson);
  const config: SessionConfig = {
    name: sessionId,
    facilitator: 'bench',
    sensitivity: 'bench',
    scenarioId: scenario.meta.id,
    scenarioVersion: scenario.meta.version,
    scenarioSha256,
    seed: 's',
    speed: 1,
    teams: [{ id: 'team-1', name: 'A', participants: [{ name: 'Kim Lee' }] }],
    milestoneTargets: {},
  };
  const { engine, events } = SessionEngine.create(scenario, config, wall);
  store.sessions.create(
    {
      id: sessionId,
      name: sessionId,
      facilitator: 'bench',
      scenarioId: config.scenarioId,
      scenarioVersion: config.scenarioVersion,
      scenarioSha256,
      scenarioJson,
      wallMs: wall,
    },
    events,
  );
  return { scenario, engine, createdEvents: events.length };
}
