/**
 * The what-if replays a facilitator lists, on the debrief, in the after-action
 * report as "alternatives discussed". Main keeps the list in the data folder
 * (`reports.alternatives`, `reports.listAlternative`), never in the session's
 * log; every report of the session lists them.
 *
 * Earlier versions kept the list in this browser's local storage: the first
 * time a session's list is read, such a list is handed to main and removed
 * from the browser.
 */
import type { InputOf } from '../../../../src-main/api/contract.ts';
import type { Api } from '../../lib/api.ts';

export type AlternativeRequest = Omit<InputOf<'reports.listAlternative'>, 'sessionId' | 'listed'>;

const legacyKey = (sessionId: string) => `sandtable.report-alternatives.${sessionId}`;

function legacyList(sessionId: string): AlternativeRequest[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(legacyKey(sessionId)) ?? '[]');
    if (!Array.isArray(parsed)) return [];
    return parsed.filter((v: unknown): v is AlternativeRequest => {
      if (typeof v !== 'object' || v === null) return false;
      const r = v as Record<string, unknown>;
      return typeof r.teamId === 'string' && typeof r.decisionId === 'string' && typeof r.optionId === 'string';
    });
  } catch {
    return [];
  }
}

export const sameAlternative = (a: AlternativeRequest, b: AlternativeRequest): boolean =>
  a.teamId === b.teamId && a.decisionId === b.decisionId && (a.visit ?? 1) === (b.visit ?? 1) && a.optionId === b.optionId;

/** The replays listed for the session's report (moving an old browser-kept list to main first). */
export async function loadAlternatives(api: Api, sessionId: string): Promise<AlternativeRequest[]> {
  const legacy = legacyList(sessionId);
  if (legacy.length > 0) {
    for (const request of legacy) {
      // A replay main refuses (the list is full, a decision it does not know) is dropped with the old list.
      await api.call('reports.listAlternative', { sessionId, ...request, listed: true }).catch(() => undefined);
    }
    localStorage.removeItem(legacyKey(sessionId));
  }
  return (await api.call('reports.alternatives', { sessionId })).alternatives;
}

/** Lists a replay in the report, or takes it off; resolves to the list main keeps. */
export async function setAlternative(api: Api, sessionId: string, request: AlternativeRequest, listed: boolean): Promise<AlternativeRequest[]> {
  return (await api.call('reports.listAlternative', { sessionId, ...request, listed })).alternatives;
}
