/**
 * What the projector may show. Built by copying named, room-facing fields
 * only (an allow-list), so facilitator notes, expected actions, upcoming
 * injects, recommendations, consequences and scores can never leak into it,
 * whatever a scenario author adds later.
 */
import type { ClockState } from './engine/clock.ts';
import type { SessionStatus } from './enums.ts';
import { isShown } from './reveals.ts';
import { renderEvidenceText, renderLivingText } from './scenario/living-text.ts';
import type { Contingency, Evidence, InjectNode, Scalar, Scenario } from './scenario/schema.ts';
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
  /**
   * Format 1.1: the names of the roles this inject went to (empty: everyone).
   * The projector shows the inject labelled "For: Legal, Communications";
   * participants' phones show it only to those roles (see core/participants.ts).
   */
  audience: string[];
  /** Role names per evidence item addressed to some roles only (evidence id -> names). */
  evidenceAudience: Record<string, string[]>;
  /** Held-back evidence of this inject not yet revealed to the team: only the question that unlocks each. */
  held: Array<{ evidenceId: string; question: string }>;
  /** Set on a participant's phone when the inject went to other roles: only the label is left. */
  withheld?: boolean | undefined;
}

/** What the text of a team's screens depends on: its variables (living text) and its revealed evidence. */
export interface TeamTextState {
  vars: Readonly<Record<string, Scalar>>;
  revealed: ReadonlySet<string>;
}

const NO_TEXT_STATE: TeamTextState = { vars: {}, revealed: new Set() };

export interface PresenterView {
  sessionId: string;
  sessionName: string;
  scenarioTitle: string;
  sensitivity: string;
  status: SessionStatus;
  clock: ClockState;
  team: { id: string; name: string };
  inject: PresentedInject | null;
  decision: {
    id: string;
    title: string;
    prompt: string;
    options: Array<{ id: string; label: string; description: string | null }>;
    openedAtMs: number;
    deadlineMs: number | null;
  } | null;
  ending: { title: string; outcome: string } | null;
  /** Each track with parallel tracks, side by side; empty for a team with one track (no track headings). */
  tracks: PresentedTrack[];
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
  { kind: 'title'; title: string; brief: string } | { kind: 'phase'; phase: string; label: string; questions: string[] } | { kind: 'pause'; message: string | null };

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
  /** `availableOptions`: the options on offer now (format-1.1 conditional options); every option when omitted. */
  openDecision: { id: string; openedAtMs: number; deadlineMs: number | null; availableOptions?: readonly string[] } | null;
  endedAt: string | null;
  /** Scenarios with parallel tracks: each track's latest inject, open decision and end (absent or one track: no tracks shown). */
  tracks?: TrackInput[] | undefined;
  /** The room screen's display state; the default when omitted. */
  display?: RoomDisplay;
  /** The team's variables and revealed evidence (format 1.1); initial values and nothing revealed when omitted. */
  text?: TeamTextState;
}

/** Where one track of a team is, as the projector may know it. */
export interface TrackInput {
  id: string;
  title: string | null;
  latest: { id: string; atMs: number } | null;
  openDecision: PresenterInput['openDecision'];
  /** The end node the track reached (a track other than the lead one), or null. */
  endedAt: string | null;
}

/** One track of a team on the projector: its title, latest inject, open decision and (when finished) its ending's title. */
export interface PresentedTrack {
  id: string;
  title: string;
  inject: PresentedInject | null;
  decision: PresenterView['decision'];
  ending: PresenterView['ending'];
}

/** Each track of a team, built from the same allow-listed pieces; none for a team with one track (no track headings). */
function presentedTracks(scenario: Scenario, tracks: readonly TrackInput[] | undefined, text: TeamTextState): PresentedTrack[] {
  if (!tracks || tracks.length < 2) return [];
  return tracks.map((track) => ({
    id: track.id,
    title: track.title ?? track.id,
    inject: presentedInject(scenario, track.latest ? { kind: 'inject', ...track.latest } : null, text),
    decision: presentedDecision(scenario, track.openDecision, text),
    ending: presentedEnding(scenario, track.endedAt, text),
  }));
}

function roleNames(scenario: Scenario, ids: readonly string[] | undefined): string[] {
  return (ids ?? []).map((id) => scenario.roles.find((r) => r.id === id)?.name ?? id);
}

