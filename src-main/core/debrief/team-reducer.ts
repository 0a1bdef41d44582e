/**
 * One team's part of the debrief, as a reducer over the session's log:
 * `apply` takes each counted event about the team in seq order (with when it
 * happened), `note` each observation about the team, and `finish` turns what
 * was gathered into the team's debrief. Session-wide facts (the clock, notes
 * about the whole session, who the participants are) are ./compute.ts's; what
 * the reducer needs of them comes in its `DebriefContext` and at `finish`.
 */
import { applyVariableChanges, MINUTE_MS } from '../engine/machine.ts';
import type { LogEvent, SessionConfig, TeamConfig } from '../engine/events.ts';
import { renderLivingText } from '../scenario/living-text.ts';
import type { Consequences, Contingency, Milestone, Scalar, Scenario, TimelineNode } from '../scenario/schema.ts';
import { canonicalTag, parseTag, PHASE_ALIASES, PHASES, type Phase } from '../scenario/tags.ts';
import type {
  Cause,
  ContingencyResult,
  Debrief,
  DecisionResult,
  Elapsed,
  LedTo,
  MilestoneResult,
  ObjectiveResult,
  Observation,
  TeamDebrief,
  TimelineItem,
  TrackEnding,
  TrackPath,
} from './model.ts';
import type { ScoreCeilings } from './score.ts';

/** The four milestones every scenario has, and the key times they give. */
export const KEY_MILESTONES = { detect: 'detected', contain: 'contained', eradicate: 'eradicated', recover: 'recovered' } as const;

/** A milestone's target when the session sets none: the scenario's, in scenario ms. */
export function defaultTargetMs(milestone: Pick<Milestone, 'targetMinutes'>): number {
  return Math.round(milestone.targetMinutes * MINUTE_MS);
}

/** When something happened: scenario time, active wall time and timestamp. */
export interface Reached {
  scenarioMs: number;
  wallMs: number;
  timestamp: number;
}

/** What every team's reducer reads of the session: the scenario (indexed), the session's configuration and who the participants are. */
export interface DebriefContext {
  scenario: Scenario;
  config: SessionConfig;
  nodes: ReadonlyMap<string, TimelineNode>;
  contingencies: ReadonlyMap<string, Contingency>;
  ceilings: ScoreCeilings;
  /** The track a node belongs to (`main` without parallel tracks). */
  trackOf: (nodeId: string) => string;
  /** Parallel tracks: each track's id and title, for the team's paths; null without. */
  tracks: ReadonlyArray<{ id: string; title: string }> | null;
  /** A participant's name by id (from the log so far), for "revealed on request of …". */
  participantName: (participantId: string) => string | undefined;
}

/** The session-wide facts a team's debrief is finished with. */
export interface TeamFinish {
  /** Where the session's scenario time stood at its last event (a team that did not end closes its phase there). */
  maxScenarioMs: number;
  pauses: ReadonlyArray<{ scenarioMs: number; wallDurationMs: number }>;
  jumps: Debrief['clock']['jumps'];
  /** Observations about an objective written for the whole session (they count for every team). */
  sessionObjectiveNotes: readonly Observation[];
}

type TeamEvent<T extends LogEvent['type']> = Extract<LogEvent, { type: T }>;

export class TeamReducer {
  private readonly milestones = new Map<string, Reached & { source: 'choice' | 'facilitator' | 'inject'; via: Cause | null }>();
  private readonly decisions: DecisionResult[] = [];
  /** Seq of the event that decided each decision (for following where it led). */
  private readonly decidedSeq = new Map<DecisionResult, number>();
  /** Open decisions by id (several at once with parallel tracks). */
  private readonly open = new Map<string, DecisionResult>();
  private readonly visits = new Map<string, number>();
  /** Each track's latest inject (one track, `main`, without parallel tracks). */
  private readonly currentInject = new Map<string, { id: string; title: string }>();
  /** Scenarios with parallel tracks: each track's path and ending. */
  private readonly tracks: TrackPath[] | null;
  private lastCause: Cause | null = null;
  private lastDecision: DecisionResult | null = null;
  private readonly byTag: Record<string, number> = {};
  private readonly demonstrated = new Map<string, Reached>();
  private readonly objectiveNotes: Observation[] = [];
  private readonly notes: Observation[] = [];
  private readonly contingencies: ContingencyResult[] = [];
  private readonly items: TimelineItem[] = [];
  private phase: { phase: Phase; fromMs: number } | null = null;
  private ended: TeamDebrief['ended'] = null;
  private readonly branches = new Map<string, Array<{ seq: number; next: string }>>();
  private readonly rolls = new Map<string, Array<{ seq: number; outcomeId: string }>>();
  /** The scenario's variables as the team's choices, random outcomes and (format 1.1) injects and contingencies left them; living text quoted in the debrief reads them. */
  private vars: Record<string, Scalar>;

