/**
 * Undo restores a team the way an XState actor restores a snapshot, as it
 * did when each team was an actor: a restored snapshot lists its state nodes
 * in the machine's order, not in the order they were entered, and that order
 * is the order in which parallel tracks' simultaneous events come out. Logs
 * recorded with undos hold that order, and replay must give it again.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileScenario, MINUTE_MS } from '../../src-main/core/engine/machine.ts';
import { TeamEngine } from '../../src-main/core/engine/team.ts';
import { parseScenarioText } from '../../src-main/core/scenario/validate.ts';
import { FIXTURES_DIR } from '../fixtures/scenarios/build.ts';

const MIN = MINUTE_MS;

/** The two-track fixture with both tracks' second injects due at minute 15. */
function compiled() {
  const input = JSON.parse(readFileSync(join(FIXTURES_DIR, 'two-tracks.json'), 'utf8')) as { timeline: Array<{ id: string; at?: number }> };
  input.timeline.find((node) => node.id === 'x2')!.at = 15;
  const result = parseScenarioText(JSON.stringify(input));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return compileScenario(result.scenario);
}

const decide = (decisionId: string, optionId: string) => ({ type: 'decision.recorded', payload: { decisionId, optionId, rationale: 'r', decidedBy: 'x' } }) as const;

/** The executive track's decision first, then the technical one's: both tracks wait for an inject due at 15:00. */
function bothWaiting(): TeamEngine {
  const team = new TeamEngine(compiled(), 'red', 'seed');
  team.start();
  team.advanceTo(6 * MIN);
  team.command(decide('xd1', 'hold'));
  team.command(decide('td1', 'revoke'));
  return team;
}

const delivered = (team: TeamEngine) =>
  team.advanceTo(16 * MIN).map(({ event, scenarioMs }) => `${event.type} ${'nodeId' in event.payload ? event.payload.nodeId : ''} ${scenarioMs}`);

describe('undo and parallel tracks', () => {
  it('gives simultaneous events in the order a restored actor gave them (the machine order), as recorded logs hold', () => {
    const team = bothWaiting();
    team.command({ type: 'milestone.marked', payload: { milestoneId: 'recovered' } });
    team.undo();
    // As the engine gave it when a team was an XState actor restored from a persisted snapshot.
    expect(delivered(team)).toEqual(['inject.delivered t2 900000', 'inject.delivered x2 900000', 'branch.taken tb1 900000', 'branch.taken xb1 900000']);
  });

  it('gives them in the order the states were entered when nothing was undone', () => {
    // As the actor-based engine gave it too: the order the injects' states were entered in.
    expect(delivered(bothWaiting())).toEqual(['inject.delivered x2 900000', 'inject.delivered t2 900000', 'branch.taken tb1 900000', 'branch.taken xb1 900000']);
  });
});
