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
import { assign, emit, enqueueActions, setup, type SnapshotFrom } from 'xstate';
import type { Condition, Consequences, DecisionNode, DecisionOption, InjectNode, Scalar, Scenario, TimelineNode } from '../scenario/schema.ts';
import { canonicalTag } from '../scenario/tags.ts';
import { trackLayout } from '../scenario/tracks.ts';
import { evaluate } from './conditions.ts';
import type { EngineEvent } from './events.ts';
import { pickWeighted, rollFor } from './random.ts';
import { contingencyDueAt, mayFireAgain, optionAvailable, type ContingencyFiring } from './rules.ts';

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
  /** Each track's position, by track id (`main` alone in a scenario without tracks; see ../scenario/tracks.ts). */
  positions: Record<string, TrackPosition>;
  /** Random node id -> outcome id of its latest roll. */
  rolls: Record<string, string>;
  /** Contingency id -> its latest firing and how many so far (null: not fired). */
  contingencies: Record<string, ContingencyFiring | null>;
  /** Inject id -> scenario ms of its latest delivery, for the injects a format-1.1 contingency counts from. */
  delivered: Record<string, number>;
  ended: { nodeId: string; at: number } | null;
}

/** Where one track of a team is. */
export interface TrackPosition {
  /** The inject on screen in this track, and when it was delivered (scenario ms). */
  currentInject: string | null;
  currentInjectAt: number | null;
  /** The track's open decision and when it opened (scenario ms). */
  openDecision: { id: string; openedAt: number } | null;
  /** The end node a track other than the lead one reached (it is idle since), or null. */
  ended: { nodeId: string; at: number } | null;
}

const emptyPosition = (): TrackPosition => ({ currentInject: null, currentInjectAt: null, openDecision: null, ended: null });

/** The bookkeeping of entering a node: its visit counted, the path appended in place (it only ever grows, and can reach thousands of entries in a long session). */
function entered(context: TeamContext, nodeId: string): Pick<TeamContext, 'path' | 'visits'> {
  context.path.push(nodeId);
  return { path: context.path, visits: withEntry(context.visits, nodeId, (context.visits[nodeId] ?? 0) + 1) };
}

/**
 * A copy of `record` with `key` set. Copied with `Object.assign`, not `{ ...record, [key]: value }`:
 * V8 (Node 20) copies an object spread followed by a key the source lacks on a slow path, some
 * microseconds a time, and the engine makes several such copies in every step.
 */
function withEntry<V>(record: Readonly<Record<string, V>>, key: string, value: NoInfer<V>): Record<string, V> {
  const copy: Record<string, V> = Object.assign({}, record);
  copy[key] = value;
  return copy;
}

/** The context with one track's position changed. */
function moved(context: TeamContext, track: string, change: Partial<TrackPosition>): Pick<TeamContext, 'positions'> {
  return { positions: withEntry(context.positions, track, Object.assign({}, context.positions[track]!, change)) };
}

/** An inject a transition passes through in the same microstep (see `passThrough` in `compileScenario`): its id and track. */
interface Through {
  nodeId: string;
  track: string;
}

/**
 * A command may carry the scenario time it is taken at (`now`): the team's clock moves there first,
 * in the same step, as a TICK to that time would have moved it (with nothing due by then, all a TICK
 * does). Without it, the command happens at the team's own `now`.
 */
export type TeamEvent =
  | { type: 'TICK'; now: number }
  | { type: 'CHOOSE'; decisionId: string; optionId: string; now?: number }
  | { type: 'MARK_MILESTONE'; milestoneId: string; now?: number }
  | { type: 'FIRE_CONTINGENCY'; contingencyId: string; now?: number };

export interface TeamInput {
  teamId: string;
  seed: string;
}

export const stateKey = (index: number): string => `n${index}`;
/** The parallel region of the track at `index` in a scenario with tracks. */
export const regionKey = (index: number): string => `t${index}`;

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