  constructor(
    private readonly config: TeamConfig,
    private readonly context: DebriefContext,
  ) {
    this.tracks = context.tracks ? context.tracks.map((t) => ({ id: t.id, title: t.title, path: [], ended: null })) : null;
    this.vars = Object.fromEntries(context.scenario.variables.map((v) => [v.id, v.initial]));
  }

  /** An observation about this team (about one of its objectives, or not). */
  note(note: Observation): void {
    (note.objectiveId ? this.objectiveNotes : this.notes).push(note);
  }

  /** One counted event about this team, in seq order. */
  apply(event: LogEvent, reached: Reached): void {
    switch (event.type) {
      case 'evidence.revealed':
        this.evidenceRevealed(event);
        break;
      case 'inject.delivered':
        this.injectDelivered(event);
        break;
      case 'decision.opened':
        this.decisionOpened(event, reached);
        break;
      case 'decision.recorded':
      case 'decision.timedOut':
        this.decisionClosed(event, reached);
        break;
      case 'random.rolled':
        this.randomRolled(event);
        break;
      case 'branch.taken':
        this.branchTaken(event);
        break;
      case 'milestone.reached':
        this.milestoneReached(event, reached);
        break;
      case 'objective.demonstrated':
        this.objectiveDemonstrated(event, reached);
        break;
      case 'contingency.fired':
        this.contingencyFired(event, reached);
        break;
      case 'team.ended':
        this.teamEnded(event, reached);
        break;
      case 'track.ended':
        this.trackEnded(event);
        break;
      default:
        // milestone.marked and contingency.triggered are followed by the engine events that carry their effect.
        break;
    }
  }

  /** The team's debrief, once every event has been applied. */
  finish(session: TeamFinish): TeamDebrief {
    this.closePhase(this.ended?.scenarioMs ?? session.maxScenarioMs);
    for (const p of session.pauses) this.items.push({ kind: 'pause', atMs: p.scenarioMs, wallDurationMs: p.wallDurationMs });
    for (const j of session.jumps) this.items.push({ kind: 'jump', fromMs: j.fromScenarioMs, toMs: j.toScenarioMs });
    const { sessionObjectiveNotes } = session;
    const milestones: Record<string, MilestoneResult> = {};
    for (const m of this.context.scenario.milestones) {
      const targetMs = this.context.config.milestoneTargets[m.id] ?? defaultTargetMs(m);
      const r = this.milestones.get(m.id);
      milestones[m.id] = {
        id: m.id,
        label: m.label,
        scenarioMs: r?.scenarioMs ?? null,
        wallMs: r?.wallMs ?? null,
        timestamp: r?.timestamp ?? null,
        targetMs,
        met: r !== undefined && r.scenarioMs <= targetMs,
        deltaMs: r === undefined ? null : r.scenarioMs - targetMs,
        source: r?.source ?? null,
        via: r?.via ?? null,
      };
      if (r) this.items.push({ kind: 'milestone', id: m.id, label: m.label, atMs: r.scenarioMs, targetMs, met: r.scenarioMs <= targetMs });
    }
    const elapsed = (id: string): Elapsed | null => {
      const r = this.milestones.get(id);
      return r ? { scenarioMs: r.scenarioMs, wallMs: r.wallMs } : null;
    };

    for (const d of this.decisions) {
      this.items.push({ kind: 'decision', id: d.decisionId, title: d.title, fromMs: d.openedScenarioMs, toMs: d.decidedScenarioMs, status: d.status, optionLabel: d.optionLabel });
      const decidedSeq = this.decidedSeq.get(d);
      const node = this.context.nodes.get(d.decisionId);
      const option = node?.type === 'decision' && d.optionId !== null ? node.options.find((o) => o.id === d.optionId) : undefined;
      if (option && decidedSeq !== undefined) d.ledTo = this.followPath(option.next, decidedSeq);
    }

    const objectives: ObjectiveResult[] = this.context.scenario.objectives.map((o) => {
      const observations = [...this.objectiveNotes, ...sessionObjectiveNotes].filter((n) => n.objectiveId === o.id).sort((a, b) => a.seq - b.seq);
      const rated = observations.filter((n) => n.rating !== null).at(-1);
      const demonstrated = this.demonstrated.get(o.id);
      return {
        id: o.id,
        text: o.text,
        capability: o.capability ?? null,
        tags: [...o.tags],
        rating: rated?.rating ?? null,
        demonstratedScenarioMs: demonstrated?.scenarioMs ?? null,
        demonstratedWallMs: demonstrated?.wallMs ?? null,
        observations,
      };
    });

    return {
      id: this.config.id,
      name: this.config.name,
      participants: this.config.participants.map((p) => ({ name: p.name, role: p.role ?? null })),
      ended: this.ended,
      milestones,
      timeTo: {
        detect: elapsed(KEY_MILESTONES.detect),
        contain: elapsed(KEY_MILESTONES.contain),
        eradicate: elapsed(KEY_MILESTONES.eradicate),
        recover: elapsed(KEY_MILESTONES.recover),
      },
      decisions: this.decisions,
      score: this.context.ceilings.score(this.byTag),
      objectives,
      contingencies: this.contingencies,
      variables: this.vars,
      notes: this.notes,
      timeline: sortTimeline(this.items),
      ...(this.tracks ? { tracks: this.tracks } : {}),
    };
  }