function present(scenario: Scenario, node: InjectNode | Contingency, kind: PresentedInject['kind'], atMs: number, text: TeamTextState): PresentedInject {
  const evidenceById = new Map(scenario.evidence.map((e) => [e.id, e]));
  const items = node.evidence.map((id) => evidenceById.get(id)).filter((e): e is Evidence => e !== undefined);
  const live = (t: string) => renderLivingText(t, text.vars, scenario.variables);
  const plain = (t: string) => renderLivingText(t, text.vars, scenario.variables, { markdown: false });
  const shown = items.filter((e) => isShown(e, text.revealed));
  return {
    id: node.id,
    kind,
    title: node.title,
    channel: node.channel,
    from: node.from ?? null,
    to: node.to ?? null,
    subject: node.subject === undefined ? null : plain(node.subject),
    narrative: live(node.narrative),
    questions: [...node.questions],
    evidence: shown.map((e) => renderEvidenceText(e, text.vars, scenario.variables)),
    deliveredAtMs: atMs,
    audience: roleNames(scenario, node.audience),
    evidenceAudience: Object.fromEntries(shown.filter((e) => e.audience).map((e) => [e.id, roleNames(scenario, e.audience)])),
    held: items.filter((e) => !isShown(e, text.revealed)).map((e) => ({ evidenceId: e.id, question: e.onRequest!.question })),
  };
}

function presentedInject(scenario: Scenario, latest: PresenterInput['latest'], text: TeamTextState): PresentedInject | null {
  if (!latest) return null;
  const node =
    latest.kind === 'inject' ? scenario.timeline.find((n): n is InjectNode => n.type === 'inject' && n.id === latest.id) : scenario.contingencies.find((c) => c.id === latest.id);
  return node ? present(scenario, node, latest.kind, latest.atMs, text) : null;
}

function presentedDecision(scenario: Scenario, open: PresenterInput['openDecision'], text: TeamTextState): PresenterView['decision'] {
  if (!open) return null;
  const node = scenario.timeline.find((n) => n.type === 'decision' && n.id === open.id);
  if (node?.type !== 'decision') return null;
  return {
    id: node.id,
    title: node.title,
    prompt: renderLivingText(node.prompt, text.vars, scenario.variables),
    options: node.options
      .filter((o) => open.availableOptions === undefined || open.availableOptions.includes(o.id))
      .map((o) => ({ id: o.id, label: o.label, description: o.description ?? null })),
    openedAtMs: open.openedAtMs,
    deadlineMs: open.deadlineMs,
  };
}

function presentedEnding(scenario: Scenario, endedAt: string | null, text: TeamTextState): PresenterView['ending'] {
  const end = endedAt ? scenario.timeline.find((n) => n.type === 'end' && n.id === endedAt) : undefined;
  return end?.type === 'end' ? { title: end.title, outcome: renderLivingText(end.outcome, text.vars, scenario.variables) } : null;
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

/** What every room-facing view opens with: the session, the scenario's title, the handling marking, the status and the clock. */
function viewHeading(scenario: Scenario, input: Pick<PresenterInput, 'sessionId' | 'sessionName' | 'sensitivity' | 'status' | 'clock'>) {
  return {
    sessionId: input.sessionId,
    sessionName: input.sessionName,
    scenarioTitle: scenario.meta.title,
    sensitivity: input.sensitivity,
    status: input.status,
    clock: input.clock,
  };
}

export function presenterView(scenario: Scenario, input: PresenterInput): PresenterView {
  const text = input.text ?? NO_TEXT_STATE;
  const inject = presentedInject(scenario, input.latest, text);
  const decision = presentedDecision(scenario, input.openDecision, text);
  const tracks = presentedTracks(scenario, input.tracks, text);
  return {
    ...viewHeading(scenario, input),
    team: input.team,
    inject,
    decision,
    ending: presentedEnding(scenario, input.endedAt, text),
    tracks,
    display: presentDisplay(scenario, input.display ?? DEFAULT_ROOM_DISPLAY, [inject, ...tracks.map((t) => t.inject)], input.status),
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
  /** Each track with parallel tracks; empty for a team with one track. */
  tracks: PresentedTrack[];
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
  teams: Array<Pick<PresenterInput, 'team' | 'latest' | 'openDecision' | 'endedAt' | 'tracks' | 'text'> & { milestones: Record<string, number | null> }>;
  display: RoomDisplay;
}

/** The whole session on one screen: per team, built from the same allow-listed pieces as presenterView. */
export function roomView(scenario: Scenario, input: RoomInput): RoomView {
  const teams = input.teams.map((team): RoomTeam => {
    const tag = teamPhase(scenario, team);
    const text = team.text ?? NO_TEXT_STATE;
    return {
      id: team.team.id,
      name: team.team.name,
      phase: tag ? { tag, label: phaseLabel(tag) } : null,
      inject: presentedInject(scenario, team.latest, text),
      decision: presentedDecision(scenario, team.openDecision, text),
      milestones: scenario.milestones.map((m) => ({ id: m.id, label: m.label, reachedAtMs: team.milestones[m.id] ?? null })),
      ending: presentedEnding(scenario, team.endedAt, text),
      tracks: presentedTracks(scenario, team.tracks, text),
    };
  });
  return {
    ...viewHeading(scenario, input),
    teams,
    display: presentDisplay(
      scenario,
      input.display,
      teams.flatMap((t) => [t.inject, ...t.tracks.map((track) => track.inject)]),
      input.status,
    ),
  };
}
