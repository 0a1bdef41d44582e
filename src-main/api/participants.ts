/**
 * Contract for participants on their own devices: what the facilitator calls
 * to open a session to the room's phones and follow their votes, what the
 * room screen shows to let them join, and the only methods a participant's
 * token may call (over the participants' listener, src-main/hosts/lan).
 */
import { z } from 'zod';
import { TallyCountsShape } from '../core/debrief/participation.ts';
import { PARTICIPANT_LIMITS } from '../core/limits.ts';
import { Ack, PresenterViewSchema } from './sessions.ts';

const SessionId = z.string().min(1).max(64);
const TeamId = z.string().min(1).max(64);
const NodeRef = z.string().min(1).max(64);

export const FeedbackQuestionSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'an id of lower-case letters, digits and dashes'),
  text: z.string().trim().min(1).max(500),
  kind: z.enum(['text', 'scale']),
});

/** What people need to join: the address, the code and the certificate's fingerprint to check. */
export const JoinInfo = z.object({
  /** https://ADDRESS:PORT/ of the participants' listener, or null while nothing listens. */
  url: z.string().nullable(),
  /** The join code (10 characters, no look-alikes). */
  code: z.string(),
  /** SHA-256 of the listener's certificate, 32 colon-separated hex pairs, or null while nothing listens. */
  fingerprint: z.string().nullable(),
});

export const ParticipantSummary = z.object({
  id: z.string(),
  name: z.string(),
  role: z.string().nullable(),
  teamId: z.string(),
  joinedTimestamp: z.number(),
  /** Has an event stream open now (the page is on screen). */
  connected: z.boolean(),
  removed: z.boolean(),
});

export const ParticipationState = z.object({
  /** The open join code, or null when joining is closed. */
  join: JoinInfo.nullable(),
  participants: z.array(ParticipantSummary),
  questions: z.array(z.object({ seq: z.number(), participantId: z.string(), name: z.string(), teamId: z.string(), text: z.string(), timestamp: z.number() })),
  feedbackQuestions: z.array(FeedbackQuestionSchema),
  /** How many participants answered the hot wash. */
  feedbackCount: z.number(),
});

export const VotesResult = z.object({
  /** The team's open decision, or null when none is open. */
  decisionId: z.string().nullable(),
  ...TallyCountsShape,
  votes: z.array(z.object({ participantId: z.string(), name: z.string(), optionId: z.string(), confidence: z.number(), rationale: z.string() })),
});

export const ListenerAddress = z.object({ address: z.string(), family: z.enum(['IPv4', 'IPv6']), interface: z.string(), internal: z.boolean() });

export const ListenerState = z.object({
  /** This host can start the participants' listener. */
  supported: z.boolean(),
  /** The addresses of this machine the listener may bind. */
  addresses: z.array(ListenerAddress),
  listening: z.object({ address: z.string(), port: z.number(), url: z.string(), fingerprint: z.string() }).nullable(),
});

export const ParticipantViewSchema = z.object({
  participant: z.object({ id: z.string(), name: z.string(), teamId: z.string(), teamName: z.string(), role: z.string().nullable() }),
  room: PresenterViewSchema,
  myVote: z.object({ optionId: z.string(), confidence: z.number(), rationale: z.string() }).nullable(),
  /** Their vote on each open decision of their team (several at once with parallel tracks), by decision id. */
  myVotes: z.record(z.string(), z.object({ optionId: z.string(), confidence: z.number(), rationale: z.string() })),
  feedbackQuestions: z.array(FeedbackQuestionSchema),
  feedbackGiven: z.boolean(),
});

/** `POST /api/join` on the participants' listener (not a contract method: it is how a participant gets a token). */
export const JoinInput = z.strictObject({
  code: z.string().min(1).max(40),
  name: z.string().trim().min(1).max(80),
  teamId: TeamId,
  /** Format 1.1: the scenario role (its id) the participant plays, so injects for other roles are not shown to them. */
  role: z.string().min(1).max(64).optional(),
});
export const JoinResult = z.object({ token: z.string(), participantId: z.string(), teamId: z.string() });

