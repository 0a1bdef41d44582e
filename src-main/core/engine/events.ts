/**
 * The events of a session's log. Commands are what people did (or the clock
 * did on their behalf); engine events are what the scenario engine produced
 * in response. Replaying the commands through the engine reproduces the engine
 * events exactly; that is how a session is rebuilt and how the log is checked.
 */
import type { ClockSpeed } from './clock.ts';

export type { HseepRating } from '../enums.ts';
import type { HseepRating } from '../enums.ts';

export interface TeamConfig {
  id: string;
  name: string;
  participants: Array<{ name: string; role?: string | undefined }>;
}

export interface SessionConfig {
  name: string;
  facilitator: string;
  sensitivity: string;
  scenarioId: string;
  scenarioVersion: string;
  scenarioSha256: string;
  seed: string;
  speed: ClockSpeed;
  teams: TeamConfig[];
  /** Milestone targets in scenario ms (defaults from the scenario, editable at setup). */
  milestoneTargets: Record<string, number>;
}

/** Events the engine emits for one team. */
export type EngineEvent =
  | { type: 'inject.delivered'; payload: { nodeId: string } }
  | { type: 'decision.opened'; payload: { nodeId: string } }
  | { type: 'decision.timedOut'; payload: { decisionId: string; optionId: string } }
  | { type: 'branch.taken'; payload: { nodeId: string; next: string } }
  | { type: 'random.rolled'; payload: { nodeId: string; outcomeId: string } }
  | { type: 'milestone.reached'; payload: { milestoneId: string; source: 'choice' | 'facilitator' | 'inject' } }
  | { type: 'objective.demonstrated'; payload: { objectiveId: string } }
  | { type: 'contingency.fired'; payload: { contingencyId: string; manual: boolean } }
  | { type: 'team.ended'; payload: { nodeId: string; result: 'success' | 'partial' | 'failure' } }
  /** A track other than the lead one reached an end node (scenarios with parallel tracks only). */
  | { type: 'track.ended'; payload: { nodeId: string; result: 'success' | 'partial' | 'failure' } };

/** Commands addressed to one team's engine. */
export type TeamCommand =
  | { type: 'decision.recorded'; payload: { decisionId: string; optionId: string; rationale: string; decidedBy: string } }
  | { type: 'milestone.marked'; payload: { milestoneId: string } }
  | { type: 'contingency.triggered'; payload: { contingencyId: string } };

/** Commands about the whole session. */
export type SessionCommand =
  | { type: 'session.created'; payload: SessionConfig }
  | { type: 'session.started'; payload: Record<string, never> }
  | { type: 'clock.paused'; payload: Record<string, never> }
  | { type: 'clock.resumed'; payload: Record<string, never> }
  | { type: 'clock.speedChanged'; payload: { speed: ClockSpeed } }
  | { type: 'clock.jumped'; payload: { toScenarioMs: number } }
  | { type: 'session.ended'; payload: { reason: string } };

/** Records that change nothing in the engine: notes and observations. */
export type Annotation = {
  type: 'note.added';
  payload: { text: string; objectiveId?: string | undefined; rating?: HseepRating | undefined; author?: string | undefined };
};

/**
 * Undo, as a correcting event: the earlier command `correctedSeq` (a team
 * command or a note) no longer counts. A corrected team command is rolled
 * back in the engine together with what it caused; nothing is deleted.
 */
export type Correction = { type: 'event.corrected'; payload: { correctedSeq: number; reason: string } };

/**
 * What participants did from their own devices, and the hot-wash questions
 * they were asked. Recorded in the log like everything else but never input
 * to the engine: replay passes over them (see src-main/core/participants.ts).
 */
export type ParticipationRecord =
  | { type: 'participation.opened'; payload: { feedbackQuestions: FeedbackQuestion[] } }
  | { type: 'participant.joined'; payload: { participantId: string; name: string; role?: string | undefined } }
  | { type: 'participant.removed'; payload: { participantId: string; reason: string } }
  | { type: 'vote.cast'; payload: { participantId: string; decisionId: string; optionId: string; confidence: number; rationale: string } }
  | { type: 'question.asked'; payload: { participantId: string; text: string } }
  | { type: 'feedback.given'; payload: { participantId: string; answers: Record<string, string | number> } }
  /**
   * Format 1.1: a held-back evidence item (`onRequest`) shown to one team, by the
   * facilitator or at a participant's request (`participantId`). Session-level like
   * a vote: never engine input, and undo neither targets nor cancels it.
   */
  | { type: 'evidence.revealed'; payload: EvidenceRevealedPayload };

export interface EvidenceRevealedPayload {
  evidenceId: string;
  /** The inject (or contingency) whose evidence it is. */
  injectId: string;
  by: 'facilitator' | 'participant';
  /** Who asked, when `by` is "participant". */
  participantId?: string | undefined;
}

/** One hot-wash question: free text, or a 1–5 scale. */
export interface FeedbackQuestion {
  id: string;
  text: string;
  kind: 'text' | 'scale';
}

export type LogBody = EngineEvent | TeamCommand | SessionCommand | Annotation | Correction | ParticipationRecord;

/** Commands that can be undone while nothing has happened to the team since. */
export const UNDOABLE_TYPES: ReadonlySet<string> = new Set(['decision.recorded', 'milestone.marked', 'contingency.triggered', 'note.added']);
export type LogEventType = LogBody['type'];

export const ENGINE_EVENT_TYPES: ReadonlySet<string> = new Set<EngineEvent['type']>([
  'inject.delivered',
  'decision.opened',
  'decision.timedOut',
  'branch.taken',
  'random.rolled',
  'milestone.reached',
  'objective.demonstrated',
  'contingency.fired',
  'team.ended',
  'track.ended',
]);

export const PARTICIPATION_TYPES: ReadonlySet<string> = new Set<ParticipationRecord['type']>([
  'participation.opened',
  'participant.joined',
  'participant.removed',
  'vote.cast',
  'question.asked',
  'feedback.given',
  'evidence.revealed',
]);

export const TEAM_COMMAND_TYPES: ReadonlySet<string> = new Set<TeamCommand['type']>(['decision.recorded', 'milestone.marked', 'contingency.triggered']);

/** One entry of the append-only, hash-chained log, as stored. */
export type LogEvent = LogBody & {
  sessionId: string;
  seq: number;
  teamId: string | null;
  origin: 'command' | 'engine';
  scenarioMs: number;
  wallMs: number;
  prevHash: string;
  hash: string;
};

/** An event about to be appended (the store assigns seq and hashes). */
export type NewLogEvent = LogBody & {
  teamId: string | null;
  origin: 'command' | 'engine';
  scenarioMs: number;
  wallMs: number;
};
