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

export function injectProgress(index: ScenarioIndex, team: Pick<TeamView, 'path' | 'nodeId' | 'nextInjectMs' | 'ended'>, started: boolean): InjectProgress {
  // Before the start nothing is delivered and the path begins at the scenario's first node.
  const pending = !started ? index.scenario.start : team.nextInjectMs !== null ? team.nodeId : null;
  let delivered = started ? team.path.filter((id) => index.inject(id) !== undefined).length : 0;
  // The inject the team waits for may already be on its path (entered, not yet delivered).
  if (started && pending !== null && team.path.at(-1) === pending && index.inject(pending)) delivered--;
  let ahead = 0;
  const seen = new Set<string>();
  for (let id = team.ended ? null : pending; id !== null && !seen.has(id); ) {
    seen.add(id);
    const node = index.inject(id);
    if (!node) break;
    ahead++;
    id = node.next;
  }
  return { delivered: Math.max(0, delivered), known: Math.max(0, delivered) + ahead };
}
