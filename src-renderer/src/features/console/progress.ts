/**
 * How far a team has come: the injects delivered on its path, and how many
 * the path holds so far (those delivered plus those already scheduled before
 * the next decision, branch or ending, whose outcome decides what follows).
 */
import type { ResultOf } from '../../../../src-main/api/contract.ts';
import type { ScenarioIndex } from './scenario-index.ts';

type TeamView = ResultOf<'sessions.get'>['teams'][number];

export interface InjectProgress {
  /** Injects delivered to the team (its current one included). */
  delivered: number;
  /** Delivered plus those scheduled on the path before the next fork or ending. */
  known: number;
}

export function injectProgress(
  index: ScenarioIndex,
  team: Pick<TeamView, 'path' | 'nodeId' | 'nextInjectMs' | 'ended'> & { tracks?: ReadonlyArray<Pick<TeamView['tracks'][number], 'nodeId' | 'nextInjectMs'>> },
  started: boolean,
): InjectProgress {
  // Before the start nothing is delivered and each track begins at its first node (one track: the scenario's start).
  // Parallel tracks: every track waiting for an inject counts, not only the lead one.
  const several = (team.tracks?.length ?? 0) > 1;
  const pendings: string[] = !started
    ? several
      ? (index.scenario.tracks ?? []).map((t) => t.start)
      : [index.scenario.start]
    : several
      ? team.tracks!.flatMap((t) => (t.nextInjectMs !== null && t.nodeId !== null ? [t.nodeId] : []))
      : team.nextInjectMs !== null && team.nodeId !== null
        ? [team.nodeId]
        : [];
  let delivered = started ? team.path.filter((id) => index.inject(id) !== undefined).length : 0;
  let ahead = 0;
  for (const pending of pendings) {
    // The inject a track waits for may already be on the team's path (entered, not yet delivered).
    if (started && index.inject(pending) && (several ? team.path.includes(pending) : team.path.at(-1) === pending)) delivered--;
    const seen = new Set<string>();
    for (let id = team.ended ? null : pending; id !== null && !seen.has(id);) {
      seen.add(id);
      const node = index.inject(id);
      if (!node) break;
      ahead++;
      id = node.next;
    }
  }
  return { delivered: Math.max(0, delivered), known: Math.max(0, delivered) + ahead };
}
