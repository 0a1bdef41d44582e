/**
 * What the projector may show. Built by copying named, room-facing fields
 * only (an allow-list), so facilitator notes, expected actions, upcoming
 * injects, recommendations, consequences and scores can never leak into it,
 * whatever a scenario author adds later.
 */
import type { ClockState } from './engine/clock.ts';
import type { SessionStatus } from './enums.ts';
import type { Contingency, Evidence, InjectNode, Scenario } from './scenario/schema.ts';
import { PHASE_LABELS } from './scenario/tags.ts';

export interface PresentedInject {
  id: string;
  kind: 'inject' | 'contingency';
  title: string;
  channel: string;
  from: string | null;
  to: string | null;
  subject: string | null;
  narrative: string;
  questions: string[];
  evidence: Evidence[];
  deliveredAtMs: number;
}

export interface PresenterView {
  sessionId: string;
  sessionName: string;
  scenarioTitle: string;
  sensitivity: string;
  status: SessionStatus;
  clock: ClockState;
  team: { id: string; name: string };
  inject: PresentedInject | null;
  decision: { id: string; title: string; prompt: string; options: Array<{ id: string; label: string; description: string | null }>; openedAtMs: number; deadlineMs: number | null } | null;
  ending: { title: string; outcome: string } | null;
  /** What the facilitator has put on the room screen (slides, spotlight, scroll, clock). */
  display: PresentedDisplay;
}

// ---------------------------------------------------------------- the room screen, driven by the facilitator

/**
 * What the facilitator has asked the room screen to show, as stored: ids and
 * switches only. The screen renders it; it can change none of it itself.
 */
export type RoomSlide = { kind: 'title' } | { kind: 'phase'; phase: string } | { kind: 'pause'; message: string | null };
export interface RoomDisplay {
  /** A full-screen slide over everything else, or null for the live view. */
  slide: RoomSlide | null;
  /** One evidence item (or one record of it) highlighted and enlarged, or null. */
  spotlight: { evidenceId: string; record: number | null } | null;
  /** How many screenfuls the room screen's scrolling area is scrolled down. */
  scroll: number;
  /** Whether the scenario clock is shown. */
  clock: boolean;
}

export const DEFAULT_ROOM_DISPLAY: RoomDisplay = { slide: null, spotlight: null, scroll: 0, clock: true };

/** A slide as the room sees it: only room-facing text (the opening brief, a phase's name and questions, the facilitator's pause message). */
export type PresentedSlide =
  | { kind: 'title'; title: string; brief: string }
  | { kind: 'phase'; phase: string; label: string; questions: string[] }
  | { kind: 'pause'; message: string | null };

export interface PresentedDisplay {
  slide: PresentedSlide | null;
  /** The spotlit evidence, only while it belongs to an inject on screen. */
  spotlight: { evidence: Evidence; record: number | null } | null;
  scroll: number;
  clock: boolean;
}