  private evidenceRevealed(event: TeamEvent<'evidence.revealed'>): void {
    const { evidenceId, by, participantId } = event.payload;
    const caption = this.context.scenario.evidence.find((e) => e.id === evidenceId)?.caption ?? evidenceId;
    const requestedBy = participantId === undefined ? null : (this.context.participantName(participantId) ?? participantId);
    this.items.push({ kind: 'evidence', id: evidenceId, caption, atMs: event.scenarioMs, by, requestedBy });
  }

  private injectDelivered(event: TeamEvent<'inject.delivered'>): void {
    const node = this.context.nodes.get(event.payload.nodeId);
    const title = node && 'title' in node && node.title ? node.title : event.payload.nodeId;
    const phase = node?.type === 'inject' ? phaseOf(node.tags) : null;
    if (node?.type === 'inject') this.applyEffects(node.effects);
    this.currentInject.set(this.context.trackOf(event.payload.nodeId), { id: event.payload.nodeId, title });
    this.trackStep(event.payload.nodeId, 'inject', title, event.scenarioMs);
    this.items.push({ kind: 'inject', id: event.payload.nodeId, title, atMs: event.scenarioMs, phase });
    if (phase !== null && this.phase?.phase !== phase) {
      this.closePhase(event.scenarioMs);
      this.phase = { phase, fromMs: event.scenarioMs };
    }
  }

  private decisionOpened(event: TeamEvent<'decision.opened'>, reached: Reached): void {
    const at = reached.timestamp;
    const { wallMs } = reached;
    const decisionId = event.payload.nodeId;
    const node = this.context.nodes.get(decisionId);
    const decision = node?.type === 'decision' ? node : undefined;
    const visit = (this.visits.get(decisionId) ?? 0) + 1;
    this.visits.set(decisionId, visit);
    const entry: DecisionResult = {
      decisionId,
      title: decision?.title ?? decisionId,
      visit,
      status: 'open',
      injectId: this.currentInject.get(this.context.trackOf(decisionId))?.id ?? null,
      injectTitle: this.currentInject.get(this.context.trackOf(decisionId))?.title ?? null,
      openedScenarioMs: event.scenarioMs,
      openedWallMs: wallMs,
      openedTimestamp: at,
      decidedScenarioMs: null,
      decidedWallMs: null,
      decidedTimestamp: null,
      latencyScenarioMs: null,
      latencyWallMs: null,
      options: decision?.options.map((o) => ({ id: o.id, label: o.label, recommended: o.recommended })) ?? [],
      optionId: null,
      optionLabel: null,
      rationale: '',
      decidedBy: '',
      recommended: decision?.options.filter((o) => o.recommended).map((o) => ({ optionId: o.id, label: o.label, rationale: o.rationale ?? null })) ?? [],
      matchedRecommendation: null,
      outcome: null,
      ledTo: null,
      milestonesReached: [],
      objectivesDemonstrated: [],
      score: {},
    };
    this.decisions.push(entry);
    this.open.set(decisionId, entry);
    this.trackStep(decisionId, 'decision', entry.title, event.scenarioMs);
  }