export const participantMethods = {
  'sessions.openParticipation': {
    summary: 'Lets participants join a session from their own devices: returns the join code (the open one, if any) and the address.',
    access: 'facilitator',
    input: z.strictObject({ sessionId: SessionId, feedbackQuestions: z.array(FeedbackQuestionSchema).min(1).max(PARTICIPANT_LIMITS.feedbackQuestions).optional() }),
    result: JoinInfo,
  },
  'sessions.rotateJoinCode': {
    summary: 'Replaces the join code (people who joined stay joined).',
    access: 'facilitator',
    input: z.strictObject({ sessionId: SessionId }),
    result: JoinInfo,
  },
  'sessions.closeParticipation': {
    summary: 'Closes joining: the code stops working (people who joined stay joined).',
    access: 'facilitator',
    input: z.strictObject({ sessionId: SessionId }),
    result: z.object({ closed: z.boolean() }),
  },
  'sessions.participation': {
    summary: 'Who joined (and is connected), their questions, the hot-wash questions and the open join code.',
    access: 'facilitator',
    input: z.strictObject({ sessionId: SessionId }),
    result: ParticipationState,
  },
  'sessions.votes': {
    summary: "The participants' votes on a team's open decision (with parallel tracks, the one named, else the lead track's): tally, mean confidence, dissent and rationales.",
    access: 'facilitator',
    input: z.strictObject({ sessionId: SessionId, teamId: TeamId, decisionId: z.string().min(1).max(64).optional() }),
    result: VotesResult,
  },
  'sessions.removeParticipant': {
    summary: 'Removes a participant: their token stops working and their votes stop counting (recorded, never deleted).',
    access: 'facilitator',
    input: z.strictObject({ sessionId: SessionId, participantId: z.string().min(1).max(64), reason: z.string().trim().max(500).default('Removed by the facilitator') }),
    result: Ack,
  },
  'participation.listener': {
    summary: "The participants' listener: this machine's addresses and what listens now.",
    access: 'facilitator',
    input: z.strictObject({}),
    result: ListenerState,
  },
  'participation.listen': {
    summary: "Starts the participants' listener (HTTPS) on one address of this machine, or moves it there.",
    access: 'facilitator',
    input: z.strictObject({ address: z.string().min(2).max(64), port: z.number().int().min(0).max(65535).default(0) }),
    result: ListenerState,
  },
  'participation.stop': {
    summary: "Stops the participants' listener.",
    access: 'facilitator',
    input: z.strictObject({}),
    result: ListenerState,
  },
  'presenter.joinCard': {
    summary: 'What the room screen shows so people can join: the address as a QR code, the code and the certificate fingerprint; null while joining is closed.',
    access: 'presenter',
    input: z.strictObject({ sessionId: SessionId }),
    result: JoinInfo.extend({ displayCode: z.string(), qrDataUrl: z.string().nullable() }).nullable(),
  },
  'participant.view': {
    summary: "The participant's team as the room sees it, their own vote and the hot-wash questions.",
    access: 'participant',
    input: z.strictObject({}),
    result: ParticipantViewSchema,
  },
  'participant.asset': {
    summary: "An image of the evidence on the participant's screen now, as a data: URL (nothing of injects still to come).",
    access: 'participant',
    input: z.strictObject({ path: z.string().min(1).max(300) }),
    result: z.object({ dataUrl: z.string() }),
  },
  'participant.vote': {
    summary: "Votes on the team's open decision (changeable until the facilitator records the team's decision).",
    access: 'participant',
    input: z.strictObject({
      decisionId: NodeRef,
      optionId: NodeRef,
      confidence: z.number().int().min(1).max(5),
      rationale: z.string().trim().max(PARTICIPANT_LIMITS.rationaleChars).default(''),
    }),
    result: Ack,
  },
  'participant.ask': {
    summary: 'Asks the facilitator a question or for evidence.',
    access: 'participant',
    input: z.strictObject({ text: z.string().trim().min(1).max(PARTICIPANT_LIMITS.questionChars) }),
    result: Ack,
  },
  'participant.requestEvidence': {
    summary: "Asks for a held-back evidence item of the team's current inject (format 1.1): it is revealed to the participant's own team at once, and the log says who asked.",
    access: 'participant',
    input: z.strictObject({ evidenceId: z.string().min(1).max(64) }),
    result: Ack,
  },
  'participant.feedback': {
    summary: 'Answers the hot wash (changeable: the latest answers count).',
    access: 'participant',
    input: z.strictObject({
      answers: z.record(z.string().max(PARTICIPANT_LIMITS.feedbackQuestionIdChars), z.union([z.string().trim().max(PARTICIPANT_LIMITS.feedbackAnswerChars), z.number()])),
    }),
    result: Ack,
  },
} as const;

/** The methods a participant's token may call: the participants' listener serves these and nothing else. */
export const PARTICIPANT_METHODS = Object.keys(participantMethods).filter((name) => participantMethods[name as keyof typeof participantMethods].access === 'participant') as Array<
  keyof typeof participantMethods
>;
