/**
 * Evidence on request (format 1.1): which held-back evidence items each team
 * has been shown, folded from the log's `evidence.revealed` records — one rule
 * for the console, the projector, the phones, the debrief and the report.
 *
 * Reveals are session-level records like votes: replay passes over them and
 * undo neither targets nor cancels them (a reveal cannot be unseen by the room;
 * a slip is corrected by a note). A reveal of an item already revealed for the
 * team is refused before it is written, so each item is revealed once per team.
 */
import type { EvidenceRevealedPayload, LogEvent } from './engine/events.ts';
import type { Evidence, Scenario } from './scenario/schema.ts';

export interface RevealEntry extends EvidenceRevealedPayload {
  teamId: string;
  seq: number;
  wallMs: number;
  scenarioMs: number;
}

/** team -> evidence id -> its reveal. */
export type Reveals = Map<string, Map<string, RevealEntry>>;

export function foldReveals(events: Iterable<LogEvent>): Reveals {
  const reveals: Reveals = new Map();
  for (const event of events) applyReveal(reveals, event);
  return reveals;
}

/** Applies one event (a no-op for anything but `evidence.revealed`). */
export function applyReveal(reveals: Reveals, event: LogEvent): void {
  if (event.type !== 'evidence.revealed' || event.teamId === null) return;
  const team = reveals.get(event.teamId) ?? new Map<string, RevealEntry>();
  reveals.set(event.teamId, team);
  if (!team.has(event.payload.evidenceId))
    team.set(event.payload.evidenceId, { ...event.payload, teamId: event.teamId, seq: event.seq, wallMs: event.wallMs, scenarioMs: event.scenarioMs });
}

/** The evidence ids revealed for one team. */
export function revealedFor(reveals: Reveals, teamId: string): ReadonlySet<string> {
  return new Set(reveals.get(teamId)?.keys() ?? []);
}

/** Whether an evidence item is held back until asked for. */
export function isHeldBack(item: Evidence): boolean {
  return item.onRequest !== undefined;
}

/** Whether a team sees an evidence item now: not held back, or revealed for it. */
export function isShown(item: Evidence, revealed: ReadonlySet<string>): boolean {
  return !isHeldBack(item) || revealed.has(item.id);
}

/**
 * Whether an item may be revealed for a team: it is held back, not yet
 * revealed, and belongs to an inject or contingency the team has been given.
 * Returns the inject's id, or the reason it may not.
 */
export function revealable(
  scenario: Scenario,
  evidenceId: string,
  delivered: ReadonlyArray<string>,
  revealed: ReadonlySet<string>,
): { ok: true; injectId: string } | { ok: false; code: 'not_found' | 'conflict'; message: string } {
  const item = scenario.evidence.find((e) => e.id === evidenceId);
  if (!item) return { ok: false, code: 'not_found', message: `The scenario has no evidence ${evidenceId}.` };
  if (!isHeldBack(item)) return { ok: false, code: 'conflict', message: `${item.caption} is not held back: the team sees it with its inject.` };
  if (revealed.has(evidenceId)) return { ok: false, code: 'conflict', message: `${item.caption} has already been revealed to this team.` };
  const nodes = [...scenario.timeline, ...scenario.contingencies];
  const injectId = delivered.find((id) => nodes.some((n) => n.id === id && 'evidence' in n && n.evidence.includes(evidenceId)));
  if (injectId === undefined) return { ok: false, code: 'conflict', message: `${item.caption} belongs to no inject this team has been given yet.` };
  return { ok: true, injectId };
}

/** Whether a participant's role (a role id or name, as recorded at join) is one of an audience's role ids. */
export function inAudience(audience: readonly string[] | undefined, role: string | null, roles: Scenario['roles']): boolean {
  if (!audience || audience.length === 0) return true;
  const id = participantRoleId(role, roles);
  return id === null || audience.includes(id);
}

/** The scenario role a participant's recorded role stands for (by id or by name), or null. */
export function participantRoleId(role: string | null, roles: Scenario['roles']): string | null {
  if (role === null) return null;
  const wanted = role.trim().toLowerCase();
  return roles.find((r) => r.id.toLowerCase() === wanted || r.name.toLowerCase() === wanted)?.id ?? null;
}
