/**
 * Typed log events, end to end: one zod schema per log event type's payload
 * (the types are core/engine/events.ts's; `satisfies` below makes a missing
 * or disagreeing schema a compile error), so the contract checks every
 * payload it answers with (`LogEventSchema` in ./sessions.ts, checked by
 * dispatch in tests and development) and the renderer reads payloads by
 * their type (`LogRecord`) instead of field by field.
 *
 * To add a log event type: add it to the union in core/engine/events.ts,
 * then its payload's schema here (the compiler asks for it).
 */
import { z } from 'zod';
import { CLOCK_SPEEDS } from '../core/engine/clock.ts';
import type { LogBody, LogEventType } from '../core/engine/events.ts';
import { HSEEP_RATINGS } from '../core/enums.ts';

/** The payload of log events of type T. */
export type PayloadOf<T extends LogEventType> = Extract<LogBody, { type: T }>['payload'];

const Id = z.string();
const Empty = z.object({});
const Speed = z.literal(CLOCK_SPEEDS);

const SessionConfigSchema = z.object({
  name: z.string(),
  facilitator: z.string(),
  sensitivity: z.string(),
  scenarioId: z.string(),
  scenarioVersion: z.string(),
  scenarioSha256: z.string(),
  seed: z.string(),
  speed: Speed,
  teams: z.array(z.object({ id: Id, name: z.string(), participants: z.array(z.object({ name: z.string(), role: z.string().optional() })) })),
  milestoneTargets: z.record(z.string(), z.number()),
});

export const LOG_PAYLOADS = {
  // Engine events
  'inject.delivered': z.object({ nodeId: Id }),
  'decision.opened': z.object({ nodeId: Id }),
  'decision.timedOut': z.object({ decisionId: Id, optionId: Id }),
  'branch.taken': z.object({ nodeId: Id, next: Id }),
  'random.rolled': z.object({ nodeId: Id, outcomeId: Id }),
  'milestone.reached': z.object({ milestoneId: Id, source: z.enum(['choice', 'facilitator', 'inject']) }),
  'objective.demonstrated': z.object({ objectiveId: Id }),
  'contingency.fired': z.object({ contingencyId: Id, manual: z.boolean() }),
  'team.ended': z.object({ nodeId: Id, result: z.enum(['success', 'partial', 'failure']) }),
  'track.ended': z.object({ nodeId: Id, result: z.enum(['success', 'partial', 'failure']) }),
  // Team commands
  'decision.recorded': z.object({ decisionId: Id, optionId: Id, rationale: z.string(), decidedBy: z.string() }),
  'milestone.marked': z.object({ milestoneId: Id }),
  'contingency.triggered': z.object({ contingencyId: Id }),
  // Session commands
  'session.created': SessionConfigSchema,
  'session.started': Empty,
  'clock.paused': Empty,
  'clock.resumed': Empty,
  'clock.speedChanged': z.object({ speed: Speed }),
  'clock.jumped': z.object({ toScenarioMs: z.number() }),
  'session.ended': z.object({ reason: z.string() }),
  // Notes and corrections
  'note.added': z.object({ text: z.string(), objectiveId: Id.optional(), rating: z.enum(HSEEP_RATINGS).optional(), author: z.string().optional() }),
  'event.corrected': z.object({ correctedSeq: z.number().int(), reason: z.string() }),
  // Participation
  'participation.opened': z.object({ feedbackQuestions: z.array(z.object({ id: Id, text: z.string(), kind: z.enum(['text', 'scale']) })) }),
  'participant.joined': z.object({ participantId: Id, name: z.string(), role: z.string().optional() }),
  'participant.removed': z.object({ participantId: Id, reason: z.string() }),
  'vote.cast': z.object({ participantId: Id, decisionId: Id, optionId: Id, confidence: z.number(), rationale: z.string() }),
  'question.asked': z.object({ participantId: Id, text: z.string() }),
  'feedback.given': z.object({ participantId: Id, answers: z.record(z.string(), z.union([z.string(), z.number()])) }),
  'evidence.revealed': z.object({ evidenceId: Id, injectId: Id, by: z.enum(['facilitator', 'participant']), participantId: Id.optional() }),
} as const satisfies { [T in LogEventType]: z.ZodType<PayloadOf<T>> };

/** Why `payload` is not what a `type` event carries (issues relative to the payload), or none; an unknown type is an issue too. */
export function payloadIssues(type: string, payload: unknown): Array<{ path: PropertyKey[]; message: string }> {
  const schema = Object.hasOwn(LOG_PAYLOADS, type) ? LOG_PAYLOADS[type as LogEventType] : undefined;
  if (!schema) return [{ path: [], message: `no log event type ${type}` }];
  const checked = schema.safeParse(payload);
  return checked.success ? [] : checked.error.issues.map((i) => ({ path: i.path, message: i.message }));
}

/** One log event as the contract carries it, its payload typed by its type. */
export type LogRecord = LogBody & {
  seq: number;
  teamId: string | null;
  origin: 'command' | 'engine';
  scenarioMs: number;
  wallMs: number;
  hash: string;
};
