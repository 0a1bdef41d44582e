/**
 * `TeamEngine.commandAt` takes a command in one machine step fewer than
 * settling the team's clock with a TICK first (`advanceTo`, then `command`),
 * the way every command was taken before. These walk teams of real scenarios
 * through many random sequences of commands, refusals and undos at random
 * times, one team each way, and hold them to the same events (stamped alike),
 * refusals, stored snapshots, due times and undo.
 */
import { describe, expect, it } from 'vitest';
import type { TeamCommand } from '../../src-main/core/engine/events.ts';
import { compileScenario, MINUTE_MS, type CompiledScenario } from '../../src-main/core/engine/machine.ts';
import { TeamEngine, type TimedEngineEvent } from '../../src-main/core/engine/team.ts';
import { mulberry32 } from '../../src-main/core/engine/random.ts';
import { walkScenarios } from '../helpers/engine-walks.ts';

const scenarios = walkScenarios(4);

/** What a step did, comparable: the events, or the refusal. */
function outcome(run: () => TimedEngineEvent[]): unknown {
  try {
    return { events: run() };
  } catch (error) {
    return { refused: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

function undone(team: TeamEngine): TimedEngineEvent[] {
  team.undo();
  return [];
}

/** Everything a caller can see of a team. */
function seen(team: TeamEngine): unknown {
  return { persisted: JSON.stringify(team.persisted()), path: [...team.context.path], due: team.nextDueMs(), canUndo: team.canUndo, open: team.openDecisions() };
}

function nextCommand(compiled: CompiledScenario, team: TeamEngine, rand: () => number): TeamCommand {
  const { scenario } = compiled;
  const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(rand() * items.length)];
  const roll = rand();
  const open = team.openDecisions();
  if (roll < 0.55 && open.length > 0) {
    const decision = pick(open)!;
    const node = compiled.nodeById.get(decision.id);
    const option = node?.type === 'decision' ? pick(node.options)!.id : 'none';
    return { type: 'decision.recorded', payload: { decisionId: decision.id, optionId: option, rationale: 'r', decidedBy: 'x' } };
  }
  if (roll < 0.6) return { type: 'decision.recorded', payload: { decisionId: pick(scenario.timeline)!.id, optionId: 'nope', rationale: 'r', decidedBy: 'x' } };
  if (roll < 0.8 && scenario.milestones.length > 0) return { type: 'milestone.marked', payload: { milestoneId: pick(scenario.milestones)!.id } };
  if (scenario.contingencies.length > 0) return { type: 'contingency.triggered', payload: { contingencyId: pick(scenario.contingencies)!.id } };
  return { type: 'milestone.marked', payload: { milestoneId: 'no-such-milestone' } };
}

describe('TeamEngine.commandAt', () => {
  for (const [name, scenario] of scenarios) {
    it(`does what settling the clock and then commanding does: ${name}`, () => {
      const compiled = compileScenario(scenario);
      let steps = 0;
      for (let seed = 1; seed <= 25; seed++) {
        const rand = mulberry32(seed); // seeded: a failing walk can be replayed
        const settled = new TeamEngine(compiled, 'team', `seed-${seed}`); // the way commands were taken before
        const folded = new TeamEngine(compiled, 'team', `seed-${seed}`);
        expect(folded.start()).toEqual(settled.start());
        let now = 0;
        for (let step = 0; step < 60 && !settled.context.ended; step++) {
          // Often at the same time, sometimes minutes later (past time limits, injects and contingencies).
          const gap = rand();
          now += gap < 0.3 ? 0 : gap < 0.8 ? Math.floor(rand() * 90_000) : Math.floor(rand() * 20 * MINUTE_MS);
          const action = rand();
          if (action < 0.15) {
            // An undo, as the session takes it: anything due first, then the rollback.
            const before = outcome(() => settled.advanceTo(now));
            expect(outcome(() => folded.advanceTo(now))).toEqual(before);
            expect(outcome(() => undone(folded))).toEqual(outcome(() => undone(settled)));
          } else if (action < 0.2) {
            // A tick of the session's clock, which does not settle a team with nothing due.
            expect(folded.advanceTo(now, false)).toEqual(settled.advanceTo(now, false));
          } else {
            const command = nextCommand(compiled, settled, rand);
            // Now and then at a time the team's clock has already passed: taken at the team's own time, the clock never goes back.
            const at = rand() < 0.1 ? Math.max(0, settled.context.now - Math.floor(rand() * 5 * MINUTE_MS)) : now;
            const clockBefore = folded.context.now;
            const due = outcome(() => settled.advanceTo(at));
            const produced = outcome(() => settled.command(command));
            let split: { due: TimedEngineEvent[]; produced: TimedEngineEvent[] } | undefined;
            const refused = outcome(() => {
              split = folded.commandAt(command, at);
              return [];
            });
            expect(folded.context.now).toBeGreaterThanOrEqual(Math.max(clockBefore, at));
            if (split) {
              expect({ events: split.due }).toEqual(due);
              expect({ events: split.produced }).toEqual(produced);
            } else {
              expect(refused).toEqual(produced);
            }
          }
          expect(seen(folded)).toEqual(seen(settled));
          steps++;
        }
      }
      expect(steps).toBeGreaterThan(100);
    });
  }
});