function applyConsequences(context: TeamContext, consequences: Consequences, source: 'choice' | 'inject' = 'choice'): { changes: Partial<TeamContext>; events: EngineEvent[] } {
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
      events.push({ type: 'milestone.reached', payload: { milestoneId: id, source } });
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

/** The action that announces an engine event (module-level: compiling makes one per node, no closure each). */
function announce(event: EngineEvent) {
  return { type: 'announce', params: { event } } as const;
}

/**
 * The actions that record a choice: the milestones and objectives it reaches announced first (only for
 * an option whose consequences name some: judged on the context before the choice, in the order
 * `applyConsequences` gives them), then the choice recorded, one change of the context.
 */
function chooseActions(decisionId: string, option: DecisionOption, through?: Through) {
  const choose = { type: 'choose', params: through ? { decisionId, option, through } : { decisionId, option } } as const;
  const reaches = (option.consequences.milestones?.length ?? 0) + (option.consequences.objectives?.length ?? 0) > 0;
  return reaches ? [{ type: 'announceReached', params: { option } } as const, choose] : [choose];
}

/**
 * Compiles a validated scenario into the machine that runs one team through it. `plain` compiles it
 * without the transitions that pass through an inject (`passThrough` below), one state entered per
 * microstep: the reference `tests/unit/engine-pass-through.test.ts` holds the compiled machine to.
 */
export function compileScenario(scenario: Scenario, { plain = false }: { plain?: boolean } = {}) {
  const indexOf = new Map<string, number>(scenario.timeline.map((node, i) => [node.id, i]));
  const nodeById = new Map<string, TimelineNode>(scenario.timeline.map((node) => [node.id, node]));
  const contingencyById = new Map(scenario.contingencies.map((c) => [c.id, c]));
  const target = (id: string): string => stateKey(indexOf.get(id)!);
  /** Injects some contingency fires a number of minutes after (format 1.1 `when.after`). */
  const timedFrom = new Set(scenario.contingencies.flatMap((c) => ('after' in c.when && c.when.after ? [c.when.after.inject] : [])));

  const layout = trackLayout(scenario);
  const lead = layout.tracks[0]!.id;
  /** Node ids are unique, so a node's track follows from its id. */
  const trackOfNode = (id: string): string => layout.trackOf(id) ?? lead;

  const machineSetup = setup({
    // XState v5's documented way to declare a machine's types: `{} as T` values that only carry a type.
    /* eslint-disable @typescript-eslint/consistent-type-assertions */
    types: {
      context: {} as TeamContext,
      events: {} as TeamEvent,
      input: {} as TeamInput,
      emitted: {} as EngineEvent,
    },
    /* eslint-enable @typescript-eslint/consistent-type-assertions */
    actions: {
      /** Bookkeeping on entering any node. */
      enter: assign(({ context }, params: { nodeId: string }) => entered(context, params.nodeId)),
      /** Entering a decision: the bookkeeping and the decision opening, in one change of the context. */
      enterDecision: assign(({ context }, params: { nodeId: string; track: string }) =>
        Object.assign(entered(context, params.nodeId), moved(context, params.track, { openDecision: { id: params.nodeId, openedAt: context.now } })),
      ),
      tick: assign(({ context, event }) => (event.now !== undefined ? { now: Math.max(context.now, event.now) } : {})),
      deliver: assign(({ context }, params: Through) => delivered(context, params)),
      /** Format 1.1: an inject's effects, applied as it is delivered. */
      applyInjectEffects: enqueueActions(({ context, enqueue }, params: { nodeId: string }) => {
        const node = nodeById.get(params.nodeId);
        if (node?.type !== 'inject' || !node.effects) return;
        const { changes, events } = applyConsequences(context, node.effects, 'inject');
        enqueue.assign(changes);
        for (const event of events) enqueue.emit(event);
      }),
      announce: emit((_, params: { event: EngineEvent }) => params.event),
      /** A choice (by command, or the default when time is up), at the command's scenario time if it carries one (as `tick` moves it). */
      choose: assign(({ context: before, event }, params: { decisionId: string; option: DecisionOption; through?: Through }) => {
        const context = event.now !== undefined && event.now > before.now ? { ...before, now: event.now } : before;
        const { changes } = applyConsequences(context, params.option.consequences);
        const chosen: Partial<TeamContext> = Object.assign(changes, moved(context, trackOfNode(params.decisionId), { openDecision: null }), {
          choices: withEntry(context.choices, params.decisionId, params.option.id),
          now: context.now,
        });
        const through = params.through;
        if (!through) return chosen;
        // Passing through an inject (`passThrough`): what entering it (`enter`), then its due transition
        // (`deliver`), would have changed next, applied in that order to the chosen context, in this one change.
        const working: TeamContext = Object.assign({}, before, chosen);
        Object.assign(working, entered(working, through.nodeId));
        return Object.assign(working, delivered(working, through));
      }),
      /** What a choice reaches (`chooseActions`), announced before `choose` records it. */
      announceReached: enqueueActions(({ context, enqueue }, params: { option: DecisionOption }) => {
        for (const event of applyConsequences(context, params.option.consequences).events) enqueue.emit(event);
      }),
      roll: assign(({ context }, params: { nodeId: string }) => {
        const node = nodeById.get(params.nodeId);
        if (node?.type !== 'random') return {};
        const visit = context.visits[params.nodeId] ?? 1;
        const index = pickWeighted(
          node.outcomes.map((o) => o.weight),
          rollFor(context.seed, context.teamId, node.id, visit),
        );
        return { rolls: withEntry(context.rolls, node.id, node.outcomes[index]!.id) };
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
        enqueue.assign({ milestones: withEntry(context.milestones, event.milestoneId, context.now) });
        enqueue.emit({ type: 'milestone.reached', payload: { milestoneId: event.milestoneId, source: 'facilitator' } });
      }),
      fireContingency: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'FIRE_CONTINGENCY' || context.ended) return;
        const contingency = contingencyById.get(event.contingencyId);
        const firing = context.contingencies[event.contingencyId];
        if (!contingency || !mayFireAgain(contingency, firing)) return;
        const contingencies = withEntry(context.contingencies, event.contingencyId, { firedAt: context.now, manual: true, count: (firing?.count ?? 0) + 1 });
        const effects = contingency.effects ? applyConsequences(context, contingency.effects, 'inject') : { changes: {}, events: [] };
        enqueue.assign({ ...effects.changes, contingencies });
        enqueue.emit({ type: 'contingency.fired', payload: { contingencyId: event.contingencyId, manual: true } });
        for (const emitted of effects.events) enqueue.emit(emitted);
      }),
      fireDueContingencies: enqueueActions(({ context, enqueue }) => {
        if (context.ended) return;
        // Each is judged against the team's state before this tick's firings; their effects follow in
        // order, and a contingency those effects make due fires at the same scenario time, one step later.
        let working: TeamContext = context;
        for (const c of scenario.contingencies) {
          const due = contingencyDueAt(c, context);
          if (due === null || context.now < due) continue;
          const firing = working.contingencies[c.id];
          working = { ...working, contingencies: withEntry(working.contingencies, c.id, { firedAt: context.now, manual: false, count: (firing?.count ?? 0) + 1 }) };
          enqueue.emit({ type: 'contingency.fired', payload: { contingencyId: c.id, manual: false } });
          if (c.effects) {
            const { changes, events } = applyConsequences(working, c.effects, 'inject');
            working = { ...working, ...changes };
            for (const emitted of events) enqueue.emit(emitted);
          }
        }
        if (working !== context) {
          const { vars, score, milestones, objectives, contingencies } = working;
          enqueue.assign({ vars, score, milestones, objectives, contingencies });
        }
      }),
      /** The lead track reached an end: the team has ended, and no track has a decision open any more. */
      end: assign(({ context }, params: { nodeId: string }) => ({
        ended: { nodeId: params.nodeId, at: context.now },
        positions: Object.fromEntries(Object.entries(context.positions).map(([id, position]) => [id, { ...position, openDecision: null }])),
      })),
      /** Another track reached an end: that track is finished (and idle); the team goes on. */
      endTrack: assign(({ context }, params: { nodeId: string; track: string }) =>
        moved(context, params.track, { ended: { nodeId: params.nodeId, at: context.now }, openDecision: null }),
      ),
    },
    guards: {
      due: ({ context }, params: { at: number }) => context.now >= params.at && context.ended === null,
      condition: ({ context }, params: { when: Condition }) => evaluate(params.when, { vars: context.vars, milestones: context.milestones, choices: context.choices }),
      /** This choice; with `thenDueAt`, only if the inject it leads to is due once the choice has moved the clock (the `due` guard then). */
      isChoice: ({ context, event }, params: { decisionId: string; option: DecisionOption; thenDueAt?: number }) =>
        event.type === 'CHOOSE' &&
        event.decisionId === params.decisionId &&
        event.optionId === params.option.id &&
        optionAvailable(params.option, context) &&
        (params.thenDueAt === undefined || (Math.max(context.now, event.now ?? context.now) >= params.thenDueAt && context.ended === null)),
      timeUp: ({ context }, params: { limitMs: number; track: string }) => {
        const open = context.positions[params.track]?.openDecision;
        return open != null && context.now - open.openedAt >= params.limitMs;
      },
      rolled: ({ context }, params: { nodeId: string; outcomeId: string }) => context.rolls[params.nodeId] === params.outcomeId,
    },
  });

  /**
   * The context after an inject is delivered in its track (the `deliver` action). Only injects a
   * contingency counts from are remembered: a long run does not copy a growing map at every step.
   */
  function delivered(context: TeamContext, { nodeId, track }: Through): Partial<TeamContext> {
    return Object.assign(
      moved(context, track, { currentInject: nodeId, currentInjectAt: context.now }),
      timedFrom.has(nodeId) ? { delivered: withEntry(context.delivered, nodeId, context.now) } : {},
    );
  }

  /** The scenario ms an inject is due at (its `due` guard's). */
  const dueAt = (node: InjectNode): number => (node.at ?? 0) * MINUTE_MS;
  /** What an inject's due transition does after `deliver`: announced, then its format-1.1 effects. */
  const deliveryActions = (node: InjectNode) => [
    announce({ type: 'inject.delivered', payload: { nodeId: node.id } }),
    ...(node.effects ? [{ type: 'applyInjectEffects', params: { nodeId: node.id } } as const] : []),
  ];

  /**
   * The inject a choice leads to, when the choice can pass through it in one microstep: in a machine
   * of one track, a transition into an inject that is due at once (the common case: an inject without
   * `at`, or one whose time has come) is followed, in XState's macrostep, by the inject's own due
   * transition and nothing else (no other state is active to take an eventless transition with it).
   * Compiled as one transition straight to the inject's `next`, guarded by the choice and the inject
   * being due once the choice has moved the clock, doing the same actions in the same order (the
   * choice, the inject's entry and delivery, its announcement and effects; then the next node's
   * entry), it leaves the same state value, context, emitted events and snapshot, with one microstep
   * (and two contexts) fewer per decision. The plain transition follows it for an inject not yet due.
   * `reenter` so that a choice looping back through an inject to its own decision enters that
   * decision again, as going through the inject did. Machines with parallel tracks keep the plain
   * transitions: there, the inject's due transition is taken together with what other tracks do at
   * that time, in the order XState lists their states.
   */
  const passThrough = (next: string): InjectNode | undefined => {
    if (plain || layout.declared) return undefined;
    const node = nodeById.get(next);
    return node?.type === 'inject' ? node : undefined;
  };

  /** The states of each track (of the one track without `tracks`), keyed by track id. */
  const regions = new Map<string, Record<string, object>>(layout.tracks.map((t) => [t.id, {}]));
  scenario.timeline.forEach((node, index) => {
    const track = trackOfNode(node.id);
    const states = regions.get(track);
    if (!states) return;
    const enter = { type: 'enter', params: { nodeId: node.id } } as const;
    switch (node.type) {
      case 'inject':
        states[stateKey(index)] = {
          entry: [enter],
          always: {
            guard: { type: 'due', params: { at: dueAt(node) } },
            target: target(node.next),
            actions: [{ type: 'deliver', params: { nodeId: node.id, track } }, ...deliveryActions(node)],
          },
        };
        break;
      case 'decision': {
        const fallback = defaultOptionOf(node);
        const fallbackOption = node.options.find((o) => o.id === fallback)!;
        states[stateKey(index)] = {
          entry: [{ type: 'enterDecision', params: { nodeId: node.id, track } }, announce({ type: 'decision.opened', payload: { nodeId: node.id } })],
          on: {
            CHOOSE: node.options.flatMap((option) => {
              const plain = { guard: { type: 'isChoice', params: { decisionId: node.id, option } }, target: target(option.next), actions: chooseActions(node.id, option) } as const;
              const inject = passThrough(option.next);
              if (!inject) return [plain];
              const through = { nodeId: inject.id, track };
              return [
                {
                  guard: { type: 'isChoice', params: { decisionId: node.id, option, thenDueAt: dueAt(inject) } },
                  target: target(inject.next),
                  reenter: true,
                  actions: [...chooseActions(node.id, option, through), ...deliveryActions(inject)],
                },
                plain,
              ];
            }),
          },
          ...(node.timeLimitMinutes !== undefined
            ? {
                always: {
                  guard: { type: 'timeUp', params: { limitMs: node.timeLimitMinutes * MINUTE_MS, track } },
                  target: target(fallbackOption.next),
                  actions: [announce({ type: 'decision.timedOut', payload: { decisionId: node.id, optionId: fallback } }), ...chooseActions(node.id, fallbackOption)],
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
        states[stateKey(index)] =
          track === lead
            ? { entry: [enter, { type: 'end', params: { nodeId: node.id } }, announce({ type: 'team.ended', payload: { nodeId: node.id, result: node.result } })] }
            : { entry: [enter, { type: 'endTrack', params: { nodeId: node.id, track } }, announce({ type: 'track.ended', payload: { nodeId: node.id, result: node.result } })] };
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
      positions: Object.fromEntries(layout.tracks.map((t) => [t.id, emptyPosition()])),
      rolls: {},
      contingencies: Object.fromEntries(scenario.contingencies.map((c) => [c.id, null])),
      delivered: {},
      ended: null,
    }),
    // One track: the nodes are the machine's own states, as they always were. Parallel tracks: one
    // region per track (`t0`, `t1`, … in the author's order), each starting at its track's start.
    ...(layout.declared
      ? {
          type: 'parallel' as const,
          states: Object.fromEntries(layout.tracks.map((t, k) => [regionKey(k), { initial: target(t.start), states: regions.get(t.id)! }])) as never,
        }
      : { initial: target(scenario.start), states: regions.get(lead)! as never }),
    on: {
      TICK: { actions: ['tick', 'fireDueContingencies'] },
      MARK_MILESTONE: { actions: ['tick', 'markMilestone'] },
      FIRE_CONTINGENCY: {
        guard: ({ event }) => contingencyById.has(event.contingencyId),
        actions: ['tick', 'fireContingency'],
      },
    },
    // The per-node states are generated above; XState's config types cannot describe a
    // machine whose states are data, so they are checked by the engine tests instead.
  });

  return { machine, scenario, nodeById, contingencyById, layout };
}

export type CompiledScenario = ReturnType<typeof compileScenario>;
export type TeamMachine = CompiledScenario['machine'];
export type TeamSnapshot = SnapshotFrom<TeamMachine>;
