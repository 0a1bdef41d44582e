/**
 * Participants on their own devices: the rules, as pure functions.
 *
 * What participants do (join, vote, ask, answer the hot wash) is recorded in
 * the session's log as `ParticipationRecord` events. They are never input to
 * the engine (`SessionEngine.replay` passes over them), and everything the
 * facilitator, the debrief and the report show about participants is folded
 * from the log here, so that the live console and the record cannot disagree.
 */
import type { FeedbackQuestion, LogEvent, ParticipationRecord } from './engine/events.ts';
import type { PresentedInject, PresenterView } from './presenter.ts';
import { inAudience } from './reveals.ts';
import type { Scenario } from './scenario/schema.ts';
import { injectsShown } from './shown-images.ts';

export type { FeedbackQuestion } from './engine/events.ts';

/** The HSEEP participant feedback form's questions, asked at the hot wash unless the session sets its own. */
export const DEFAULT_FEEDBACK_QUESTIONS: readonly FeedbackQuestion[] = [
  { id: 'strengths', text: 'What were the strengths of the response? (up to three)', kind: 'text' },
  { id: 'improvements', text: 'What areas for improvement did you see? (up to three)', kind: 'text' },
  { id: 'confidence', text: 'How confident are you that our plan would work in a real incident? (1 = not at all, 5 = fully)', kind: 'scale' },
  { id: 'actions', text: 'What should we change or practise before the next exercise?', kind: 'text' },
];

/**
 * Join codes: read aloud and typed on a phone, so no 0/O, 1/I/L or U/V
 * look-alikes. 10 characters of 29 = about 48.6 bits.
 */
export const JOIN_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTWXYZ';
export const JOIN_CODE_LENGTH = 10;

/**
 * A join code from random bytes (the caller supplies them: core has no
 * randomness). Rejection sampling keeps every character equally likely.
 * Returns null when the bytes ran out before the code was complete.
 */
export function joinCodeFromBytes(bytes: Uint8Array): string | null {
  const n = JOIN_CODE_ALPHABET.length;
  const limit = 256 - (256 % n);
  let code = '';
  for (const byte of bytes) {
    if (byte >= limit) continue;
    code += JOIN_CODE_ALPHABET.charAt(byte % n);
    if (code.length === JOIN_CODE_LENGTH) return code;
  }
  return null;
}

/** A code as people type it (lower case, spaces, dashes) in its canonical form. */
export function normaliseJoinCode(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]+/g, '');
}

