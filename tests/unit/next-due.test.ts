/**
 * `TeamEngine.nextDueMs` is computed once per state (see team.ts). These
 * pin that it answers for the state the team is in now: after a command
 * taken at the same scenario time (so a cache keyed on time would go stale),
 * and after that command's undo (a new actor with a restored snapshot).
 */
import { describe, expect, it } from 'vitest';
import { compileScenario, MINUTE_MS } from '../../src-main/core/engine/machine.ts';
import { TeamEngine } from '../../src-main/core/engine/team.ts';
import { engineTestScenario } from '../helpers/scenario.ts';

const MIN = MINUTE_MS;
const compiled = compileScenario(engineTestScenario());

function atDecision(): TeamEngine {
  const team = new TeamEngine(compiled, 't', 'seed');
  team.start();
  team.advanceTo(11 * MIN); // d1 open since 10:00 with a 5-minute limit; c1 due at 25:00 unless contained
  return team;
}

const choose = (optionId: string) => ({ type: 'decision.recorded', payload: { decisionId: 'd1', optionId, rationale: 'r', decidedBy: 'IC' } }) as const;

describe('TeamEngine.nextDueMs', () => {
  it('answers for the state after a command at the same scenario time, and again after its undo', () => {
    const team = atDecision();
    expect(team.nextDueMs()).toBe(15 * MIN); // d1's time limit
    team.command(choose('now')); // contained: c1 cannot come due; i3good at 30:00
    expect(team.context.now).toBe(11 * MIN);
    expect(team.nextDueMs()).toBe(30 * MIN);
    team.undo();
    expect(team.nextDueMs()).toBe(15 * MIN);
    team.command(choose('wait')); // not contained: c1 at 25:00 comes before i3bad at 30:00
    expect(team.nextDueMs()).toBe(25 * MIN);
    team.undo();
    expect(team.nextDueMs()).toBe(15 * MIN);
  });

  it('answers the same as a team that never asked before', () => {
    const asked = atDecision();
    asked.nextDueMs();
    asked.command(choose('wait'));
    asked.nextDueMs();
    asked.undo();
    asked.command(choose('now'));
    const fresh = atDecision();
    fresh.command(choose('now'));
    expect(asked.nextDueMs()).toBe(fresh.nextDueMs());
    expect(asked.advanceTo(40 * MIN)).toEqual(fresh.advanceTo(40 * MIN));
  });
});
