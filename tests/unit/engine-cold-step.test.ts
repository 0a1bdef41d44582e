/**
 * What makes a step of the one-track machine touch less (see `into` and
 * `withEntryIn` in src-main/core/engine/machine.ts), held to what it must not
 * change: a transition back into its own state has no target (XState then
 * neither exits nor enters it, as for the targeted one; the equivalence
 * with the plain machine, event by event, is engine-pass-through.test.ts's),
 * and the context changes made in place inside one `apply` are made only to
 * what that `apply` copied — no earlier snapshot (an undo checkpoint, a
 * restored one) ever changes after it was made: every snapshot's context is
 * frozen as it is made (all but the path), so a write into one throws even
 * when it writes the value already there, and the walks go back to earlier
 * snapshots restored as an undo restores them.
 */
import { describe, expect, it } from 'vitest';
import { loopingDecisionScenario } from '../../bench/scenarios.ts';
import { compileScenario, MINUTE_MS, stateKey, type CompiledScenario, type TeamEvent, type TeamSnapshot } from '../../src-main/core/engine/machine.ts';
import { mulberry32 } from '../../src-main/core/engine/random.ts';
import { stepScope } from '../../src-main/core/engine/team.ts';
import { Scenario } from '../../src-main/core/scenario/schema.ts';
import { walkScenarios } from '../helpers/engine-walks.ts';

const looping = Scenario.parse(loopingDecisionScenario());

/** The targets (state keys) of a state's CHOOSE transitions, in order; null for one without a target. */
function chooseTargets(compiled: CompiledScenario, nodeId: string): Array<string[] | null> {
  const index = compiled.scenario.timeline.findIndex((n) => n.id === nodeId);
  const state = compiled.machine.root.states[stateKey(index)]!;
  return (state.transitions.get('CHOOSE') ?? []).map((t) => t.target?.map((s) => s.key) ?? null);
}

describe('a transition back into its own state', () => {
  it('has no target in the one-track form, and targets its state in the plain one', () => {
    // `d`'s choices: "again" passing through `i2` back to `d` (when `i2` is due), "again" into `i2`, "stop" into the end.
    expect(chooseTargets(compileScenario(looping), 'd')).toEqual([null, ['n2'], ['n3']]);
    expect(chooseTargets(compileScenario(looping, { plain: true }), 'd')).toEqual([['n2'], ['n3']]);
  });

  it('is made only where that is the targeted one: every state of a one-track machine is atomic, with no entry, exit or history', () => {
    // A state with children would have them left and entered again by a targeted transition into itself, not by a targetless one.
    for (const [name, scenario] of [['looping', looping] as [string, Scenario], ...walkScenarios(4)]) {
      const compiled = compileScenario(scenario);
      if (compiled.layout.declared) continue; // parallel tracks keep the plain form, targets and all
      for (const state of Object.values(compiled.machine.root.states)) {
        expect({ name, state: state.key, type: state.type, entry: state.entry.length, exit: state.exit.length, after: state.after.length }).toEqual({
          name,
          state: state.key,
          type: 'atomic',
          entry: 0,
          exit: 0,
          after: 0,
        });
      }
    }
  });

  it('leaves the team in its decision, the decision opened again, as passing through the inject did', () => {
    const compiled = compileScenario(looping);
    const emitted: unknown[] = [];
    const scope = stepScope(compiled.machine, (event) => emitted.push(event));
    let snapshot = compiled.machine.getInitialSnapshot(scope, { teamId: 't', seed: 's' });
    snapshot = compiled.machine.transition(snapshot, { type: 'CHOOSE', decisionId: 'd', optionId: 'again', now: 5_000 }, scope);
    expect(snapshot.value).toBe('n1');
    expect(emitted.slice(-2)).toEqual([
      { type: 'inject.delivered', payload: { nodeId: 'i2' } },
      { type: 'decision.opened', payload: { nodeId: 'd' } },
    ]);
    expect(snapshot.context.path).toEqual(['i1', 'd', 'i2', 'd']);
    expect(snapshot.context.visits).toEqual({ i1: 1, d: 2, i2: 1 });
    expect(snapshot.context.positions.main).toEqual({ currentInject: 'i2', currentInjectAt: 5_000, openDecision: { id: 'd', openedAt: 5_000 }, ended: null });
  });
});

/** A snapshot as text, all but the path (shared and appended in place by design: an undo cuts it back to the length it had). */
const frozen = (snapshot: TeamSnapshot): string => JSON.stringify({ value: snapshot.value, context: { ...snapshot.context, path: null } });

/** Freezes `value` and everything it holds: a write into any of it then throws (test files are modules, so strict). */
function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const held of Object.values(value)) deepFreeze(held);
}

/** The snapshot, its context frozen all but the path (appended in place by design). */
function freezeContext(snapshot: TeamSnapshot): TeamSnapshot {
  for (const [key, held] of Object.entries(snapshot.context)) if (key !== 'path') deepFreeze(held);
  Object.freeze(snapshot.context);
  return snapshot;
}

describe('context changes made in place inside one apply', () => {
  for (const [name, scenario] of [['looping decision (the bench)', looping] as [string, Scenario], ...walkScenarios(4)]) {
    it(`never change an earlier snapshot: ${name}`, () => {
      const compiled = compileScenario(scenario);
      let steps = 0;
      let restores = 0;
      for (let seed = 1; seed <= 10; seed++) {
        const rand = mulberry32(seed);
        const scope = stepScope(compiled.machine, () => undefined);
        let snapshot = freezeContext(compiled.machine.getInitialSnapshot(scope, { teamId: 'team', seed: `seed-${seed}` }));
        const kept: Array<[TeamSnapshot, string, number]> = [[snapshot, frozen(snapshot), snapshot.context.path.length]];
        let now = 0;
        for (let step = 0; step < 60; step++) {
          if (snapshot.context.ended !== null || rand() < 0.1) {
            // Back to an earlier snapshot (one before the end), restored as `TeamEngine.undo` restores its checkpoint (the path cut back to its length).
            const going = kept.filter(([earlier]) => earlier.context.ended === null);
            const [earlier, , pathLength] = going[Math.floor(rand() * going.length)]!;
            const light = Object.assign({}, earlier, { context: Object.assign({}, earlier.context, { path: [] }) });
            snapshot = compiled.machine.restoreSnapshot(light, scope);
            snapshot.context.path = earlier.context.path.slice(0, pathLength);
            freezeContext(snapshot);
            now = snapshot.context.now;
            restores++;
          }
          now += rand() < 0.5 ? 0 : Math.floor(rand() * 4 * MINUTE_MS);
          const choices: TeamEvent[] = [];
          for (const position of Object.values(snapshot.context.positions)) {
            const node = position.openDecision ? compiled.nodeById.get(position.openDecision.id) : undefined;
            if (node?.type === 'decision') for (const option of node.options) choices.push({ type: 'CHOOSE', decisionId: node.id, optionId: option.id, now });
          }
          const event: TeamEvent = choices.length > 0 && rand() < 0.7 ? choices[Math.floor(rand() * choices.length)]! : { type: 'TICK', now };
          snapshot = freezeContext(compiled.machine.transition(snapshot, event, scope));
          kept.push([snapshot, frozen(snapshot), snapshot.context.path.length]);
          steps++;
        }
        for (const [earlier, text] of kept) expect(frozen(earlier)).toBe(text);
      }
      expect(steps).toBe(600);
      expect(restores).toBeGreaterThan(20);
    });
  }
});