/** A code as shown on the room screen: two groups of five. */
export function displayJoinCode(code: string): string {
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

export interface ParticipantEntry {
  id: string;
  name: string;
  role: string | null;
  teamId: string;
  /** Wall clock (epoch ms) and scenario time of the join. */
  joinedTimestamp: number;
  joinedScenarioMs: number;
  removed: { timestamp: number; reason: string } | null;
}

export interface VoteEntry {
  participantId: string;
  decisionId: string;
  optionId: string;
  confidence: number;
  rationale: string;
  timestamp: number;
  seq: number;
}

export interface QuestionEntry {
  seq: number;
  participantId: string;
  teamId: string;
  text: string;
  timestamp: number;
}

export interface FeedbackEntry {
  participantId: string;
  teamId: string;
  answers: Record<string, string | number>;
  timestamp: number;
}

/** Everything the log says about participants. */
export interface Participation {
  feedbackQuestions: FeedbackQuestion[];
  participants: Map<string, ParticipantEntry>;
  /** team -> decision -> participant -> their latest vote on it. */
  votes: Map<string, Map<string, Map<string, VoteEntry>>>;
  questions: QuestionEntry[];
  /** participant -> their latest hot-wash answers. */
  feedback: Map<string, FeedbackEntry>;
}

/** Folds the participation records of a log (in order; other events are ignored). */
export function foldParticipation(events: Iterable<LogEvent>): Participation {
  const state: Participation = { feedbackQuestions: [...DEFAULT_FEEDBACK_QUESTIONS], participants: new Map(), votes: new Map(), questions: [], feedback: new Map() };
  for (const event of events) applyParticipation(state, event);
  return state;
}

/** Applies one event to a folded state (a no-op for any event that is not a participation record). */
export function applyParticipation(state: Participation, event: LogEvent): void {
  const record = event as LogEvent & ParticipationRecord;
  switch (record.type) {
    case 'participation.opened':
      state.feedbackQuestions = record.payload.feedbackQuestions.map((q) => ({ ...q }));
      return;
    case 'participant.joined':
      if (event.teamId === null) return;
      state.participants.set(record.payload.participantId, {
        id: record.payload.participantId,
        name: record.payload.name,
        role: record.payload.role ?? null,
        teamId: event.teamId,
        joinedTimestamp: event.wallMs,
        joinedScenarioMs: event.scenarioMs,
        removed: null,
      });
      return;
    case 'participant.removed': {
      const entry = state.participants.get(record.payload.participantId);
      if (entry) entry.removed = { timestamp: event.wallMs, reason: record.payload.reason };
      return;
    }
    case 'vote.cast': {
      if (event.teamId === null) return;
      const byDecision = state.votes.get(event.teamId) ?? new Map<string, Map<string, VoteEntry>>();
      state.votes.set(event.teamId, byDecision);
      const byParticipant = byDecision.get(record.payload.decisionId) ?? new Map<string, VoteEntry>();
      byDecision.set(record.payload.decisionId, byParticipant);
      byParticipant.set(record.payload.participantId, { ...record.payload, timestamp: event.wallMs, seq: event.seq });
      return;
    }
    case 'question.asked':
      if (event.teamId === null) return;
      state.questions.push({ seq: event.seq, participantId: record.payload.participantId, teamId: event.teamId, text: record.payload.text, timestamp: event.wallMs });
      return;
    case 'feedback.given':
      if (event.teamId === null) return;
      state.feedback.set(record.payload.participantId, {
        participantId: record.payload.participantId,
        teamId: event.teamId,
        answers: { ...record.payload.answers },
        timestamp: event.wallMs,
      });
      return;
    default:
      return;
  }
}

export interface Tally {
  decisionId: string;
  /** option -> votes (every option of the decision, zero included). */
  tally: Record<string, number>;
  voters: number;
  /** Mean confidence (1–5) of the votes, or null with no votes. */
  meanConfidence: number | null;
  /** Mean confidence of the votes for each option (null where none). */
  confidenceByOption: Record<string, number | null>;
  /** Share of voters (0–1) who did not vote for the leading option; 0 with no votes. */
  dissent: number;
  /** The option with most votes (ties: the first in the decision's order), or null with no votes. */
  majority: string | null;
}

/** Tallies the votes on a decision; `optionIds` in the decision's order. */
export function tallyVotes(decisionId: string, optionIds: readonly string[], votes: Iterable<Pick<VoteEntry, 'optionId' | 'confidence'>>): Tally {
  const tally: Record<string, number> = Object.fromEntries(optionIds.map((id) => [id, 0]));
  const confidenceSum: Record<string, number> = Object.fromEntries(optionIds.map((id) => [id, 0]));
  let voters = 0;
  let confidence = 0;
  for (const vote of votes) {
    voters += 1;
    confidence += vote.confidence;
    tally[vote.optionId] = (tally[vote.optionId] ?? 0) + 1;
    confidenceSum[vote.optionId] = (confidenceSum[vote.optionId] ?? 0) + vote.confidence;
  }
  let majority: string | null = null;
  for (const id of Object.keys(tally)) if (tally[id]! > 0 && (majority === null || tally[id]! > tally[majority]!)) majority = id;
  const confidenceByOption: Record<string, number | null> = {};
  for (const id of Object.keys(tally)) confidenceByOption[id] = tally[id]! > 0 ? confidenceSum[id]! / tally[id]! : null;
  return {
    decisionId,
    tally,
    voters,
    meanConfidence: voters === 0 ? null : confidence / voters,
    confidenceByOption,
    dissent: voters === 0 || majority === null ? 0 : 1 - tally[majority]! / voters,
    majority,
  };
}

/** A tally's counts without the decision it is about, in the order every view lists them. */
export function tallyCounts(t: Tally): Omit<Tally, 'decisionId'> {
  return { tally: t.tally, voters: t.voters, meanConfidence: t.meanConfidence, confidenceByOption: t.confidenceByOption, dissent: t.dissent, majority: t.majority };
}

/** The votes on one decision of one team, those of removed participants left out. */
export function currentVotes(state: Participation, teamId: string, decisionId: string): VoteEntry[] {
  const votes = state.votes.get(teamId)?.get(decisionId);
  if (!votes) return [];
  return [...votes.values()].filter((v) => state.participants.get(v.participantId)?.removed === null);
}

/**
 * What a participant's phone shows: the room's view of their team (already
 * an allow-list, see presenter.ts) and their own vote on the open decision.
 */
export interface ParticipantView {
  participant: { id: string; name: string; teamId: string; teamName: string; role: string | null };
  room: PresenterView;
  myVote: { optionId: string; confidence: number; rationale: string } | null;
  /** Their own vote on each open decision of their team (several at once with parallel tracks), by decision id. */
  myVotes: Record<string, { optionId: string; confidence: number; rationale: string }>;
  feedbackQuestions: FeedbackQuestion[];
  feedbackGiven: boolean;
}

/** Every decision open for a team on its room view: one per track with parallel tracks, else the one. */
export function openDecisionsOf(room: Pick<PresenterView, 'decision' | 'tracks'>): Array<NonNullable<PresenterView['decision']>> {
  if (room.tracks.length > 0) return room.tracks.flatMap((track) => (track.decision ? [track.decision] : []));
  return room.decision ? [room.decision] : [];
}

/**
 * The team's latest inject when no parallel track shows it, else null: a
 * contingency belongs to no track, so with parallel tracks it is laid out
 * apart from them (above them) while it is the latest thing the team was
 * told; with one track (no tracks) it is the latest itself. The projector and
 * the phones lay out their injects by this one rule, over `injectsShown`.
 */
export function injectApartFromTracks<I extends { id: string; kind: string }>(view: { inject: I | null; tracks: ReadonlyArray<{ inject: I | null }> }): I | null {
  const latest = view.inject;
  if (latest === null) return null;
  // By id and kind: a contingency's id is unique among contingencies only, and may be a timeline inject's too.
  return injectsShown({ inject: null, tracks: view.tracks }).some((inject) => inject.id === latest.id && inject.kind === latest.kind) ? null : latest;
}

/**
 * The held-back evidence a participant may ask for now: that of every inject
 * their view shows (the team's latest and each parallel track's, as their
 * role sees it), each item once. The page offers exactly these, and a request
 * for anything else is refused (ParticipationService.requestEvidence).
 */
export function askableEvidence(room: Pick<PresenterView, 'inject' | 'tracks'>): PresentedInject['held'] {
  const askable = new Map<string, PresentedInject['held'][number]>();
  for (const inject of injectsShown(room)) for (const item of inject.held) if (!askable.has(item.evidenceId)) askable.set(item.evidenceId, item);
  return [...askable.values()];
}

/**
 * Audiences (format 1.1) on a participant's phone: a participant whose role
 * is one of the scenario's roles sees injects and evidence addressed to that
 * role or to everyone; an inject for other roles keeps only its label, not even its title ("For:
 * Legal"), evidence for other roles is left out. A participant with no role,
 * or a role the scenario does not name, sees what the room sees.
 */
export function forRole(
  inject: PresentedInject | null,
  role: string | null,
  scenario: Pick<Scenario, 'roles' | 'evidence' | 'timeline' | 'contingencies'>,
): PresentedInject | null {
  if (!inject) return null;
  const node = [...scenario.timeline, ...scenario.contingencies].find((n) => n.id === inject.id);
  const audience = node && 'audience' in node ? node.audience : undefined;
  if (!inAudience(audience, role, scenario.roles)) {
    return { ...inject, title: '', from: null, to: null, subject: null, narrative: '', questions: [], evidence: [], evidenceAudience: {}, held: [], withheld: true };
  }
  const audienceOf = new Map(scenario.evidence.map((e) => [e.id, e.audience]));
  const mine = (id: string) => inAudience(audienceOf.get(id), role, scenario.roles);
  // Whom each item is for, only for the items this role sees: another role's item is not even named by its id.
  const evidenceAudience = Object.fromEntries(Object.entries(inject.evidenceAudience).filter(([id]) => mine(id)));
  return { ...inject, evidence: inject.evidence.filter((e) => mine(e.id)), evidenceAudience, held: inject.held.filter((h) => mine(h.evidenceId)) };
}

export function participantView(
  room: PresenterView,
  state: Participation,
  participantId: string,
  scenario?: Pick<Scenario, 'roles' | 'evidence' | 'timeline' | 'contingencies'>,
): ParticipantView {
  const me = state.participants.get(participantId);
  if (!me) throw new Error(`unknown participant ${participantId}`);
  if (scenario) {
    const inject = forRole(room.inject, me.role, scenario);
    // Each parallel track's inject is addressed like the team's latest one (format 1.1 tracks and audiences together).
    const tracks = room.tracks.map((track) => ({ ...track, inject: forRole(track.inject, me.role, scenario) }));
    // The room's spotlight stays while an inject on this phone (the latest or any track's, as this role sees it) lists its evidence.
    const spotlit = room.display.spotlight?.evidence.id;
    const onPhone = injectsShown({ inject, tracks }).some((shown) => shown.evidence.some((e) => e.id === spotlit));
    const spotlight = onPhone ? room.display.spotlight : null;
    room = { ...room, inject, tracks, display: { ...room.display, spotlight } };
  }
  const vote = room.decision ? state.votes.get(me.teamId)?.get(room.decision.id)?.get(participantId) : undefined;
  const myVotes: ParticipantView['myVotes'] = {};
  for (const decision of openDecisionsOf(room)) {
    const mine = state.votes.get(me.teamId)?.get(decision.id)?.get(participantId);
    if (mine) myVotes[decision.id] = { optionId: mine.optionId, confidence: mine.confidence, rationale: mine.rationale };
  }
  return {
    participant: { id: me.id, name: me.name, teamId: me.teamId, teamName: room.team.name, role: me.role },
    room,
    myVote: vote ? { optionId: vote.optionId, confidence: vote.confidence, rationale: vote.rationale } : null,
    myVotes,
    feedbackQuestions: state.feedbackQuestions.map((q) => ({ ...q })),
    feedbackGiven: state.feedback.has(participantId),
  };
}

/** Checks hot-wash answers against the questions; returns the problem with its JSON pointer, or null. */
export function checkFeedback(questions: readonly FeedbackQuestion[], answers: Record<string, string | number>): { path: string; message: string } | null {
  const byId = new Map(questions.map((q) => [q.id, q]));
  for (const [id, value] of Object.entries(answers)) {
    const question = byId.get(id);
    if (!question) return { path: `/answers/${id}`, message: `There is no hot-wash question ${id}.` };
    if (question.kind === 'scale' && (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 5)) {
      return { path: `/answers/${id}`, message: 'This answer is a whole number from 1 to 5.' };
    }
    if (question.kind === 'text' && typeof value !== 'string') return { path: `/answers/${id}`, message: 'This answer is text.' };
  }
  return null;
}