  private decisionClosed(event: TeamEvent<'decision.recorded' | 'decision.timedOut'>, reached: Reached): void {
    const at = reached.timestamp;
    const { wallMs } = reached;
    const { decisionId, optionId } = event.payload;
    const entry = this.open.get(decisionId);
    const node = this.context.nodes.get(decisionId);
    const option = node?.type === 'decision' ? node.options.find((o) => o.id === optionId) : undefined;
    if (entry) {
      entry.status = event.type === 'decision.recorded' ? 'decided' : 'timedOut';
      entry.decidedScenarioMs = event.scenarioMs;
      entry.decidedWallMs = wallMs;
      entry.decidedTimestamp = at;
      entry.latencyScenarioMs = event.scenarioMs - entry.openedScenarioMs;
      entry.latencyWallMs = wallMs - entry.openedWallMs;
      entry.optionId = optionId;
      entry.optionLabel = option?.label ?? optionId;
      if (event.type === 'decision.recorded') {
        entry.rationale = event.payload.rationale;
        entry.decidedBy = event.payload.decidedBy;
      }
      entry.matchedRecommendation = entry.recommended.length ? entry.recommended.some((r) => r.optionId === optionId) : null;
      this.vars = applyVariableChanges(this.vars, option?.consequences);
      // The debrief shows the outcome as text (never as HTML): values go in as written.
      entry.outcome = option?.outcome === undefined ? null : renderLivingText(option.outcome, this.vars, this.context.scenario.variables, { markdown: false });
      entry.score = { ...(option?.consequences.score ?? {}) };
      this.decidedSeq.set(entry, event.seq);
      this.open.delete(decisionId);
    }
    if (!entry) this.vars = applyVariableChanges(this.vars, option?.consequences);
    this.lastCause = { kind: 'decision', nodeId: decisionId, optionId, seq: event.seq };
    this.lastDecision = entry ?? null;
    addPoints(this.byTag, option?.consequences.score);
  }

  private randomRolled(event: TeamEvent<'random.rolled'>): void {
    const node = this.context.nodes.get(event.payload.nodeId);
    const outcome = node?.type === 'random' ? node.outcomes.find((o) => o.id === event.payload.outcomeId) : undefined;
    this.vars = applyVariableChanges(this.vars, outcome?.consequences);
    this.lastCause = { kind: 'random', nodeId: event.payload.nodeId, optionId: event.payload.outcomeId, seq: event.seq };
    this.lastDecision = null;
    addPoints(this.byTag, outcome?.consequences.score);
    pushTo(this.rolls, event.payload.nodeId, { seq: event.seq, outcomeId: event.payload.outcomeId });
  }

  private branchTaken(event: TeamEvent<'branch.taken'>): void {
    pushTo(this.branches, event.payload.nodeId, { seq: event.seq, next: event.payload.next });
  }

  private milestoneReached(event: TeamEvent<'milestone.reached'>, reached: Reached): void {
    const { milestoneId, source } = event.payload;
    if (this.milestones.has(milestoneId)) return;
    const via = source === 'choice' ? this.lastCause : null;
    this.milestones.set(milestoneId, { ...reached, source, via });
    if (via?.kind === 'decision') this.lastDecision?.milestonesReached.push(milestoneId);
  }

  private objectiveDemonstrated(event: TeamEvent<'objective.demonstrated'>, reached: Reached): void {
    const { objectiveId } = event.payload;
    if (this.demonstrated.has(objectiveId)) return;
    this.demonstrated.set(objectiveId, reached);
    if (this.lastCause?.kind === 'decision') this.lastDecision?.objectivesDemonstrated.push(objectiveId);
  }

  private contingencyFired(event: TeamEvent<'contingency.fired'>, reached: Reached): void {
    const { contingencyId, manual } = event.payload;
    const c = this.context.contingencies.get(contingencyId);
    this.applyEffects(c?.effects);
    const title = c?.title ?? contingencyId;
    this.contingencies.push({ id: contingencyId, title, manual, ...reached, condition: c ? conditionOf(c) : null });
    this.items.push({ kind: 'contingency', id: contingencyId, title, atMs: event.scenarioMs, manual });
  }

  private teamEnded(event: TeamEvent<'team.ended'>, reached: Reached): void {
    const { wallMs } = reached;
    const node = this.context.nodes.get(event.payload.nodeId);
    const title = node?.type === 'end' ? node.title : event.payload.nodeId;
    this.ended = { nodeId: event.payload.nodeId, title, result: event.payload.result, scenarioMs: event.scenarioMs, wallMs };
    this.items.push({ kind: 'end', id: event.payload.nodeId, title, result: event.payload.result, atMs: event.scenarioMs });
    this.trackStep(event.payload.nodeId, 'end', title, event.scenarioMs, event.payload.result);
  }

  private trackEnded(event: TeamEvent<'track.ended'>): void {
    // A track other than the lead one finished: its ending shows on its own path, not as the team's.
    const node = this.context.nodes.get(event.payload.nodeId);
    this.trackStep(event.payload.nodeId, 'end', node?.type === 'end' ? node.title : event.payload.nodeId, event.scenarioMs, event.payload.result);
  }

