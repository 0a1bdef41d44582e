/**
 * A team is a snapshot stepped by `machine.transition` with a scope made by
 * hand (`stepScope` in team.ts), not a live XState actor. That scope leans on
 * how XState runs actions inside a step (which hooks it calls, in what
 * order), which an XState update could change without any type changing.
 * These hold the hand-made scope to a real XState actor of the same machine,
 * on random walks of real scenarios: the same emitted events in the same
 * order, the same state value and context after every event, and the same
 * after a snapshot is restored (as undo does). If they fail after an XState
 * update, the update changed what recorded logs replay to: keep the old
 * version (xstate is pinned exactly in package.json) until the engine is
 * adapted and old logs are checked to replay.
 */
import { createActor } from 'xstate';
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src-main/core/engine/events.ts';
import { compileScenario, MINUTE_MS, type CompiledScenario, type TeamEvent, type TeamSnapshot } from '../../src-main/core/engine/machine.ts';
import { stepScope } from '../../src-main/core/engine/team.ts';
import { mulberry32 } from '../../src-main/core/engine/random.ts';
import { walkScenarios } from '../helpers/engine-walks.ts';

const scenarios = walkScenarios(3);

/** The machine's raw events, as TeamEngine sends them: ticks, and commands with or without the time they carry. */
function nextEvent(compiled: CompiledScenario, snapshot: TeamSnapshot, now: number, rand: () => number): TeamEvent {
  const { scenario } = compiled;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  // A command carries the time it is taken at, or none; now and then an earlier one than the team's clock.
  const clock = rand() < 0.5 ? { now } : rand() < 0.5 ? {} : { now: Math.max(0, snapshot.context.now - MINUTE_MS) };
  const open = Object.values(snapshot.context.positions).flatMap((p) => (p.openDecision ? [p.openDecision.id] : []));
  const roll = rand();
  if (roll < 0.45 && open.length > 0) {
    const node = compiled.nodeById.get(pick(open));
    if (node?.type === 'decision') return { type: 'CHOOSE', decisionId: node.id, optionId: pick(node.options).id, ...clock };
  }
  if (roll < 0.6 && scenario.milestones.length > 0) return { type: 'MARK_MILESTONE', milestoneId: pick(scenario.milestones).id, ...clock };
  if (roll < 0.7 && scenario.contingencies.length > 0) return { type: 'FIRE_CONTINGENCY', contingencyId: pick(scenario.contingencies).id, ...clock };
  return { type: 'TICK', now };
}

/** A real actor of the machine, and what it emitted since last asked. */
function actorOf(compiled: CompiledScenario, options: { input: { teamId: string; seed: string }; snapshot?: unknown }) {
  const emitted: EngineEvent[] = [];
  const actor = createActor(compiled.machine, options as { input: { teamId: string; seed: string } });
  actor.on('*', (event) => {
    emitted.push(event);
  });
  actor.start();
  return { actor, take: () => emitted.splice(0) };
}

/** The snapshot with its own copy of the path (appended in place as the machine steps). */
const withOwnPath = (snapshot: TeamSnapshot): TeamSnapshot => ({ ...snapshot, context: { ...snapshot.context, path: [...snapshot.context.path] } });

const seen = (snapshot: TeamSnapshot) => ({ value: snapshot.value, context: snapshot.context, status: snapshot.status });

describe('the hand-made actor scope (stepScope)', () => {
  it('compiles machines that need no live actor: no invoked or spawned actors, no delayed transitions', () => {
    for (const [, scenario] of scenarios) {
      const { machine } = compileScenario(scenario);
      const nodes = [machine.root];
      for (let node = nodes.pop(); node; node = nodes.pop()) {
        expect(node.invoke).toEqual([]);
        expect(node.after).toEqual([]);
        nodes.push(...Object.values(node.states));
      }
    }
  });

  for (const [name, scenario] of scenarios) {
    it(`steps a snapshot as a real XState actor steps: ${name}`, () => {
      const compiled = compileScenario(scenario);
      const { machine } = compiled;
      let events = 0;
      for (let seed = 1; seed <= 15; seed++) {
        const rand = mulberry32(seed); // seeded: a failing walk can be replayed
        const input = { teamId: 'team', seed: `seed-${seed}` };
        let real = actorOf(compiled, { input });
        const emitted: EngineEvent[] = [];
        const scope = stepScope(machine, (event) => emitted.push(event));
        let snapshot = machine.getInitialSnapshot(scope, input);
        expect(emitted.splice(0)).toEqual(real.take());
        expect(seen(snapshot)).toEqual(seen(real.actor.getSnapshot()));
        let now = 0;
        for (let step = 0; step < 50 && snapshot.context.ended === null; step++) {
          if (rand() < 0.1) {
            // Restored from a snapshot, as undo restores one; the actor restores its persisted form.
            const earlier = withOwnPath(snapshot);
            real.actor.stop();
            real = actorOf(compiled, { input, snapshot: machine.getPersistedSnapshot(withOwnPath(earlier)) });
            snapshot = machine.restoreSnapshot(earlier, scope);
            expect(seen(snapshot)).toEqual(seen(real.actor.getSnapshot()));
          }
          now += rand() < 0.3 ? 0 : Math.floor(rand() * 6 * MINUTE_MS);
          const event = nextEvent(compiled, snapshot, now, rand);
          real.actor.send(event);
          const clockBefore = snapshot.context.now;
          snapshot = machine.transition(snapshot, event, scope);
          expect(snapshot.context.now).toBeGreaterThanOrEqual(clockBefore); // no event moves the clock back
          const got = emitted.splice(0);
          expect(got).toEqual(real.take());
          expect(seen(snapshot)).toEqual(seen(real.actor.getSnapshot()));
          events += got.length;
        }
        real.actor.stop();
      }
      expect(events).toBeGreaterThan(50);
    });
  }
});
