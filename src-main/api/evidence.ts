/**
 * Contract for evidence on request (format 1.1): what the facilitator's
 * console lists and reveals (a participant asks with `participant.requestEvidence`,
 * in ./participants.ts, which the participants' listener serves).
 */
import { z } from 'zod';
import { Ack } from './sessions.ts';

const SessionId = z.string().min(1).max(64);
const TeamId = z.string().min(1).max(64);
const EvidenceId = z.string().min(1).max(64);

export const HeldEvidence = z.object({
  evidenceId: z.string(),
  caption: z.string(),
  /** The inject or contingency (delivered to the team) the item belongs to. */
  injectId: z.string(),
  question: z.string(),
  query: z.object({ language: z.string(), text: z.string() }).nullable(),
  /** When and for whom it was revealed, or null while it is held back. */
  revealed: z
    .object({
      by: z.enum(['facilitator', 'participant']),
      /** The participant who asked (their name), when a participant did. */
      participant: z.string().nullable(),
      scenarioMs: z.number(),
      seq: z.number(),
    })
    .nullable(),
});

export const evidenceMethods = {
  'sessions.heldEvidence': {
    summary: 'The held-back evidence of the injects a team has been given, each with its question, its query and whether (and at whose request) it was revealed.',
    access: 'facilitator',
    input: z.strictObject({ sessionId: SessionId, teamId: TeamId }),
    result: z.array(HeldEvidence),
  },
  'sessions.revealEvidence': {
    summary: 'Reveals a held-back evidence item to one team (recorded in the log as evidence.revealed).',
    access: 'facilitator',
    input: z.strictObject({ sessionId: SessionId, teamId: TeamId, evidenceId: EvidenceId }),
    result: Ack,
  },
} as const;
