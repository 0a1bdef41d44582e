/**
 * `computeDebrief(scenario, events)`: the debrief of a session, computed in
 * one pass over its event log (plus a short finishing pass). Pure: the same
 * scenario and log always give the same debrief, so an exported log can be
 * re-checked against the metrics exported with it.
 *
 * Time conventions (scenario time, active wall time, timestamps) are those of
 * ./model.ts.
 */
import { participationDebrief } from './participation.ts';
import { countedEvents } from '../engine/corrections.ts';
import { applyVariableChanges } from '../engine/machine.ts';
import type { LogEvent, SessionConfig, TeamConfig } from '../engine/events.ts';
import { renderLivingText } from '../scenario/living-text.ts';
import type { Consequences, Contingency, Scalar, Scenario, TimelineNode } from '../scenario/schema.ts';
import { canonicalTag, parseTag, PHASES } from '../scenario/tags.ts';
import { trackLayout } from '../scenario/tracks.ts';
import { ActiveTime } from './active-time.ts';
import {
  DEBRIEF_FORMAT_VERSION,
  type Cause,
  type Comparison,
  type ContingencyResult,
  type Debrief,
  type DecisionResult,
  type Elapsed,
  type LedTo,
  type MilestoneResult,
  type ObjectiveResult,
  type Observation,
  type TeamDebrief,
  type TimelineItem,
  type TrackEnding,
  type TrackPath,
} from './model.ts';
import { SCORE_GROUP_LABELS, SCORE_GROUPS, ScoreCeilings } from './score.ts';

const MINUTE_MS = 60_000;

/** The log cannot be read as a session (it does not begin with `session.created`). */
export class DebriefError extends Error {
  override name = 'DebriefError';
}

/** The four milestones every scenario has, and the key times they give. */
export const KEY_MILESTONES = { detect: 'detected', contain: 'contained', eradicate: 'eradicated', recover: 'recovered' } as const;

interface Reached {
  scenarioMs: number;
  wallMs: number;
  timestamp: number;
}

interface TeamAccumulator {
  config: TeamConfig;
  milestones: Map<string, Reached & { source: 'choice' | 'facilitator' | 'inject'; via: Cause | null }>;
  decisions: DecisionResult[];
  /** Seq of the event that decided each decision (for following where it led). */
  decidedSeq: Map<DecisionResult, number>;
  /** Open decisions by id (several at once with parallel tracks). */
  open: Map<string, DecisionResult>;
  visits: Map<string, number>;
  /** Each track's latest inject (one track, `main`, without parallel tracks). */
  currentInject: Map<string, { id: string; title: string }>;
  /** Scenarios with parallel tracks: each track's path and ending. */
  tracks: TrackPath[] | null;
  lastCause: Cause | null;
  lastDecision: DecisionResult | null;
  byTag: Record<string, number>;
  demonstrated: Map<string, Reached>;
  objectiveNotes: Observation[];
  notes: Observation[];
  contingencies: ContingencyResult[];
  items: TimelineItem[];
  phase: { phase: string; fromMs: number } | null;
  ended: TeamDebrief['ended'];
  branches: Map<string, Array<{ seq: number; next: string }>>;
  rolls: Map<string, Array<{ seq: number; outcomeId: string }>>;
  /** The scenario's variables as the team's choices, random outcomes and (format 1.1) injects and contingencies left them; living text quoted in the debrief reads them. */
  vars: Record<string, Scalar>;
}

