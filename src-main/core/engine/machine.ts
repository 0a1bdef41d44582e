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
function entered(context: TeamContext, nodeId: string, base?: TeamContext): Pick<TeamContext, 'path' | 'visits'> {
  context.path.push(nodeId);
  return { path: context.path, visits: withEntryIn(context.visits, nodeId, (context.visits[nodeId] ?? 0) + 1, base?.visits) };
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

/**
 * `withEntry`, inside one `apply` (several context changes made as one): `record` is set in place when
 * it is not `before` — the same field of the context the `apply` started from (`base`) — since it is
 * then a copy this `apply` made, which nothing else holds. The same keys in the same order as a copy
 * (a key already there keeps its place, a new one comes last), one copy per field and `apply`, not
 * one per change. Outside an `apply` (`before` undefined), a copy.
 */
function withEntryIn<V>(record: Record<string, V>, key: string, value: NoInfer<V>, before: Readonly<Record<string, V>> | undefined): Record<string, V> {
  if (before === undefined || record === before) return withEntry(record, key, value);
  record[key] = value;
  return record;
}

/** The context with one track's position changed (in place where an `apply` under way copied it already: `withEntryIn`). */
function moved(context: TeamContext, track: string, change: Partial<TrackPosition>, base?: TeamContext): Pick<TeamContext, 'positions'> {
  const position = context.positions[track]!;
  const next = base !== undefined && position !== base.positions[track] ? Object.assign(position, change) : Object.assign({}, position, change);
  return { positions: withEntryIn(context.positions, track, next, base?.positions) };
}

/** A node and the track it is in (the parameters of the actions that move a track). */
interface InTrack {
  nodeId: string;
  track: string;
}

/**
 * Whether an inject due at `atMs` is due (the `due` guard): its time has come and the team has not
 * ended. The transitions that pass through an inject (`choiceInto`) ask it of the clock as their
 * choice leaves it (`choiceTime`).
 */
function injectDue(now: number, ended: TeamContext['ended'], atMs: number): boolean {
  return now >= atMs && ended === null;
}

/** The team's clock as a choice leaves it: moved to the event's time if it carries a later one (as `tick` moves it). */
function choiceTime(context: TeamContext, event: TeamEvent): number {
  return event.now !== undefined && event.now > context.now ? event.now : context.now;
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

/**
 * What consequences change (a choice's, a roll's, an inject's effects), and the milestones and
 * objectives they reach, to announce. A part of the context they do not change is kept as it is,
 * not copied (it is never changed in place), so a choice that only adds to a variable copies only
 * the variables.
 */
function applyConsequences(context: TeamContext, consequences: Consequences, source: 'choice' | 'inject' = 'choice'): { changes: Partial<TeamContext>; events: EngineEvent[] } {
  const events: EngineEvent[] = [];
  const vars = consequences.set || consequences.add ? applyVariableChanges(context.vars, consequences) : context.vars;
  let score = context.score;
  if (consequences.score) {
    score = { ...context.score };
    for (const [written, points] of Object.entries(consequences.score)) {
      const tag = canonicalTag(written); // phase aliases count under their phase
      score[tag] = (score[tag] ?? 0) + points;
    }
  }
  let milestones = context.milestones;
  for (const id of consequences.milestones ?? []) {
    if (milestones[id] == null) {
      if (milestones === context.milestones) milestones = { ...context.milestones };
      milestones[id] = context.now;
      events.push({ type: 'milestone.reached', payload: { milestoneId: id, source } });
    }
  }
  let objectives = context.objectives;
  for (const id of consequences.objectives ?? []) {
    if (objectives[id] == null) {
      if (objectives === context.objectives) objectives = { ...context.objectives };
      objectives[id] = context.now;
      events.push({ type: 'objective.demonstrated', payload: { objectiveId: id } });
    }
  }
  return { changes: { vars, score, milestones, objectives }, events };
}

/** An action of the compiled machine as a state's config lists it: a named action and its parameters. */
interface Action {
  readonly type: string;
  readonly params?: object;
}

/**
 * The actions that change the context and nothing else (no event announced), as pure functions of the
 * context (and, for a choice, the event's time): consecutive ones are made in one `apply` (`fused`).
 */
type Step =
  | { type: 'enter'; params: { nodeId: string } }
  | { type: 'enterDecision'; params: InTrack }
  | { type: 'deliver'; params: InTrack }
  | { type: 'choose'; params: { decisionId: string; option: DecisionOption } }
  | { type: 'roll'; params: { nodeId: string } }
  | { type: 'end'; params: { nodeId: string } }
  | { type: 'endTrack'; params: InTrack };
const STEP_TYPES: ReadonlySet<string> = new Set<Step['type']>(['enter', 'enterDecision', 'deliver', 'choose', 'roll', 'end', 'endTrack']);
const isStep = (action: Action): action is Step => STEP_TYPES.has(action.type);

/** The action that announces an engine event (module-level: compiling makes one per node, no closure each). */
function announce(event: EngineEvent): Action {
  return { type: 'announce', params: { event } };
}

/**
 * The same actions with each run of context changes (`Step`s) made as one `apply`, one change of the
 * context (XState copies the context and the snapshot at every `assign`). An announcement of a fixed
 * event between two changes is made after them: it reads no context and changes none, so the
 * context after, and the order the events are announced in, are the same. Any other action (one that
 * reads the context to announce, or an `enqueueActions`) ends the run, in its place.
 */
function fused(actions: readonly Action[]): Action[] {
  const out: Action[] = [];
  let steps: Step[] = [];
  let said: Action[] = [];
  const flush = () => {
    if (steps.length === 1) out.push(steps[0]!);
    else if (steps.length > 1) out.push({ type: 'apply', params: { steps } });
    out.push(...said);
    steps = [];
    said = [];
  };
  for (const action of actions) {
    if (isStep(action)) steps.push(action);
    else if (action.type === 'announce') said.push(action);
    else {
      flush();
      out.push(action);
    }
  }
  flush();
  return out;
}

/**
 * The actions that record a choice: the milestones and objectives it reaches announced first (only for
 * an option whose consequences name some: judged on the context before the choice, in the order
 * `applyConsequences` gives them), then the choice recorded, one change of the context.
 */
function chooseActions(decisionId: string, option: DecisionOption): Action[] {
  const choose: Step = { type: 'choose', params: { decisionId, option } };
  const reaches = (option.consequences.milestones?.length ?? 0) + (option.consequences.objectives?.length ?? 0) > 0;
  return reaches ? [{ type: 'announceReached', params: { option } }, choose] : [choose];
}

/**
 * Compiles a validated scenario into the machine that runs one team through it. `plain` compiles it
 * as every recorded log was made — each node's entry actions on its state, one state entered per
 * microstep, one `assign` per action — without what makes a machine of one track cheaper to step
 * (`oneTrack` below): the reference `tests/unit/engine-pass-through.test.ts` holds it to.
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
      enter: assign(({ context, event }, params: { nodeId: string }) => changed(context, event, { type: 'enter', params })),
      /** Entering a decision: the bookkeeping and the decision opening, in one change of the context. */
      enterDecision: assign(({ context, event }, params: InTrack) => changed(context, event, { type: 'enterDecision', params })),
      tick: assign(({ context, event }) => (event.now !== undefined ? { now: Math.max(context.now, event.now) } : {})),
      deliver: assign(({ context, event }, params: InTrack) => changed(context, event, { type: 'deliver', params })),
      /** Several context changes (`fused`), made in order on one copy of the context, as one change. */
      apply: assign(({ context, event }, params: { steps: readonly Step[] }) => {
        const working = Object.assign({}, context);
        for (const step of params.steps) Object.assign(working, changed(working, event, step, context));
        return working;
      }),
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
      choose: assign(({ context, event }, params: { decisionId: string; option: DecisionOption }) => changed(context, event, { type: 'choose', params })),
      /** What a choice reaches (`chooseActions`), announced before `choose` records it. */
      announceReached: enqueueActions(({ context, enqueue }, params: { option: DecisionOption }) => {
        for (const event of applyConsequences(context, params.option.consequences).events) enqueue.emit(event);
      }),
      roll: assign(({ context, event }, params: { nodeId: string }) => changed(context, event, { type: 'roll', params })),
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
      end: assign(({ context, event }, params: { nodeId: string }) => changed(context, event, { type: 'end', params })),
      endTrack: assign(({ context, event }, params: InTrack) => changed(context, event, { type: 'endTrack', params })),
    },
    guards: {
      due: ({ context }, params: { at: number }) => injectDue(context.now, context.ended, params.at),
      condition: ({ context }, params: { when: Condition }) => evaluate(params.when, { vars: context.vars, milestones: context.milestones, choices: context.choices }),
      /** This choice; with `thenDueAt`, only if the inject it leads to is due once the choice has moved the clock (the `due` guard then). */
      isChoice: ({ context, event }, params: { decisionId: string; option: DecisionOption; thenDueAt?: number }) =>
        event.type === 'CHOOSE' &&
        event.decisionId === params.decisionId &&
        event.optionId === params.option.id &&
        optionAvailable(params.option, context) &&
        (params.thenDueAt === undefined || injectDue(choiceTime(context, event), context.ended, params.thenDueAt)),
      /**
       * The open decision's time is up; with `thenDueAt`, only if the inject its default option leads to
       * is due once the default is chosen (the clock as `choose` leaves it, as for `isChoice`).
       */
      timeUp: ({ context, event }, params: { limitMs: number; track: string; thenDueAt?: number }) => {
        const open = context.positions[params.track]?.openDecision;
        return (
          open != null &&
          context.now - open.openedAt >= params.limitMs &&
          (params.thenDueAt === undefined || injectDue(choiceTime(context, event), context.ended, params.thenDueAt))
        );
      },
      rolled: ({ context }, params: { nodeId: string; outcomeId: string }) => context.rolls[params.nodeId] === params.outcomeId,
    },
  });

  /**
   * The context after an inject is delivered in its track (the `deliver` action). Only injects a
   * contingency counts from are remembered: a long run does not copy a growing map at every step.
   */
  function delivered(context: TeamContext, { nodeId, track }: InTrack, base?: TeamContext): Partial<TeamContext> {
    return Object.assign(
      moved(context, track, { currentInject: nodeId, currentInjectAt: context.now }, base),
      timedFrom.has(nodeId) ? { delivered: withEntryIn(context.delivered, nodeId, context.now, base?.delivered) } : {},
    );
  }

  /**
   * What one context change (`Step`) changes, from `context`, for `event`. Inside an `apply`, `base` is
   * the context it started from, and what it copied since is changed in place (`withEntryIn`).
   */
  function changed(context: TeamContext, event: TeamEvent, step: Step, base?: TeamContext): Partial<TeamContext> {
    switch (step.type) {
      case 'enter':
        return entered(context, step.params.nodeId, base);
      case 'enterDecision': {
        const { nodeId, track } = step.params;
        return Object.assign(entered(context, nodeId, base), moved(context, track, { openDecision: { id: nodeId, openedAt: context.now } }, base));
      }
      case 'deliver':
        return delivered(context, step.params, base);
      case 'choose': {
        // A choice (by command, or the default when time is up), at the command's scenario time if it carries one (as `tick` moves it).
        const { decisionId, option } = step.params;
        const now = choiceTime(context, event);
        const at = now === context.now ? context : Object.assign({}, context, { now });
        const { changes } = applyConsequences(at, option.consequences);
        return Object.assign(changes, moved(at, trackOfNode(decisionId), { openDecision: null }, base), {
          choices: withEntryIn(at.choices, decisionId, option.id, base?.choices),
          now: at.now,
        });
      }
      case 'roll': {
        const node = nodeById.get(step.params.nodeId);
        if (node?.type !== 'random') return {};
        const visit = context.visits[node.id] ?? 1;
        const index = pickWeighted(
          node.outcomes.map((o) => o.weight),
          rollFor(context.seed, context.teamId, node.id, visit),
        );
        return { rolls: withEntryIn(context.rolls, node.id, node.outcomes[index]!.id, base?.rolls) };
      }
      case 'end':
        // The lead track reached an end: the team has ended, and no track has a decision open any more.
        return {
          ended: { nodeId: step.params.nodeId, at: context.now },
          positions: Object.fromEntries(Object.entries(context.positions).map(([id, position]) => [id, { ...position, openDecision: null }])),
        };
      case 'endTrack':
        // Another track reached an end: that track is finished (and idle); the team goes on.
        return moved(context, step.params.track, { ended: { nodeId: step.params.nodeId, at: context.now }, openDecision: null }, base);
    }
  }

  /**
   * A machine of one track (not `plain`) is compiled to take fewer microsteps and fewer copies of its
   * context, leaving the same state value, context, emitted events (in the same order) and snapshot
   * after every event (`tests/unit/engine-pass-through.test.ts` holds it to the plain machine):
   * - What entering a node does is done by every transition into it, after its own actions (and by
   *   the machine's initial transition for the start node), instead of by the node's state: with one
   *   track, a transition exits its source and enters its target and nothing else, in that order, so
   *   the actions run in the same order. (A transition into its own source does not enter it.)
   * - A transition into an inject that is due at once (the common case: an inject without `at`, or
   *   one whose time has come) is followed, in XState's macrostep, by the inject's due transition and
   *   nothing else (no other state is active to take an eventless transition with it). A choice, or a
   *   decision's time running out, passes through such an inject: one transition straight to the
   *   inject's `next`, guarded by the inject being due after the choice has moved the clock, doing the
   *   inject's entry and delivery after the choice. The plain transition follows for an inject not yet
   *   due. A choice looping back through an inject to its own decision is a transition into its own
   *   source, which XState neither exits nor enters: it does the decision's entry as going through
   *   the inject did (`into` adds it, since the inject is the node it comes from).
   * - Each transition's run of context changes is one `apply` (`fused`).
   * Machines with parallel tracks keep the plain form: there, what several tracks do at one time is
   * done together, in the order XState lists their states.
   */
  const oneTrack = !plain && !layout.declared;

  /** What entering a node does (its state's entry actions in the plain form). */
  const entryOf = (node: TimelineNode): Action[] => {
    const track = trackOfNode(node.id);
    const enter: Step = { type: 'enter', params: { nodeId: node.id } };
    switch (node.type) {
      case 'decision':
        return [{ type: 'enterDecision', params: { nodeId: node.id, track } }, announce({ type: 'decision.opened', payload: { nodeId: node.id } })];
      case 'random':
        return [enter, { type: 'roll', params: { nodeId: node.id } }];
      case 'end':
        return track === lead
          ? [enter, { type: 'end', params: { nodeId: node.id } }, announce({ type: 'team.ended', payload: { nodeId: node.id, result: node.result } })]
          : [enter, { type: 'endTrack', params: { nodeId: node.id, track } }, announce({ type: 'track.ended', payload: { nodeId: node.id, result: node.result } })];
      default:
        return [enter];
    }
  };

  /** The scenario ms an inject is due at (its `due` guard's). */
  const dueAt = (node: InjectNode): number => (node.at ?? 0) * MINUTE_MS;
  /** What an inject's due transition does: delivered, announced, then its format-1.1 effects. */
  const deliveryActions = (node: InjectNode): Action[] => [
    { type: 'deliver', params: { nodeId: node.id, track: trackOfNode(node.id) } },
    announce({ type: 'inject.delivered', payload: { nodeId: node.id } }),
    ...(node.effects ? [{ type: 'applyInjectEffects', params: { nodeId: node.id } }] : []),
  ];

  /**
   * A transition from `source` into node `next` doing `actions` (one track: then what entering `next` does).
   * Every transition into a node is made here: in the one-track form a node's state has no entry actions,
   * so a transition written without `into` would skip the node's entry work, with nothing to say so.
   * `owner` is the node whose state the transition is on (`source` unless it passes through `source`).
   * One track: a transition back into its owner's state has no target. XState neither exits nor enters
   * the state a transition targets when that is its own source (it is not `reenter`), so the state value,
   * context, events and snapshot are those of the targeted transition; without a target XState skips
   * working out what to exit and enter (the looping decision of the record bench takes one at every choice).
   * That holds because a one-track state is atomic, with no entry or exit actions, no history and no `after`:
   * a state with children would have them left and entered again by the targeted form, not by this one.
   */
  const into = (source: TimelineNode, next: string, actions: Action[], owner: TimelineNode = source) => {
    if (!oneTrack) return { target: target(next), actions };
    const all = fused(next === source.id ? actions : [...actions, ...entryOf(nodeById.get(next)!)]);
    return next === owner.id ? { actions: all } : { target: target(next), actions: all };
  };

  /**
   * The transitions for a choice of `source` (or its time running out) into `next` doing `actions`,
   * guarded by `guard`: one track and `next` an inject, first the one passing through it when it is
   * due (its guard given `thenDueAt`), then the plain one.
   */
  const choiceInto = (source: TimelineNode, next: string, guard: { type: string; params: object }, actions: Action[]) => {
    const plainOne = { guard, ...into(source, next, actions) };
    const inject = nodeById.get(next);
    if (!oneTrack || inject?.type !== 'inject') return [plainOne];
    const passing = {
      guard: { type: guard.type, params: { ...guard.params, thenDueAt: dueAt(inject) } },
      ...into(inject, inject.next, [...actions, ...entryOf(inject), ...deliveryActions(inject)], source),
    };
    return [passing, plainOne];
  };

  /** The states of each track (of the one track without `tracks`), keyed by track id. */
  const regions = new Map<string, Record<string, object>>(layout.tracks.map((t) => [t.id, {}]));
  scenario.timeline.forEach((node, index) => {
    const track = trackOfNode(node.id);
    const states = regions.get(track);
    if (!states) return;
    const entry = oneTrack ? [] : entryOf(node);
    switch (node.type) {
      case 'inject':
        states[stateKey(index)] = {
          entry,
          always: { guard: { type: 'due', params: { at: dueAt(node) } }, ...into(node, node.next, deliveryActions(node)) },
        };
        break;
      case 'decision': {
        const fallback = defaultOptionOf(node);
        const fallbackOption = node.options.find((o) => o.id === fallback)!;
        states[stateKey(index)] = {
          entry,
          on: {
            CHOOSE: node.options.flatMap((option) => choiceInto(node, option.next, { type: 'isChoice', params: { decisionId: node.id, option } }, chooseActions(node.id, option))),
          },
          ...(node.timeLimitMinutes !== undefined
            ? {
                always: choiceInto(node, fallbackOption.next, { type: 'timeUp', params: { limitMs: node.timeLimitMinutes * MINUTE_MS, track } }, [
                  announce({ type: 'decision.timedOut', payload: { decisionId: node.id, optionId: fallback } }),
                  ...chooseActions(node.id, fallbackOption),
                ]),
              }
            : {}),
        };
        break;
      }
      case 'branch':
        states[stateKey(index)] = {
          entry,
          always: [
            ...node.cases.map((c) => ({
              guard: { type: 'condition', params: { when: c.when } },
              ...into(node, c.next, [announce({ type: 'branch.taken', payload: { nodeId: node.id, next: c.next } })]),
            })),
            into(node, node.otherwise, [announce({ type: 'branch.taken', payload: { nodeId: node.id, next: node.otherwise } })]),
          ],
        };
        break;
      case 'random':
        states[stateKey(index)] = {
          entry,
          always: node.outcomes.map((outcome) => ({
            guard: { type: 'rolled', params: { nodeId: node.id, outcomeId: outcome.id } },
            ...into(node, outcome.next, [
              announce({ type: 'random.rolled', payload: { nodeId: node.id, outcomeId: outcome.id } }),
              { type: 'applyOutcome', params: { nodeId: node.id, outcomeId: outcome.id } },
            ]),
          })),
        };
        break;
      case 'end':
        states[stateKey(index)] = { entry };
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
      : {
          // One track: entering the start node is the initial transition's work (see `oneTrack`).
          initial: (oneTrack ? { target: target(scenario.start), actions: fused(entryOf(nodeById.get(scenario.start)!)) } : target(scenario.start)) as never,
          states: regions.get(lead)! as never,
        }),
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
