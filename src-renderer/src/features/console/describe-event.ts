/**
 * The session log in words, for the console's timeline and notes. Payloads
 * come from main as `unknown`; they are read field by field, so an event type
 * this renderer does not know yet is still shown (by its type) rather than
 * breaking the screen.
 */
import { undoneSeqs } from '../../../../src-main/api/corrections.ts';
import { HSEEP_RATING_LABELS, HSEEP_RATINGS as RATING_VALUES, type HseepRating } from '../../../../src-main/api/enums.ts';
import type { LogEntry } from '../../lib/state/session.svelte.ts';
import { formatClock, speedLabel } from '../sessions/format.ts';
import { RESULT_LABELS, type ScenarioIndex } from './scenario-index.ts';

function field(payload: unknown, name: string): unknown {
  return payload !== null && typeof payload === 'object' ? (payload as Record<string, unknown>)[name] : undefined;
}

function text(payload: unknown, name: string): string {
  const value = field(payload, name);
  return typeof value === 'string' ? value : '';
}

export type { HseepRating };

/** What each HSEEP rating means, as the letters are explained to the facilitator. */
const RATING_MEANINGS: Record<HseepRating, string> = {
  P: 'Done, and done well: no negative impact on other activities.',
  S: 'Done, with some difficulty or delay, but still achieved.',
  M: 'Done in part, or with significant problems that would matter in a real incident.',
  U: 'Not done, or not done to an acceptable standard.',
};

/** HSEEP objective ratings (the scale and its words are main's, src-main/core/enums.ts), as the letters are explained to the facilitator. */
export const HSEEP_RATINGS: ReadonlyArray<{ value: HseepRating; label: string; meaning: string }> = RATING_VALUES.map((value) => ({
  value,
  label: `${value} — ${HSEEP_RATING_LABELS[value]}`,
  meaning: RATING_MEANINGS[value],
}));

/** A note or observation from the log. */
export interface NoteEntry {
  seq: number;
  teamId: string | null;
  scenarioMs: number;
  wallMs: number;
  text: string;
  objectiveId: string | null;
  rating: HseepRating | null;
  author: string | null;
}

export function noteOf(event: LogEntry): NoteEntry | null {
  if (event.type !== 'note.added') return null;
  const rating = text(event.payload, 'rating');
  return {
    seq: event.seq,
    teamId: event.teamId,
    scenarioMs: event.scenarioMs,
    wallMs: event.wallMs,
    text: text(event.payload, 'text'),
    objectiveId: text(event.payload, 'objectiveId') || null,
    rating: rating === 'P' || rating === 'S' || rating === 'M' || rating === 'U' ? rating : null,
    author: text(event.payload, 'author') || null,
  };
}

/**
 * Sequence numbers of events that a later correction (undo) cancelled: the
 * undone action and what the engine did because of it. The rule is main's
 * own (core/engine/corrections.ts), so the console marks as undone exactly
 * what the debrief and the exports leave out.
 */
export function correctedSeqs(events: readonly LogEntry[]): ReadonlySet<number> {
  return undoneSeqs(events);
}

/** Events whose meaning is already carried by the engine event they cause. */
const SHADOWED = new Set(['milestone.marked', 'contingency.triggered']);

/** True for events worth a line in the console's timeline. */
export function isTimelineEvent(event: LogEntry): boolean {
  return !SHADOWED.has(event.type) && event.type !== 'session.created';
}