/** The debrief of a session: its scenario and its whole event log (in seq order, beginning with `session.created`). */
export function computeDebrief(scenario: Scenario, events: readonly LogEvent[]): Debrief {
  const first = events[0];
  if (!first || first.type !== 'session.created') throw new DebriefError('The event log does not begin with session.created.');
  const config: SessionConfig = first.payload;
  const nodes = new Map<string, TimelineNode>(scenario.timeline.map((n) => [n.id, n]));
  const contingencies = new Map<string, Contingency>(scenario.contingencies.map((c) => [c.id, c]));
  const ceilings = ScoreCeilings.for(scenario);
  const layout = trackLayout(scenario);
  const trackOfNode = (nodeId: string): string => layout.trackOf(nodeId) ?? layout.tracks[0]!.id;
  /** Parallel tracks: a step on the path of the node's track (and the track's ending). */
  const trackStep = (team: TeamAccumulator, nodeId: string, kind: TrackPath['path'][number]['kind'], title: string, atMs: number, result?: TrackEnding['result']) => {
    const track = team.tracks?.find((t) => t.id === trackOfNode(nodeId));
    if (!track) return;
    track.path.push({ nodeId, kind, title, atMs });
    if (result) track.ended = { nodeId, title, result, scenarioMs: atMs };
  };
  const clock = new ActiveTime(config.speed);
  const speedChanges: Debrief['clock']['speedChanges'] = [];
  const jumps: Debrief['clock']['jumps'] = [];
  const sessionObjectiveNotes: Observation[] = [];
  const sessionNotes: Observation[] = [];
  let endReason: string | null = null;
  let maxScenarioMs = 0;

  const teams = new Map<string, TeamAccumulator>(
    config.teams.map((team) => [
      team.id,
      {
        config: team,
        milestones: new Map(),
        decisions: [],
        decidedSeq: new Map(),
        open: new Map(),
        visits: new Map(),
        currentInject: new Map(),
        tracks: layout.declared ? layout.tracks.map((t) => ({ id: t.id, title: t.title ?? t.id, path: [], ended: null })) : null,
        lastCause: null,
        lastDecision: null,
        byTag: {},
        demonstrated: new Map(),
        objectiveNotes: [],
        notes: [],
        contingencies: [],
        items: [],
        phase: null,
        ended: null,
        branches: new Map(),
        rolls: new Map(),
        vars: Object.fromEntries(scenario.variables.map((v) => [v.id, v.initial])),
      },
    ]),
  );
  /** participant id -> name, for "revealed on request of …". */
  const participantNames = new Map<string, string>();

  // Undone actions (and what they caused) are not part of the exercise's record of what happened.
  for (const event of countedEvents(events)) {
    maxScenarioMs = Math.max(maxScenarioMs, event.scenarioMs);
    // When it happened, and its active time, read before a clock event at that moment changes the clock.
    const at = clock.timestampOf(event);
    const wallMs = clock.activeAt(at);
    const reached: Reached = { scenarioMs: event.scenarioMs, wallMs, timestamp: at };

    if (event.type === 'clock.speedChanged') {
      speedChanges.push({ scenarioMs: event.scenarioMs, wallMs, timestamp: at, from: clock.speed, to: event.payload.speed });
    } else if (event.type === 'clock.jumped') {
      jumps.push({ fromScenarioMs: clock.scenarioAt(at), toScenarioMs: event.payload.toScenarioMs, wallMs, timestamp: at });
    } else if (event.type === 'session.ended') {
      endReason = event.payload.reason;
    }
    if (clock.apply(event)) continue;

    if (event.type === 'note.added') {
      const note: Observation = {
        seq: event.seq,
        teamId: event.teamId,
        objectiveId: event.payload.objectiveId ?? null,
        scenarioMs: event.scenarioMs,
        wallMs,
        timestamp: at,
        text: event.payload.text,
        rating: event.payload.rating ?? null,
        author: event.payload.author ?? null,
      };
      const team = event.teamId === null ? undefined : teams.get(event.teamId);
      if (event.teamId === null) (note.objectiveId ? sessionObjectiveNotes : sessionNotes).push(note);
      else if (team) (note.objectiveId ? team.objectiveNotes : team.notes).push(note);
      continue;
    }

    if (event.type === 'participant.joined') participantNames.set(event.payload.participantId, event.payload.name);
    const team = event.teamId === null ? undefined : teams.get(event.teamId);
    if (!team) continue;
    switch (event.type) {
      case 'evidence.revealed': {
        const { evidenceId, by, participantId } = event.payload;
        const caption = scenario.evidence.find((e) => e.id === evidenceId)?.caption ?? evidenceId;
        const requestedBy = participantId === undefined ? null : (participantNames.get(participantId) ?? participantId);
        team.items.push({ kind: 'evidence', id: evidenceId, caption, atMs: event.scenarioMs, by, requestedBy });
        break;
      }
      case 'inject.delivered': {
        const node = nodes.get(event.payload.nodeId);
        const title = node && 'title' in node && node.title ? node.title : event.payload.nodeId;
        const phase = node?.type === 'inject' ? phaseOf(node.tags) : null;
        if (node?.type === 'inject') applyEffects(team, node.effects);
        team.currentInject.set(trackOfNode(event.payload.nodeId), { id: event.payload.nodeId, title });
        trackStep(team, event.payload.nodeId, 'inject', title, event.scenarioMs);
        team.items.push({ kind: 'inject', id: event.payload.nodeId, title, atMs: event.scenarioMs, phase });
        if (phase !== null && team.phase?.phase !== phase) {
          closePhase(team, event.scenarioMs);
          team.phase = { phase, fromMs: event.scenarioMs };
        }
        break;
      }
      case 'decision.opened': {
        const decisionId = event.payload.nodeId;
        const node = nodes.get(decisionId);
        const decision = node?.type === 'decision' ? node : undefined;
        const visit = (team.visits.get(decisionId) ?? 0) + 1;
        team.visits.set(decisionId, visit);
        const entry: DecisionResult = {
          decisionId,
          title: decision?.title ?? decisionId,
          visit,
          status: 'open',
          injectId: team.currentInject.get(trackOfNode(decisionId))?.id ?? null,
          injectTitle: team.currentInject.get(trackOfNode(decisionId))?.title ?? null,
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
        team.decisions.push(entry);
        team.open.set(decisionId, entry);
        trackStep(team, decisionId, 'decision', entry.title, event.scenarioMs);
        break;
      }
      case 'decision.recorded':
      case 'decision.timedOut': {
        const { decisionId, optionId } = event.payload;
        const entry = team.open.get(decisionId);
        const node = nodes.get(decisionId);
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
          team.vars = applyVariableChanges(team.vars, option?.consequences);
          // The debrief shows the outcome as text (never as HTML): values go in as written.
          entry.outcome = option?.outcome === undefined ? null : renderLivingText(option.outcome, team.vars, scenario.variables, { markdown: false });
          entry.score = { ...(option?.consequences.score ?? {}) };
          team.decidedSeq.set(entry, event.seq);
          team.open.delete(decisionId);
        }
        if (!entry) team.vars = applyVariableChanges(team.vars, option?.consequences);
        team.lastCause = { kind: 'decision', nodeId: decisionId, optionId, seq: event.seq };
        team.lastDecision = entry ?? null;
        addPoints(team.byTag, option?.consequences.score);
        break;
      }
      case 'random.rolled': {
        const node = nodes.get(event.payload.nodeId);
        const outcome = node?.type === 'random' ? node.outcomes.find((o) => o.id === event.payload.outcomeId) : undefined;
        team.vars = applyVariableChanges(team.vars, outcome?.consequences);
        team.lastCause = { kind: 'random', nodeId: event.payload.nodeId, optionId: event.payload.outcomeId, seq: event.seq };
        team.lastDecision = null;
        addPoints(team.byTag, outcome?.consequences.score);
        pushTo(team.rolls, event.payload.nodeId, { seq: event.seq, outcomeId: event.payload.outcomeId });
        break;
      }
      case 'branch.taken':
        pushTo(team.branches, event.payload.nodeId, { seq: event.seq, next: event.payload.next });
        break;
      case 'milestone.reached': {
        const { milestoneId, source } = event.payload;
        if (team.milestones.has(milestoneId)) break;
        const via = source === 'choice' ? team.lastCause : null;
        team.milestones.set(milestoneId, { ...reached, source, via });
        if (via?.kind === 'decision') team.lastDecision?.milestonesReached.push(milestoneId);
        break;
      }
      case 'objective.demonstrated': {
        const { objectiveId } = event.payload;
        if (team.demonstrated.has(objectiveId)) break;
        team.demonstrated.set(objectiveId, reached);
        if (team.lastCause?.kind === 'decision') team.lastDecision?.objectivesDemonstrated.push(objectiveId);
        break;
      }
      case 'contingency.fired': {
        const { contingencyId, manual } = event.payload;
        const c = contingencies.get(contingencyId);
        applyEffects(team, c?.effects);
        const title = c?.title ?? contingencyId;
        team.contingencies.push({ id: contingencyId, title, manual, ...reached, condition: c ? conditionOf(c) : null });
        team.items.push({ kind: 'contingency', id: contingencyId, title, atMs: event.scenarioMs, manual });
        break;
      }
      case 'team.ended': {
        const node = nodes.get(event.payload.nodeId);
        const title = node?.type === 'end' ? node.title : event.payload.nodeId;
        team.ended = { nodeId: event.payload.nodeId, title, result: event.payload.result, scenarioMs: event.scenarioMs, wallMs };
        team.items.push({ kind: 'end', id: event.payload.nodeId, title, result: event.payload.result, atMs: event.scenarioMs });
        trackStep(team, event.payload.nodeId, 'end', title, event.scenarioMs, event.payload.result);
        break;
      }
      case 'track.ended': {
        // A track other than the lead one finished: its ending shows on its own path, not as the team's.
        const node = nodes.get(event.payload.nodeId);
        trackStep(team, event.payload.nodeId, 'end', node?.type === 'end' ? node.title : event.payload.nodeId, event.scenarioMs, event.payload.result);
        break;
      }
      default:
        // milestone.marked and contingency.triggered are followed by the engine events that carry their effect.
        break;
    }
  }

  const last = events.at(-1)!;
  const endTimestamp = clock.endedAt ?? last.wallMs;
  const startedAt = clock.startedAt;
  const pauses = clock.pauses.map((p) => ({ ...p, wallDurationMs: Math.max(0, (p.toTimestamp ?? endTimestamp) - p.fromTimestamp) }));
  const status: Debrief['session']['status'] = clock.endedAt !== null ? 'ended' : startedAt === null ? 'setup' : clock.paused ? 'paused' : 'running';

  const teamDebriefs = [...teams.values()].map((team) => {
    const endMs = team.ended?.scenarioMs ?? maxScenarioMs;
    closePhase(team, endMs);
    for (const p of pauses) team.items.push({ kind: 'pause', atMs: p.scenarioMs, wallDurationMs: p.wallDurationMs });
    for (const j of jumps) team.items.push({ kind: 'jump', fromMs: j.fromScenarioMs, toMs: j.toScenarioMs });
    return finishTeam(team, scenario, config, nodes, ceilings, sessionObjectiveNotes);
  });

  return {
    formatVersion: DEBRIEF_FORMAT_VERSION,
    session: {
      id: first.sessionId,
      name: config.name,
      facilitator: config.facilitator,
      sensitivity: config.sensitivity,
      scenarioId: config.scenarioId,
      scenarioVersion: config.scenarioVersion,
      scenarioTitle: scenario.meta.title,
      scenarioSha256: config.scenarioSha256,
      seed: config.seed,
      status,
      createdTimestamp: first.wallMs,
      startedTimestamp: startedAt,
      endedTimestamp: clock.endedAt,
      endReason,
      durationScenarioMs: maxScenarioMs,
      elapsedWallMs: startedAt === null ? 0 : Math.max(0, endTimestamp - startedAt),
      activeWallMs: clock.activeAt(endTimestamp),
      eventCount: events.length,
      lastSeq: last.seq,
      lastHash: last.hash,
    },
    clock: {
      initialSpeed: config.speed,
      pauses: { count: pauses.length, totalWallMs: pauses.reduce((sum, p) => sum + p.wallDurationMs, 0), items: pauses },
      speedChanges,
      jumps,
    },
    teams: teamDebriefs,
    comparison: compareTeams(scenario, teamDebriefs),
    notes: sessionNotes,
    participation: participationDebrief(scenario, config, events),
  };
}