  /** Where a choice led: through the branches and random events the log shows it passed, to the next node the room saw. */
  private followPath(startId: string, afterSeq: number): LedTo | null {
    const via: LedTo['via'] = [];
    let id = startId;
    let after = afterSeq;
    for (let step = 0; step < 1_000; step++) {
      const node = this.context.nodes.get(id);
      if (!node) return null;
      if (node.type === 'branch') {
        const title = node.title ?? node.id;
        const taken = firstAfter(this.branches.get(id), after);
        if (!taken) return { nodeId: id, type: 'branch', title, via };
        const target = this.context.nodes.get(taken.next);
        via.push({ nodeId: id, kind: 'branch', title, result: target && 'title' in target && target.title ? target.title : taken.next });
        id = taken.next;
        after = taken.seq;
      } else if (node.type === 'random') {
        const rolled = firstAfter(this.rolls.get(id), after);
        if (!rolled) return { nodeId: id, type: 'random', title: node.title, via };
        const outcome = node.outcomes.find((o) => o.id === rolled.outcomeId);
        via.push({ nodeId: id, kind: 'random', title: node.title, result: outcome?.label ?? rolled.outcomeId });
        if (!outcome) return null;
        id = outcome.next;
        after = rolled.seq;
      } else {
        return { nodeId: id, type: node.type, title: node.title, via };
      }
    }
    return null;
  }

  /** Format 1.1: what an inject or contingency changes as it is delivered (its milestones and objectives come as their own events). */
  private applyEffects(effects: Consequences | undefined): void {
    if (!effects) return;
    addPoints(this.byTag, effects.score);
    this.vars = applyVariableChanges(this.vars, effects);
  }

  private closePhase(atMs: number): void {
    if (!this.phase) return;
    const { phase, fromMs } = this.phase;
    this.items.push({ kind: 'phase', phase, label: PHASES[phase], fromMs, toMs: Math.max(fromMs, atMs) });
    this.phase = null;
  }

  /** Parallel tracks: a step on the path of the node's track (and the track's ending). */
  private trackStep(nodeId: string, kind: TrackPath['path'][number]['kind'], title: string, atMs: number, result?: TrackEnding['result']): void {
    const track = this.tracks?.find((t) => t.id === this.context.trackOf(nodeId));
    if (!track) return;
    track.path.push({ nodeId, kind, title, atMs });
    if (result) track.ended = { nodeId, title, result, scenarioMs: atMs };
  }
}

/** The first entry with seq > `after` (entries are in seq order). */
function firstAfter<T extends { seq: number }>(entries: readonly T[] | undefined, after: number): T | undefined {
  if (!entries) return undefined;
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (entries[mid]!.seq <= after) lo = mid + 1;
    else hi = mid;
  }
  return entries[lo];
}

function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function addPoints(total: Record<string, number>, points: Readonly<Record<string, number>> | undefined): void {
  for (const [written, value] of Object.entries(points ?? {})) {
    const tag = canonicalTag(written); // phase aliases count under their phase, as in the engine
    total[tag] = (total[tag] ?? 0) + value;
  }
}

/** The deadline a version-1 contingency steers towards; null for a format-1.1 rule trigger (a condition, or time after an inject). */
function conditionOf(c: Contingency): ContingencyResult['condition'] {
  if (!('notReached' in c.when)) return null;
  const byMs = c.when.by * MINUTE_MS;
  const target = c.when.notReached;
  return 'milestone' in target ? { kind: 'milestone', id: target.milestone, byMs } : { kind: 'objective', id: target.objective, byMs };
}

/** The canonical phase of the first phase tag, or null. */
function phaseOf(tags: readonly string[]): Phase | null {
  for (const tag of tags) {
    const parsed = parseTag(tag);
    // A phase tag's value is already canonical (parseTag folds aliases into one); looking it up types it without a cast.
    if (parsed.ok && parsed.tag.family === 'phase') return PHASE_ALIASES[parsed.tag.value] ?? null;
  }
  return null;
}

const KIND_RANK: Readonly<Record<TimelineItem['kind'], number>> = { phase: 0, jump: 1, pause: 2, inject: 3, contingency: 4, evidence: 5, decision: 6, milestone: 7, end: 8 };

function startOf(item: TimelineItem): number {
  return 'atMs' in item ? item.atMs : item.fromMs;
}

function sortTimeline(items: TimelineItem[]): TimelineItem[] {
  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => startOf(a.item) - startOf(b.item) || KIND_RANK[a.item.kind] - KIND_RANK[b.item.kind] || a.i - b.i)
    .map((x) => x.item);
}
