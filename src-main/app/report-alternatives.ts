/**
 * The what-if replays a facilitator lists in a session's after-action report
 * as "alternatives discussed": kept in the data folder (outside the event
 * log), so the report screen, its exports and `npm run report` list the same
 * ones on any machine that opens the data folder.
 */
import { MAX_ALTERNATIVES, WhatIfRequestSchema, type WhatIfRequest } from '../core/report/what-if-model.ts';
import type { Store } from '../store/store.ts';
import { AppError } from './errors.ts';

const StoredAlternatives = WhatIfRequestSchema.array().max(MAX_ALTERNATIVES);

const same = (a: WhatIfRequest, b: WhatIfRequest) => a.teamId === b.teamId && a.decisionId === b.decisionId && a.visit === b.visit && a.optionId === b.optionId;

/** The alternatives listed for a session's report, in the order they were listed (none when nothing valid is stored). */
export function storedAlternatives(store: Store, sessionId: string): WhatIfRequest[] {
  const parsed = StoredAlternatives.safeParse(store.reportAlternatives.get(sessionId) ?? []);
  return parsed.success ? parsed.data : [];
}

/**
 * Lists or unlists one replay. `validate` runs the replay first (it throws the
 * contract's error for a decision or option the session does not have), so
 * only replays that can be built are ever stored.
 */
export function setAlternative(store: Store, sessionId: string, request: WhatIfRequest, listed: boolean, wallMs: number, validate: () => void): WhatIfRequest[] {
  const current = storedAlternatives(store, sessionId);
  const present = current.some((a) => same(a, request));
  if (listed === present) return current;
  if (listed && current.length >= MAX_ALTERNATIVES) {
    throw new AppError('conflict', `The report lists at most ${MAX_ALTERNATIVES} alternatives: remove one first.`, '/listed');
  }
  if (listed) validate();
  const next = listed ? [...current, request] : current.filter((a) => !same(a, request));
  store.reportAlternatives.set(sessionId, next, wallMs);
  return next;
}
