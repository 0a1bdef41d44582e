/**
 * What participants did from their own devices, for the debrief and the
 * after-action report: attendance (who, team, role, joined when), the vote
 * split and confidence on each decision against what the team recorded
 * (alignment), the questions they asked and their hot-wash answers. Folded
 * from the log by the same rules as the live console (core/participants.ts).
 */
import { z } from 'zod';
import type { LogEvent, SessionConfig } from '../engine/events.ts';
import { currentVotes, foldParticipation, tallyCounts, tallyVotes } from '../participants.ts';
import type { Scenario } from '../scenario/schema.ts';

/** The schema of `tallyCounts` (../participants.ts): a vote tally's counts, as the debrief and the console's votes show them. */
export const TallyCountsShape = {
  tally: z.record(z.string(), z.number()),
  voters: z.number(),
  meanConfidence: z.number().nullable(),
  confidenceByOption: z.record(z.string(), z.number().nullable()),
  /** Share of voters (0–1) not with the leading option. */
  dissent: z.number(),
  majority: z.string().nullable(),
};

export const ParticipationDebriefSchema = z.object({
  attendance: z.array(
    z.object({
      participantId: z.string(),
      name: z.string(),
      teamId: z.string(),
      teamName: z.string(),
      role: z.string().nullable(),
      /** Wall clock (epoch ms) of the join. */
      joinedTimestamp: z.number(),
      joinedScenarioMs: z.number(),
      removed: z.boolean(),
    }),
  ),
  votes: z.array(
    z.object({
      teamId: z.string(),
      teamName: z.string(),
      decisionId: z.string(),
      decisionTitle: z.string(),
      options: z.array(z.object({ id: z.string(), label: z.string() })),
      ...TallyCountsShape,
      /** What the team recorded (or timed out to), or null if nothing was. */
      recordedOptionId: z.string().nullable(),
      /** Share of voters (0–1) who voted for what the team recorded; null without votes or a recorded choice. */
      alignment: z.number().nullable(),
    }),
  ),
  questions: z.array(z.object({ name: z.string(), teamId: z.string(), text: z.string(), timestamp: z.number() })),
  feedbackQuestions: z.array(z.object({ id: z.string(), text: z.string(), kind: z.enum(['text', 'scale']) })),
  feedback: z.array(z.object({ name: z.string(), teamId: z.string(), answers: z.record(z.string(), z.union([z.string(), z.number()])) })),
});
export type ParticipationDebrief = z.infer<typeof ParticipationDebriefSchema>;

export function participationDebrief(scenario: Scenario, config: SessionConfig, events: readonly LogEvent[]): ParticipationDebrief {
  const state = foldParticipation(events);
  const teamName = (id: string) => config.teams.find((t) => t.id === id)?.name ?? id;
  const nameOf = (id: string) => state.participants.get(id)?.name ?? id;

  // What each team recorded for each decision (undone records do not count).
  const corrected = new Set(events.flatMap((e) => (e.type === 'event.corrected' ? [e.payload.correctedSeq] : [])));
  const recorded = new Map<string, string>();
  for (const e of events) {
    if (e.teamId === null || corrected.has(e.seq)) continue;
    if (e.type === 'decision.recorded' || e.type === 'decision.timedOut') recorded.set(`${e.teamId}\n${e.payload.decisionId}`, e.payload.optionId);
  }

  const votes: ParticipationDebrief['votes'] = [];
  for (const [teamId, byDecision] of state.votes) {
    for (const decisionId of byDecision.keys()) {
      const node = scenario.timeline.find((n) => n.id === decisionId);
      if (node?.type !== 'decision') continue;
      const cast = currentVotes(state, teamId, decisionId);
      if (cast.length === 0) continue;
      const tally = tallyVotes(
        decisionId,
        node.options.map((o) => o.id),
        cast,
      );
      const chosen = recorded.get(`${teamId}\n${decisionId}`) ?? null;
      votes.push({
        teamId,
        teamName: teamName(teamId),
        decisionId,
        decisionTitle: node.title,
        options: node.options.map((o) => ({ id: o.id, label: o.label })),
        ...tallyCounts(tally),
        recordedOptionId: chosen,
        alignment: chosen === null || tally.voters === 0 ? null : (tally.tally[chosen] ?? 0) / tally.voters,
      });
    }
  }

  return {
    attendance: [...state.participants.values()].map((p) => ({
      participantId: p.id,
      name: p.name,
      teamId: p.teamId,
      teamName: teamName(p.teamId),
      role: p.role,
      joinedTimestamp: p.joinedTimestamp,
      joinedScenarioMs: p.joinedScenarioMs,
      removed: p.removed !== null,
    })),
    votes,
    questions: state.questions.map((q) => ({ name: nameOf(q.participantId), teamId: q.teamId, text: q.text, timestamp: q.timestamp })),
    feedbackQuestions: state.feedbackQuestions,
    feedback: [...state.feedback.values()].map((f) => ({ name: nameOf(f.participantId), teamId: f.teamId, answers: f.answers })),
  };
}
