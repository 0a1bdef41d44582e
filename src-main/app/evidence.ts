import type { ResultOf } from '../api/contract.ts';
import { isHeldBack } from '../core/reveals.ts';
import { AppError } from './errors.ts';
import type { ParticipationService } from './participation.ts';
import type { SessionRunner } from './sessions.ts';

/**
 * The console's list of held-back evidence (format 1.1) for one team: every
 * `onRequest` item of the injects and contingencies it has been given, with
 * its question and query, and the reveal the log records, if any.
 */
export function heldEvidence(runner: SessionRunner, participation: ParticipationService, sessionId: string, teamId: string): ResultOf<'sessions.heldEvidence'> {
  const session = runner.state(sessionId);
  if (!session.teams.some((t) => t.id === teamId)) throw new AppError('not_found', `This session has no team ${teamId}.`, '/teamId');
  const scenario = runner.scenario(sessionId);
  const reveals = runner.reveals(sessionId).get(teamId);
  const names = new Map(participation.state(sessionId).participants.map((p) => [p.id, p.name]));
  const nodes = new Map([...scenario.timeline, ...scenario.contingencies].map((n) => [n.id, n]));
  const byId = new Map(scenario.evidence.map((e) => [e.id, e]));
  const seen = new Set<string>();
  const out: ResultOf<'sessions.heldEvidence'> = [];
  for (const injectId of runner.delivered(sessionId, teamId)) {
    const node = nodes.get(injectId);
    if (!node || !('evidence' in node)) continue;
    for (const id of node.evidence) {
      const item = byId.get(id);
      if (!item || !isHeldBack(item) || seen.has(id)) continue;
      seen.add(id);
      const reveal = reveals?.get(id);
      out.push({
        evidenceId: id,
        caption: item.caption,
        injectId,
        question: item.onRequest!.question,
        query: item.onRequest!.query ?? null,
        revealed: reveal
          ? {
              by: reveal.by,
              participant: reveal.participantId === undefined ? null : (names.get(reveal.participantId) ?? reveal.participantId),
              scenarioMs: reveal.scenarioMs,
              seq: reveal.seq,
            }
          : null,
      });
    }
  }
  return out;
}