function finishTeam(
  team: TeamAccumulator,
  scenario: Scenario,
  config: SessionConfig,
  nodes: ReadonlyMap<string, TimelineNode>,
  ceilings: ScoreCeilings,
  sessionObjectiveNotes: readonly Observation[],
): TeamDebrief {
  const milestones: Record<string, MilestoneResult> = {};
  for (const m of scenario.milestones) {
    const targetMs = config.milestoneTargets[m.id] ?? Math.round(m.targetMinutes * MINUTE_MS);
    const r = team.milestones.get(m.id);
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
    if (r) team.items.push({ kind: 'milestone', id: m.id, label: m.label, atMs: r.scenarioMs, targetMs, met: r.scenarioMs <= targetMs });
  }
  const elapsed = (id: string): Elapsed | null => {
    const r = team.milestones.get(id);
    return r ? { scenarioMs: r.scenarioMs, wallMs: r.wallMs } : null;
  };

  for (const d of team.decisions) {
    team.items.push({ kind: 'decision', id: d.decisionId, title: d.title, fromMs: d.openedScenarioMs, toMs: d.decidedScenarioMs, status: d.status, optionLabel: d.optionLabel });
    const decidedSeq = team.decidedSeq.get(d);
    const node = nodes.get(d.decisionId);
    const option = node?.type === 'decision' && d.optionId !== null ? node.options.find((o) => o.id === d.optionId) : undefined;
    if (option && decidedSeq !== undefined) d.ledTo = followPath(team, nodes, option.next, decidedSeq);
  }

  const objectives: ObjectiveResult[] = scenario.objectives.map((o) => {
    const observations = [...team.objectiveNotes, ...sessionObjectiveNotes].filter((n) => n.objectiveId === o.id).sort((a, b) => a.seq - b.seq);
    const rated = observations.filter((n) => n.rating !== null).at(-1);
    const demonstrated = team.demonstrated.get(o.id);
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
    id: team.config.id,
    name: team.config.name,
    participants: team.config.participants.map((p) => ({ name: p.name, role: p.role ?? null })),
    ended: team.ended,
    milestones,
    timeTo: {
      detect: elapsed(KEY_MILESTONES.detect),
      contain: elapsed(KEY_MILESTONES.contain),
      eradicate: elapsed(KEY_MILESTONES.eradicate),
      recover: elapsed(KEY_MILESTONES.recover),
    },
    decisions: team.decisions,
    score: ceilings.score(team.byTag),
    objectives,
    contingencies: team.contingencies,
    variables: team.vars,
    notes: team.notes,
    timeline: sortTimeline(team.items),
    ...(team.tracks ? { tracks: team.tracks } : {}),
  };
}

/** Where a choice led: through the branches and random events the log shows it passed, to the next node the room saw. */
function followPath(team: TeamAccumulator, nodes: ReadonlyMap<string, TimelineNode>, startId: string, afterSeq: number): LedTo | null {
  const via: LedTo['via'] = [];
  let id = startId;
  let after = afterSeq;
  for (let step = 0; step < 1_000; step++) {
    const node = nodes.get(id);
    if (!node) return null;
    if (node.type === 'branch') {
      const title = node.title ?? node.id;
      const taken = firstAfter(team.branches.get(id), after);
      if (!taken) return { nodeId: id, type: 'branch', title, via };
      const target = nodes.get(taken.next);
      via.push({ nodeId: id, kind: 'branch', title, result: target && 'title' in target && target.title ? target.title : taken.next });
      id = taken.next;
      after = taken.seq;
    } else if (node.type === 'random') {
      const rolled = firstAfter(team.rolls.get(id), after);
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

/** Format 1.1: what an inject or contingency changes as it is delivered (its milestones and objectives come as their own events). */
function applyEffects(team: TeamAccumulator, effects: Consequences | undefined): void {
  if (!effects) return;
  addPoints(team.byTag, effects.score);
  team.vars = applyVariableChanges(team.vars, effects);
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
export function phaseOf(tags: readonly string[]): string | null {
  for (const tag of tags) {
    const parsed = parseTag(tag);
    if (parsed.ok && parsed.tag.family === 'phase') return parsed.tag.value;
  }
  return null;
}

function closePhase(team: TeamAccumulator, atMs: number): void {
  if (!team.phase) return;
  const { phase, fromMs } = team.phase;
  team.items.push({ kind: 'phase', phase, label: PHASES[phase as keyof typeof PHASES] ?? phase, fromMs, toMs: Math.max(fromMs, atMs) });
  team.phase = null;
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

function mean(values: number[]): number | null {
  return values.length ? Math.round(values.reduce((a, b) => a + b, 0) / values.length) : null;
}

function compareTeams(scenario: Scenario, teams: readonly TeamDebrief[]): Comparison {
  const milestones = scenario.milestones.map((m) => {
    const rows = teams.map((t) => {
      const r = t.milestones[m.id]!;
      return { teamId: t.id, scenarioMs: r.scenarioMs, wallMs: r.wallMs, met: r.met };
    });
    const reached = rows.filter((r) => r.scenarioMs !== null).map((r) => r.scenarioMs!);
    const fastest = reached.length ? Math.min(...reached) : null;
    return {
      id: m.id,
      label: m.label,
      targetMs: teams[0]?.milestones[m.id]?.targetMs ?? Math.round(m.targetMinutes * MINUTE_MS),
      teams: rows,
      fastestTeamIds: fastest === null ? [] : rows.filter((r) => r.scenarioMs === fastest).map((r) => r.teamId),
    };
  });

  type Metric = Comparison['metrics'][number];
  const metric = (key: string, label: string, unit: Metric['unit'], better: Metric['better'], value: (t: TeamDebrief) => number | null): Metric => {
    const values = teams.map((t) => ({ teamId: t.id, value: value(t) }));
    const known = values.filter((v) => v.value !== null).map((v) => v.value!);
    const best = known.length ? (better === 'lower' ? Math.min(...known) : Math.max(...known)) : null;
    // A score is "best" only when it is above zero: the least negative score is not an achievement.
    const worthy = best !== null && (unit !== 'points' || best > 0);
    return { key, label, unit, better, values, bestTeamIds: worthy ? values.filter((v) => v.value === best).map((v) => v.teamId) : [] };
  };
  const decided = (t: TeamDebrief) => t.decisions.filter((d) => d.status !== 'open');
  return {
    milestones,
    metrics: [
      metric('milestonesMet', 'Milestone targets met', 'count', 'higher', (t) => Object.values(t.milestones).filter((m) => m.met).length),
      metric('recommendedChoices', 'Decisions matching the recommendation', 'count', 'higher', (t) => t.decisions.filter((d) => d.matchedRecommendation === true).length),
      metric('timedOut', 'Decisions that ran out of time', 'count', 'lower', (t) => t.decisions.filter((d) => d.status === 'timedOut').length),
      metric('meanLatencyScenario', 'Mean decision time (scenario)', 'ms', 'lower', (t) => mean(decided(t).map((d) => d.latencyScenarioMs!))),
      metric('meanLatencyWall', 'Mean decision time (wall clock)', 'ms', 'lower', (t) => mean(decided(t).map((d) => d.latencyWallMs!))),
      metric('contingencies', 'Contingency injects fired', 'count', 'lower', (t) => t.contingencies.length),
      ...SCORE_GROUPS.map((g) => metric(`score.${g}`, `Score: ${SCORE_GROUP_LABELS[g]}`, 'points', 'higher', (t) => t.score[g].points)),
    ],
  };
}
