/**
 * The what-if replays a facilitator chose, on the debrief, to list in the
 * after-action report as "alternatives discussed". Only the requests are
 * kept (team, decision, visit, option), in this browser's local storage per
 * session — never in the session's log; the report replays them when it is
 * built. Local storage (not session storage) so the Electron host's
 * off-screen print window sees the same choice.
 */
import type { InputOf } from '../../../../src-main/api/contract.ts';

export type AlternativeRequest = NonNullable<InputOf<'reports.aar'>['alternatives']>[number];

const key = (sessionId: string) => `sandtable.report-alternatives.${sessionId}`;

function valid(value: unknown): value is AlternativeRequest {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.teamId === 'string' && typeof v.decisionId === 'string' && typeof v.optionId === 'string' && (v.visit === undefined || typeof v.visit === 'number');
}

export function loadAlternatives(sessionId: string): AlternativeRequest[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(key(sessionId)) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter(valid).slice(0, 10) : [];
  } catch {
    return [];
  }
}

function save(sessionId: string, list: readonly AlternativeRequest[]): void {
  if (list.length) localStorage.setItem(key(sessionId), JSON.stringify(list));
  else localStorage.removeItem(key(sessionId));
}

const same = (a: AlternativeRequest, b: AlternativeRequest) => a.teamId === b.teamId && a.decisionId === b.decisionId && (a.visit ?? 1) === (b.visit ?? 1) && a.optionId === b.optionId;

export function hasAlternative(sessionId: string, request: AlternativeRequest): boolean {
  return loadAlternatives(sessionId).some((a) => same(a, request));
}

/** Lists a replay in the report (at most 10); returns whether it is listed. */
export function addAlternative(sessionId: string, request: AlternativeRequest): boolean {
  const list = loadAlternatives(sessionId);
  if (list.some((a) => same(a, request))) return true;
  if (list.length >= 10) return false;
  save(sessionId, [...list, request]);
  return true;
}

export function removeAlternative(sessionId: string, request: AlternativeRequest): void {
  save(sessionId, loadAlternatives(sessionId).filter((a) => !same(a, request)));
}
