/**
 * The compiler: a validated scenario becomes an XState v5 machine for one team.
 *
 * - Every timeline node is one state of the machine (keyed `n<index>`, since
 *   author ids may contain dots, which XState reads as paths).
 * - Time is data: the runner sends `TICK { now }` (scenario ms) before every
 *   other event; inject offsets, decision time limits and contingencies are
 *   guards on `context.now`, never XState `after` timers. That keeps a team's
 *   state a pure function of its event sequence, so replay is exact and a
 *   pause really pauses.
 * - Named actions and guards come from `setup()`; the JSON only supplies their
 *   parameters. Nothing is evaluated as code.
 * - What happens is announced with `emit()`; the runner appends those engine
 *   events to the log.
 */
import { assign, emit, enqueueActions, setup, type ActorRefFrom, type SnapshotFrom } from 'xstate';
import type { Condition, Consequences, DecisionNode, Scalar, Scenario, TimelineNode } from '../scenario/schema.ts';
import { canonicalTag } from '../scenario/tags.ts';
import { evaluate } from './conditions.ts';
import type { EngineEvent } from './events.ts';
import { pickWeighted, rollFor } from './random.ts';

export const MINUTE_MS = 60_000;

export interface TeamContext {
  teamId: string;
  seed: string;
  /** Scenario ms of the latest TICK. */
  now: number;
  vars: Record<string, Scalar>;
  /** Milestone id -> scenario ms reached (null: not yet). */
  milestones: Record<string, number | null>;
  objectives: Record<string, number | null>;
  /** Tag -> points. */
  score: Record<string, number>;
  /** Timeline node ids in the order the team entered them. */
  path: string[];
  visits: Record<string, number>;
  /** Decision id -> option id chosen. */
  choices: Record<string, string>;
  /** The inject on screen, and when it was delivered (scenario ms). */
  currentInject: string | null;
  currentInjectAt: number | null;
  /** Open decision and when it opened (scenario ms). */
  openDecision: { id: string; openedAt: number } | null;
  /** Random node id -> outcome id of its latest roll. */
  rolls: Record<string, string>;
  contingencies: Record<string, { firedAt: number; manual: boolean } | null>;
  ended: { nodeId: string; at: number } | null;
}

export type TeamEvent =
  | { type: 'TICK'; now: number }
  | { type: 'CHOOSE'; decisionId: string; optionId: string }
  | { type: 'MARK_MILESTONE'; milestoneId: string }
  | { type: 'FIRE_CONTINGENCY'; contingencyId: string };

export interface TeamInput {
  teamId: string;
  seed: string;
}

export const stateKey = (index: number): string => `n${index}`;

/** Default option of a decision: its `defaultOption`, else the recommended one, else the first. */
export function defaultOptionOf(node: DecisionNode): string {
  return node.defaultOption ?? node.options.find((o) => o.recommended)?.id ?? node.options[0]!.id;
}

/** The variables after a choice's or a roll's changes: `set`, then `add` to numbers (the debrief replays the same rule). */
export function applyVariableChanges(before: Readonly<TeamContext['vars']>, consequences: Consequences | undefined): TeamContext['vars'] {
  const vars = { ...before };
  for (const [name, value] of Object.entries(consequences?.set ?? {})) vars[name] = value;
  for (const [name, delta] of Object.entries(consequences?.add ?? {})) {
    const current = vars[name];
    vars[name] = (typeof current === 'number' ? current : 0) + delta;
  }
  return vars;
}

function applyConsequences(context: TeamContext, consequences: Consequences): { changes: Partial<TeamContext>; events: EngineEvent[] } {
  const events: EngineEvent[] = [];
  const vars = applyVariableChanges(context.vars, consequences);
  const score = { ...context.score };
  for (const [written, points] of Object.entries(consequences.score ?? {})) {
    const tag = canonicalTag(written); // phase aliases count under their phase
    score[tag] = (score[tag] ?? 0) + points;
  }
  const milestones = { ...context.milestones };
  for (const id of consequences.milestones ?? []) {
    if (milestones[id] == null) {
      milestones[id] = context.now;
      events.push({ type: 'milestone.reached', payload: { milestoneId: id, source: 'choice' } });
    }
  }
  const objectives = { ...context.objectives };
  for (const id of consequences.objectives ?? []) {
    if (objectives[id] == null) {
      objectives[id] = context.now;
      events.push({ type: 'objective.demonstrated', payload: { objectiveId: id } });
    }
  }
  return { changes: { vars, score, milestones, objectives }, events };
}