/** The words of a phase tag ("phase:containment" -> "Containment"). */
export function phaseLabel(tag: string): string {
  const value = tag.startsWith('phase:') ? tag.slice('phase:'.length) : tag;
  return PHASE_LABELS[value] ?? value.replace(/[-_]+/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

/**
 * Resolves the stored display against what is on screen: a spotlight only
 * while its evidence belongs to an inject shown (never an upcoming one), a
 * record only if the evidence has it. Before the start, with no slide chosen,
 * the room sees the title slide with the opening brief.
 */
export function presentDisplay(
  scenario: Scenario,
  display: RoomDisplay,
  shown: ReadonlyArray<PresentedInject | null>,
  status: PresenterView['status'] = 'running',
): PresentedDisplay {
  let slide: PresentedSlide | null = null;
  if (display.slide?.kind === 'title' || (display.slide === null && status === 'setup')) slide = { kind: 'title', title: scenario.meta.title, brief: scenario.guide.openingBrief };
  else if (display.slide?.kind === 'phase') {
    const phase = display.slide.phase;
    const questions = scenario.guide.phaseQuestions.find((p) => p.phase === phase)?.questions ?? [];
    slide = { kind: 'phase', phase, label: phaseLabel(phase), questions: [...questions] };
  } else if (display.slide?.kind === 'pause') slide = { kind: 'pause', message: display.slide.message };
  let spotlight: PresentedDisplay['spotlight'] = null;
  if (display.spotlight) {
    const { evidenceId, record } = display.spotlight;
    const evidence = shown.flatMap((inject) => inject?.evidence ?? []).find((e) => e.id === evidenceId);
    if (evidence) {
      const count = evidence.kind === 'cloudtrail' ? evidence.records.length : evidence.kind === 'log' ? evidence.lines.length : 0;
      spotlight = { evidence, record: record !== null && record < count ? record : null };
    }
  }
  return { slide, spotlight, scroll: display.scroll, clock: display.clock };
}

export interface PresenterInput {
  sessionId: string;
  sessionName: string;
  status: PresenterView['status'];
  clock: ClockState;
  sensitivity: string;
  team: { id: string; name: string };
  /** The latest inject delivered to the team, or contingency fired for it, with when. */
  latest: { kind: 'inject' | 'contingency'; id: string; atMs: number } | null;
  openDecision: { id: string; openedAtMs: number; deadlineMs: number | null } | null;
  endedAt: string | null;
  /** The room screen's display state; the default when omitted. */
  display?: RoomDisplay;
}

function present(node: InjectNode | Contingency, kind: PresentedInject['kind'], atMs: number, evidenceById: Map<string, Evidence>): PresentedInject {
  return {
    id: node.id,
    kind,
    title: node.title,
    channel: node.channel,
    from: node.from ?? null,
    to: node.to ?? null,
    subject: node.subject ?? null,
    narrative: node.narrative,
    questions: [...node.questions],
    evidence: node.evidence.map((id) => evidenceById.get(id)).filter((e): e is Evidence => e !== undefined),
    deliveredAtMs: atMs,
  };
}

function presentedInject(scenario: Scenario, latest: PresenterInput['latest']): PresentedInject | null {
  if (!latest) return null;
  const evidenceById = new Map(scenario.evidence.map((e) => [e.id, e]));
  const node =
    latest.kind === 'inject'
      ? scenario.timeline.find((n): n is InjectNode => n.type === 'inject' && n.id === latest.id)
      : scenario.contingencies.find((c) => c.id === latest.id);
  return node ? present(node, latest.kind, latest.atMs, evidenceById) : null;
}

function presentedDecision(scenario: Scenario, open: PresenterInput['openDecision']): PresenterView['decision'] {
  if (!open) return null;
  const node = scenario.timeline.find((n) => n.type === 'decision' && n.id === open.id);
  if (node?.type !== 'decision') return null;
  return {
    id: node.id,
    title: node.title,
    prompt: node.prompt,
    options: node.options.map((o) => ({ id: o.id, label: o.label, description: o.description ?? null })),
    openedAtMs: open.openedAtMs,
    deadlineMs: open.deadlineMs,
  };
}

function presentedEnding(scenario: Scenario, endedAt: string | null): PresenterView['ending'] {
  const end = endedAt ? scenario.timeline.find((n) => n.type === 'end' && n.id === endedAt) : undefined;
  return end?.type === 'end' ? { title: end.title, outcome: end.outcome } : null;
}

/** The phase a team is in: that of its open decision, else of its current inject (its first phase tag). */
function teamPhase(scenario: Scenario, input: Pick<PresenterInput, 'latest' | 'openDecision'>): string | null {
  const ids = [input.openDecision?.id, input.latest?.id].filter((id): id is string => id !== undefined);
  for (const id of ids) {
    const node = scenario.timeline.find((n) => n.id === id) ?? scenario.contingencies.find((c) => c.id === id);
    const tag = node && 'tags' in node ? node.tags.find((t) => t.startsWith('phase:')) : undefined;
    if (tag) return tag;
  }
  return null;
}

export function presenterView(scenario: Scenario, input: PresenterInput): PresenterView {
  const inject = presentedInject(scenario, input.latest);
  const decision = presentedDecision(scenario, input.openDecision);
  return {
    sessionId: input.sessionId,
    sessionName: input.sessionName,
    scenarioTitle: scenario.meta.title,
    sensitivity: input.sensitivity,
    status: input.status,
    clock: input.clock,
    team: input.team,
    inject,
    decision,
    ending: presentedEnding(scenario, input.endedAt),
    display: presentDisplay(scenario, input.display ?? DEFAULT_ROOM_DISPLAY, [inject], input.status),
  };
}

// ---------------------------------------------------------------- the room view: every team on one screen

export interface RoomTeam {
  id: string;
  name: string;
  /** The team's current phase tag (e.g. "phase:containment") and its words, or null. */
  phase: { tag: string; label: string } | null;
  inject: PresentedInject | null;
  decision: PresenterView['decision'];
  /** Each milestone's label and when this team reached it (scenario ms), or null. No targets, no scores. */
  milestones: Array<{ id: string; label: string; reachedAtMs: number | null }>;
  ending: PresenterView['ending'];
}

export interface RoomView {
  sessionId: string;
  sessionName: string;
  scenarioTitle: string;
  sensitivity: string;
  status: PresenterView['status'];
  clock: ClockState;
  teams: RoomTeam[];
  display: PresentedDisplay;
}

export interface RoomInput {
  sessionId: string;
  sessionName: string;
  status: PresenterView['status'];
  clock: ClockState;
  sensitivity: string;
  teams: Array<Pick<PresenterInput, 'team' | 'latest' | 'openDecision' | 'endedAt'> & { milestones: Record<string, number | null> }>;
  display: RoomDisplay;
}

/** The whole session on one screen: per team, built from the same allow-listed pieces as presenterView. */
export function roomView(scenario: Scenario, input: RoomInput): RoomView {
  const teams = input.teams.map((team): RoomTeam => {
    const tag = teamPhase(scenario, team);
    return {
      id: team.team.id,
      name: team.team.name,
      phase: tag ? { tag, label: phaseLabel(tag) } : null,
      inject: presentedInject(scenario, team.latest),
      decision: presentedDecision(scenario, team.openDecision),
      milestones: scenario.milestones.map((m) => ({ id: m.id, label: m.label, reachedAtMs: team.milestones[m.id] ?? null })),
      ending: presentedEnding(scenario, team.endedAt),
    };
  });
  return {
    sessionId: input.sessionId,
    sessionName: input.sessionName,
    scenarioTitle: scenario.meta.title,
    sensitivity: input.sensitivity,
    status: input.status,
    clock: input.clock,
    teams,
    display: presentDisplay(scenario, input.display, teams.map((t) => t.inject), input.status),
  };
}
