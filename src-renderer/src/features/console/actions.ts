/**
 * Names the console gives its per-team actions and drafts. LiveSession keeps
 * an action's in-flight flag and last failure under its name, and a draft's
 * text under its key, so every control that shows them must use these.
 */

export type TeamActionKind = 'decision' | 'milestone' | 'contingency' | 'note' | 'undo';

/** The action name of a kind of team action, e.g. `milestone:team-1`. */
export function teamAction(kind: TeamActionKind, teamId: string): string {
  return `${kind}:${teamId}`;
}

/** Prefix of the drafts of a team's record-decision form (option, rationale, decidedBy). */
export function decisionDraft(teamId: string, decisionId: string): string {
  return `${teamId}/decision/${decisionId}/`;
}

/** Prefix of every decision draft of a team. */
export function decisionDrafts(teamId: string): string {
  return `${teamId}/decision/`;
}

/** Prefix of the drafts of a team's note form (text, objective, rating, whole). */
export function noteDraft(teamId: string): string {
  return `${teamId}/note/`;
}
