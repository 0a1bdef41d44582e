/**
 * The report methods of the contract (src-main/api/reports.ts): debrief,
 * exports, improvement plan and trends, on top of core + store.
 */
import type { z } from 'zod';
import type { ReportMethodName, ReportMethods } from '../api/reports.ts';
import { computeTrends, sessionKeyTimes, type SessionKeyTimes } from '../core/debrief/trends.ts';
import { improvementJson, toEntries, trackerCsv } from '../core/report/improvement-list.ts';
import { formatDate } from '../core/time-format.ts';
import type { Store } from '../store/store.ts';
import { AppError } from './errors.ts';
import { setAlternative, storedAlternatives } from './report-alternatives.ts';
import { deliver, prepareSessionDownload, type DownloadSaver } from './downloads.ts';
import { debriefSession, exportSession, loadSession, sessionReport, sessionWhatIf } from './exports.ts';

/** What the report handlers need of the application (Services provides it). */
export interface ReportServices {
  store: Store;
  context: { name: string; version: string };
  /** How this host delivers a streamed file (`exports.download`); none in a bare test Services. */
  downloadSaver?: () => DownloadSaver | null;
}

export type ReportHandlers = {
  // Every report method answers at once, except a download, which waits for the host (a save dialog).
  [M in ReportMethodName]: (
    input: z.output<ReportMethods[M]['input']>,
  ) => M extends 'exports.download' ? Promise<z.output<ReportMethods[M]['result']>> : z.output<ReportMethods[M]['result']>;
};

/** Handlers for the report methods. `now` gives the wall-clock time (tests pass a fake one). */
export function reportHandlers(services: ReportServices, now: () => number = Date.now): ReportHandlers {
  const { store, context } = services;
  const generator = `${context.name} ${context.version}`;

  const requireSession = (sessionId: string) => {
    if (!store.sessions.get(sessionId)) throw new AppError('not_found', `There is no session ${sessionId}.`, '/sessionId');
  };

  const searchPlan = (input: z.output<ReportMethods['improvementPlan.search']['input']>) => {
    const today = input.today ?? formatDate(now());
    const items = toEntries(
      store.improvementPlan.search({ teamName: input.teamName, statuses: input.statuses, owner: input.owner, dueFrom: input.dueFrom, dueTo: input.dueTo }),
      today,
    );
    return { today, items: input.overdueOnly ? items.filter((i) => i.overdue) : items };
  };

  return {
    'improvementPlan.search': (input) => searchPlan(input),

    'improvementPlan.export': (input) => {
      const { today, items } = searchPlan(input);
      return input.format === 'csv'
        ? { filename: `improvement-plan-${today}.csv`, mediaType: 'text/csv; charset=utf-8', content: trackerCsv(items) }
        : { filename: `improvement-plan-${today}.json`, mediaType: 'application/json', content: improvementJson(items, { generator, now: now(), today }) };
    },

    'debrief.get': ({ sessionId }) => debriefSession(loadSession(store, sessionId)),

    'reports.export': ({ sessionId, format, pseudonymise, alternatives }) =>
      exportSession(store, sessionId, { format, pseudonymise, alternatives: alternatives ?? storedAlternatives(store, sessionId), generator, now: now() }),

    'exports.download': async (request) => {
      const alternatives = request.file === 'export' ? (request.alternatives ?? storedAlternatives(store, request.sessionId)) : undefined;
      const download = prepareSessionDownload(store, request.file === 'export' ? { ...request, alternatives } : request, { generator, now: now() });
      return deliver(services.downloadSaver?.() ?? null, download);
    },

    'reports.aar': ({ sessionId, pseudonymise, alternatives }) =>
      sessionReport(store, sessionId, { pseudonymise, alternatives: alternatives ?? storedAlternatives(store, sessionId), generator, now: now() }),

    'reports.whatIf': ({ sessionId, ...request }) => sessionWhatIf(store, sessionId, request),

    'reports.alternatives': ({ sessionId }) => {
      requireSession(sessionId);
      return { alternatives: storedAlternatives(store, sessionId) };
    },

    'reports.listAlternative': ({ sessionId, listed, ...request }) => {
      requireSession(sessionId);
      return { alternatives: setAlternative(store, sessionId, request, listed, now(), () => void sessionWhatIf(store, sessionId, request)) };
    },

    'improvementPlan.list': ({ sessionId, teamNames, openOnly }) => store.improvementPlan.list({ sessionId, teamNames, statuses: openOnly ? ['open', 'in-progress'] : undefined }),

    'improvementPlan.create': (input) => {
      if (input.sessionId !== null) requireSession(input.sessionId);
      return store.improvementPlan.create(input, now());
    },

    'improvementPlan.update': ({ id, ...patch }) => {
      const updated = store.improvementPlan.update(id, patch, now());
      if (!updated) throw new AppError('not_found', `There is no improvement-plan item ${id}.`, '/id');
      return updated;
    },

    'trends.get': ({ scenarioId, teamName }) => {
      const sessions: SessionKeyTimes[] = [];
      for (const record of store.sessions.list()) {
        if (scenarioId !== undefined && record.scenarioId !== scenarioId) continue;
        const times = sessionKeyTimes(store.sessions.events(record.id));
        if (times) sessions.push(times);
      }
      return computeTrends(sessions, store.improvementPlan.list(), { scenarioId, teamName });
    },
  };
}
