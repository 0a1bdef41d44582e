/**
 * The session log in words, for the console's timeline and notes. Payloads
 * are typed by their event's type (src-main/api/log-events.ts: the contract
 * checks them), so each is read as what it is; an event type this renderer
 * does not know yet is still shown by its type.
 */
import { undoneSeqs } from '../../../../src-main/api/corrections.ts';
import { HSEEP_RATING_LABELS, HSEEP_RATINGS as RATING_VALUES, type HseepRating } from '../../../../src-main/api/enums.ts';
import type { LogEntry } from '../../lib/state/session.svelte.ts';
import { formatClock, speedLabel } from '../sessions/format.ts';
import { RESULT_LABELS, type ScenarioIndex } from './scenario-index.ts';

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
  const { text, objectiveId, rating, author } = event.payload;
  return {
    seq: event.seq,
    teamId: event.teamId,
    scenarioMs: event.scenarioMs,
    wallMs: event.wallMs,
    text,
    objectiveId: objectiveId || null,
    rating: rating ?? null,
    author: author || null,
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
  switch (event.type) {
    case 'session.created':
      return 'Session set up';
    case 'session.started':
      return 'Exercise started';
    case 'clock.paused':
      return 'Clock paused';
    case 'clock.resumed':
      return 'Clock resumed';
    case 'clock.speedChanged':
      return `Clock speed set to ${speedLabel(event.payload.speed)}`;
    case 'clock.jumped':
      return `Clock moved on to ${formatClock(event.payload.toScenarioMs)} (next inject)`;
    case 'session.ended':
      return `Exercise ended: ${event.payload.reason || 'by the facilitator'}`;
    case 'inject.delivered':
      return `Inject delivered: ${index.title(event.payload.nodeId)}`;
    case 'decision.opened':
      return `Decision opened: ${index.title(event.payload.nodeId)}`;
    case 'decision.timedOut': {
      const { decisionId, optionId } = event.payload;
      const decision = index.decision(decisionId);
      const option = decision?.options.find((o) => o.id === optionId);
      return `Time ran out on “${decision?.title ?? decisionId}”: “${option?.label ?? optionId}” was taken`;
    }
    case 'decision.recorded': {
      const { decisionId, optionId, decidedBy } = event.payload;
      const option = index.decision(decisionId)?.options.find((o) => o.id === optionId);
      return `Decided “${option?.label ?? optionId}”${decidedBy ? ` (by ${decidedBy})` : ''}`;
    }
    case 'branch.taken':
      return `Branch “${index.title(event.payload.nodeId)}” → ${index.title(event.payload.next)}`;
    case 'random.rolled': {
      const { nodeId, outcomeId } = event.payload;
      const node = index.node(nodeId);
      const outcome = node?.type === 'random' ? node.outcomes.find((o) => o.id === outcomeId) : undefined;
      return `Random event “${index.title(nodeId)}”: ${outcome?.label ?? outcomeId}`;
    }
    case 'milestone.reached':
      return `Milestone reached: ${index.milestoneLabel(event.payload.milestoneId)}${event.payload.source === 'facilitator' ? ' (marked by hand)' : event.payload.source === 'inject' ? ' (by an inject)' : ''}`;
    case 'milestone.marked':
      return `Milestone marked: ${index.milestoneLabel(event.payload.milestoneId)}`;
    case 'objective.demonstrated':
      return `Objective demonstrated: ${index.objective(event.payload.objectiveId)?.text ?? event.payload.objectiveId}`;
    case 'contingency.fired': {
      const { contingencyId, manual } = event.payload;
      return `Contingency fired${manual ? ' by hand' : ''}: ${index.contingency(contingencyId)?.title ?? contingencyId}`;
    }
    case 'contingency.triggered':
      return `Contingency triggered: ${index.contingency(event.payload.contingencyId)?.title ?? event.payload.contingencyId}`;
    case 'team.ended': {
      const label = RESULT_LABELS[event.payload.result];
      return `Reached the end “${index.title(event.payload.nodeId)}”${label ? ` (${label})` : ''}`;
    }
    case 'track.ended': {
      // Parallel tracks: a track other than the lead one finished; the team goes on.
      const label = RESULT_LABELS[event.payload.result];
      return `A track finished at “${index.title(event.payload.nodeId)}”${label ? ` (${label})` : ''}`;
    }
    case 'note.added':
      return `${event.payload.rating ? `Observation (${event.payload.rating})` : 'Note'}: ${event.payload.text}`;
    case 'evidence.revealed': {
      const caption = index.evidenceOf([event.payload.evidenceId])[0]?.caption ?? event.payload.evidenceId;
      return `Evidence revealed: ${caption}${event.payload.by === 'participant' ? ' (a participant asked for it)' : ''}`;
    }
    case 'event.corrected': {
      const seq = event.payload.correctedSeq;
      const corrected = bySeq?.(seq);
      return `Undone: ${corrected ? describeEvent(corrected, index) : `event ${seq}`}`;
    }
    default:
      return (event as { type: string }).type;
  }
}

/** The rationale of a recorded decision, if any. */
export function rationaleOf(event: LogEntry): string {
  return event.type === 'decision.recorded' ? event.payload.rationale : '';
}

/** The source of a milestone.reached event: reached by a choice, marked by the facilitator, or reached by an inject's effects (format 1.1). */
export function milestoneSource(event: LogEntry): { milestoneId: string; byHand: boolean; byInject: boolean } | null {
  if (event.type !== 'milestone.reached') return null;
  return { milestoneId: event.payload.milestoneId, byHand: event.payload.source === 'facilitator', byInject: event.payload.source === 'inject' };
}

/** The inject node id an `inject.delivered` event delivered. */
export function deliveredInject(event: LogEntry): string | null {
  return event.type === 'inject.delivered' ? event.payload.nodeId || null : null;
}

/** What an undo took back, for "Undid …": `decision “Deactivate the key”`, `milestone “Detected”`, `note “…”`. */
export function undoneText(event: LogEntry, index: ScenarioIndex): string {
  switch (event.type) {
    case 'decision.recorded': {
      const { decisionId, optionId } = event.payload;
      const option = index.decision(decisionId)?.options.find((o) => o.id === optionId);
      return `decision “${option?.label ?? optionId}”`;
    }
    case 'milestone.marked':
      return `milestone “${index.milestoneLabel(event.payload.milestoneId)}”`;
    case 'contingency.triggered':
      return `contingency “${index.contingency(event.payload.contingencyId)?.title ?? event.payload.contingencyId}”`;
    case 'note.added': {
      const note = event.payload.text;
      return `note “${note.length > 80 ? `${note.slice(0, 80)}…` : note}”`;
    }
    default:
      return describeEvent(event, index);
  }
}