/** One log event in words. */
export function describeEvent(event: LogEntry, index: ScenarioIndex, bySeq?: (seq: number) => LogEntry | undefined): string {
  const p = event.payload;
  switch (event.type) {
    case 'session.created':
      return 'Session set up';
    case 'session.started':
      return 'Exercise started';
    case 'clock.paused':
      return 'Clock paused';
    case 'clock.resumed':
      return 'Clock resumed';
    case 'clock.speedChanged': {
      const speed = field(p, 'speed');
      return `Clock speed set to ${typeof speed === 'number' ? speedLabel(speed) : '?'}`;
    }
    case 'clock.jumped': {
      const to = field(p, 'toScenarioMs');
      return `Clock moved on to ${typeof to === 'number' ? formatClock(to) : '?'} (next inject)`;
    }
    case 'session.ended':
      return `Exercise ended: ${text(p, 'reason') || 'by the facilitator'}`;
    case 'inject.delivered':
      return `Inject delivered: ${index.title(text(p, 'nodeId'))}`;
    case 'decision.opened':
      return `Decision opened: ${index.title(text(p, 'nodeId'))}`;
    case 'decision.timedOut': {
      const decision = index.decision(text(p, 'decisionId'));
      const option = decision?.options.find((o) => o.id === text(p, 'optionId'));
      return `Time ran out on “${decision?.title ?? text(p, 'decisionId')}”: “${option?.label ?? text(p, 'optionId')}” was taken`;
    }
    case 'decision.recorded': {
      const decision = index.decision(text(p, 'decisionId'));
      const option = decision?.options.find((o) => o.id === text(p, 'optionId'));
      const by = text(p, 'decidedBy');
      return `Decided “${option?.label ?? text(p, 'optionId')}”${by ? ` (by ${by})` : ''}`;
    }
    case 'branch.taken':
      return `Branch “${index.title(text(p, 'nodeId'))}” → ${index.title(text(p, 'next'))}`;
    case 'random.rolled': {
      const node = index.node(text(p, 'nodeId'));
      const outcome = node?.type === 'random' ? node.outcomes.find((o) => o.id === text(p, 'outcomeId')) : undefined;
      return `Random event “${index.title(text(p, 'nodeId'))}”: ${outcome?.label ?? text(p, 'outcomeId')}`;
    }
    case 'milestone.reached':
      return `Milestone reached: ${index.milestoneLabel(text(p, 'milestoneId'))}${text(p, 'source') === 'facilitator' ? ' (marked by hand)' : ''}`;
    case 'milestone.marked':
      return `Milestone marked: ${index.milestoneLabel(text(p, 'milestoneId'))}`;
    case 'objective.demonstrated':
      return `Objective demonstrated: ${index.objective(text(p, 'objectiveId'))?.text ?? text(p, 'objectiveId')}`;
    case 'contingency.fired': {
      const contingency = index.contingency(text(p, 'contingencyId'));
      return `Contingency fired${field(p, 'manual') === true ? ' by hand' : ''}: ${contingency?.title ?? text(p, 'contingencyId')}`;
    }
    case 'contingency.triggered':
      return `Contingency triggered: ${index.contingency(text(p, 'contingencyId'))?.title ?? text(p, 'contingencyId')}`;
    case 'team.ended': {
      const result = text(p, 'result') as keyof typeof RESULT_LABELS;
      return `Reached the end “${index.title(text(p, 'nodeId'))}”${RESULT_LABELS[result] ? ` (${RESULT_LABELS[result]})` : ''}`;
    }
    case 'note.added': {
      const rating = text(p, 'rating');
      return `${rating ? `Observation (${rating})` : 'Note'}: ${text(p, 'text')}`;
    }
    case 'event.corrected': {
      const seq = field(p, 'correctedSeq');
      const corrected = typeof seq === 'number' ? bySeq?.(seq) : undefined;
      return `Undone: ${corrected ? describeEvent(corrected, index) : `event ${String(seq)}`}`;
    }
    default:
      return event.type;
  }
}

/** The rationale of a recorded decision, if any. */
export function rationaleOf(event: LogEntry): string {
  return event.type === 'decision.recorded' ? text(event.payload, 'rationale') : '';
}

/** The source of a milestone.reached event: reached by a choice, or marked by the facilitator. */
export function milestoneSource(event: LogEntry): { milestoneId: string; byHand: boolean } | null {
  if (event.type !== 'milestone.reached') return null;
  return { milestoneId: text(event.payload, 'milestoneId'), byHand: text(event.payload, 'source') === 'facilitator' };
}

/** The inject node id an `inject.delivered` event delivered. */
export function deliveredInject(event: LogEntry): string | null {
  return event.type === 'inject.delivered' ? text(event.payload, 'nodeId') || null : null;
}

/** What an undo took back, for "Undid …": `decision “Deactivate the key”`, `milestone “Detected”`, `note “…”`. */
export function undoneText(event: LogEntry, index: ScenarioIndex): string {
  const p = event.payload;
  switch (event.type) {
    case 'decision.recorded': {
      const decision = index.decision(text(p, 'decisionId'));
      const option = decision?.options.find((o) => o.id === text(p, 'optionId'));
      return `decision “${option?.label ?? text(p, 'optionId')}”`;
    }
    case 'milestone.marked':
      return `milestone “${index.milestoneLabel(text(p, 'milestoneId'))}”`;
    case 'contingency.triggered':
      return `contingency “${index.contingency(text(p, 'contingencyId'))?.title ?? text(p, 'contingencyId')}”`;
    case 'note.added': {
      const note = text(p, 'text');
      return `note “${note.length > 80 ? `${note.slice(0, 80)}…` : note}”`;
    }
    default:
      return describeEvent(event, index);
  }
}