/** Compiles a validated scenario into the machine that runs one team through it. */
export function compileScenario(scenario: Scenario) {
  const indexOf = new Map<string, number>(scenario.timeline.map((node, i) => [node.id, i]));
  const nodeById = new Map<string, TimelineNode>(scenario.timeline.map((node) => [node.id, node]));
  const contingencyById = new Map(scenario.contingencies.map((c) => [c.id, c]));
  const target = (id: string): string => stateKey(indexOf.get(id)!);

  const decision = (id: string): DecisionNode => nodeById.get(id) as DecisionNode;

  const machineSetup = setup({
    types: {
      context: {} as TeamContext,
      events: {} as TeamEvent,
      input: {} as TeamInput,
      emitted: {} as EngineEvent,
    },
    actions: {
      /** Bookkeeping on entering any node. */
      enter: assign(({ context }, params: { nodeId: string }) => {
        // The path only ever grows, and can reach thousands of entries in a long
        // session: append in place instead of copying it on every step.
        context.path.push(params.nodeId);
        return { path: context.path, visits: { ...context.visits, [params.nodeId]: (context.visits[params.nodeId] ?? 0) + 1 } };
      }),
      tick: assign(({ context, event }) => (event.type === 'TICK' ? { now: Math.max(context.now, event.now) } : {})),
      deliver: assign(({ context }, params: { nodeId: string }) => ({ currentInject: params.nodeId, currentInjectAt: context.now })),
      announce: emit((_, params: { event: EngineEvent }) => params.event),
      openDecision: assign(({ context }, params: { nodeId: string }) => ({ openDecision: { id: params.nodeId, openedAt: context.now } })),
      choose: enqueueActions(({ context, enqueue }, params: { decisionId: string; optionId: string }) => {
        const option = decision(params.decisionId).options.find((o) => o.id === params.optionId)!;
        const { changes, events } = applyConsequences(context, option.consequences);
        enqueue.assign({ ...changes, openDecision: null, choices: { ...context.choices, [params.decisionId]: params.optionId } });
        for (const event of events) enqueue.emit(event);
      }),
      roll: assign(({ context }, params: { nodeId: string }) => {
        const node = nodeById.get(params.nodeId);
        if (node?.type !== 'random') return {};
        const visit = context.visits[params.nodeId] ?? 1;
        const index = pickWeighted(
          node.outcomes.map((o) => o.weight),
          rollFor(context.seed, context.teamId, node.id, visit),
        );
        return { rolls: { ...context.rolls, [node.id]: node.outcomes[index]!.id } };
      }),
      applyOutcome: enqueueActions(({ context, enqueue }, params: { nodeId: string; outcomeId: string }) => {
        const node = nodeById.get(params.nodeId);
        if (node?.type !== 'random') return;
        const outcome = node.outcomes.find((o) => o.id === params.outcomeId)!;
        const { changes, events } = applyConsequences(context, outcome.consequences);
        enqueue.assign(changes);
        for (const event of events) enqueue.emit(event);
      }),
      markMilestone: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'MARK_MILESTONE' || context.milestones[event.milestoneId] !== null) return;
        enqueue.assign({ milestones: { ...context.milestones, [event.milestoneId]: context.now } });
        enqueue.emit({ type: 'milestone.reached', payload: { milestoneId: event.milestoneId, source: 'facilitator' } });
      }),
      fireContingency: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'FIRE_CONTINGENCY' || context.contingencies[event.contingencyId] !== null || context.ended) return;
        enqueue.assign({ contingencies: { ...context.contingencies, [event.contingencyId]: { firedAt: context.now, manual: true } } });
        enqueue.emit({ type: 'contingency.fired', payload: { contingencyId: event.contingencyId, manual: true } });
      }),
      fireDueContingencies: enqueueActions(({ context, enqueue }) => {
        if (context.ended) return;
        let contingencies = context.contingencies;
        for (const c of scenario.contingencies) {
          if (contingencies[c.id] !== null || context.now < c.when.by * MINUTE_MS) continue;
          const reached = 'milestone' in c.when.notReached ? context.milestones[c.when.notReached.milestone] : context.objectives[c.when.notReached.objective];
          if (reached != null) continue;
          contingencies = { ...contingencies, [c.id]: { firedAt: context.now, manual: false } };
          enqueue.emit({ type: 'contingency.fired', payload: { contingencyId: c.id, manual: false } });
        }
        if (contingencies !== context.contingencies) enqueue.assign({ contingencies });
      }),
      end: assign(({ context }, params: { nodeId: string }) => ({ ended: { nodeId: params.nodeId, at: context.now }, openDecision: null })),
    },
    guards: {
      due: ({ context }, params: { at: number }) => context.now >= params.at,
      condition: ({ context }, params: { when: Condition }) =>
        evaluate(params.when, { vars: context.vars, milestones: context.milestones, choices: context.choices }),
      isChoice: ({ event }, params: { decisionId: string; optionId: string }) =>
        event.type === 'CHOOSE' && event.decisionId === params.decisionId && event.optionId === params.optionId,
      timeUp: ({ context }, params: { limitMs: number }) => context.openDecision !== null && context.now - context.openDecision.openedAt >= params.limitMs,
      rolled: ({ context }, params: { nodeId: string; outcomeId: string }) => context.rolls[params.nodeId] === params.outcomeId,
    },
  });

  const states: Record<string, object> = {};
  scenario.timeline.forEach((node, index) => {
    const enter = { type: 'enter', params: { nodeId: node.id } } as const;
    const announce = (event: EngineEvent) => ({ type: 'announce', params: { event } }) as const;
    switch (node.type) {
      case 'inject':
        states[stateKey(index)] = {
          entry: [enter],
          always: {
            guard: { type: 'due', params: { at: (node.at ?? 0) * MINUTE_MS } },
            target: target(node.next),
            actions: [{ type: 'deliver', params: { nodeId: node.id } }, announce({ type: 'inject.delivered', payload: { nodeId: node.id } })],
          },
        };
        break;
      case 'decision': {
        const choose = (optionId: string) => ({ type: 'choose', params: { decisionId: node.id, optionId } }) as const;
        const fallback = defaultOptionOf(node);
        const fallbackOption = node.options.find((o) => o.id === fallback)!;
        states[stateKey(index)] = {
          entry: [enter, { type: 'openDecision', params: { nodeId: node.id } }, announce({ type: 'decision.opened', payload: { nodeId: node.id } })],
          on: {
            CHOOSE: node.options.map((option) => ({
              guard: { type: 'isChoice', params: { decisionId: node.id, optionId: option.id } },
              target: target(option.next),
              actions: [choose(option.id)],
            })),
          },
          ...(node.timeLimitMinutes !== undefined
            ? {
                always: {
                  guard: { type: 'timeUp', params: { limitMs: node.timeLimitMinutes * MINUTE_MS } },
                  target: target(fallbackOption.next),
                  actions: [announce({ type: 'decision.timedOut', payload: { decisionId: node.id, optionId: fallback } }), choose(fallback)],
                },
              }
            : {}),
        };
        break;
      }
      case 'branch':
        states[stateKey(index)] = {
          entry: [enter],
          always: [
            ...node.cases.map((c) => ({
              guard: { type: 'condition', params: { when: c.when } },
              target: target(c.next),
              actions: [announce({ type: 'branch.taken', payload: { nodeId: node.id, next: c.next } })],
            })),
            { target: target(node.otherwise), actions: [announce({ type: 'branch.taken', payload: { nodeId: node.id, next: node.otherwise } })] },
          ],
        };
        break;
      case 'random':
        states[stateKey(index)] = {
          entry: [enter, { type: 'roll', params: { nodeId: node.id } }],
          always: node.outcomes.map((outcome) => ({
            guard: { type: 'rolled', params: { nodeId: node.id, outcomeId: outcome.id } },
            target: target(outcome.next),
            actions: [
              announce({ type: 'random.rolled', payload: { nodeId: node.id, outcomeId: outcome.id } }),
              { type: 'applyOutcome', params: { nodeId: node.id, outcomeId: outcome.id } },
            ],
          })),
        };
        break;
      case 'end':
        states[stateKey(index)] = {
          entry: [enter, { type: 'end', params: { nodeId: node.id } }, announce({ type: 'team.ended', payload: { nodeId: node.id, result: node.result } })],
        };
        break;
    }
  });

  const machine = machineSetup.createMachine({
    id: `scenario:${scenario.meta.id}`,
    context: ({ input }) => ({
      teamId: input.teamId,
      seed: input.seed,
      now: 0,
      vars: Object.fromEntries(scenario.variables.map((v) => [v.id, v.initial])),
      milestones: Object.fromEntries(scenario.milestones.map((m) => [m.id, null])),
      objectives: Object.fromEntries(scenario.objectives.map((o) => [o.id, null])),
      score: {},
      path: [],
      visits: {},
      choices: {},
      currentInject: null,
      currentInjectAt: null,
      openDecision: null,
      rolls: {},
      contingencies: Object.fromEntries(scenario.contingencies.map((c) => [c.id, null])),
      ended: null,
    }),
    initial: target(scenario.start),
    on: {
      TICK: { actions: ['tick', 'fireDueContingencies'] },
      MARK_MILESTONE: { actions: ['markMilestone'] },
      FIRE_CONTINGENCY: {
        guard: ({ event }) => event.type === 'FIRE_CONTINGENCY' && contingencyById.has(event.contingencyId),
        actions: ['fireContingency'],
      },
    },
    // The per-node states are generated above; XState's config types cannot describe a
    // machine whose states are data, so they are checked by the engine tests instead.
    states: states as never,
  });

  return { machine, scenario, nodeById, contingencyById };
}

export type CompiledScenario = ReturnType<typeof compileScenario>;
export type TeamMachine = CompiledScenario['machine'];
export type TeamActor = ActorRefFrom<TeamMachine>;
export type TeamSnapshot = SnapshotFrom<TeamMachine>;
