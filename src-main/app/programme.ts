/**
 * The programme methods of the contract (src-main/api/programme.ts), on top
 * of core/programme and the store's programme rows: the library's scenarios,
 * one stored copy of each scenario the sessions ran (checked against its
 * SHA-256), and only the log entries the programme reads.
 */
import type { z } from 'zod';
import type { ProgrammeMethodName, ProgrammeMethods } from '../api/programme.ts';
import { programmeCsv, programmeJson } from '../core/programme/export.ts';
import { navigatorLayer } from '../core/programme/navigator.ts';
import { computeProgramme, PROGRAMME_EVENT_TYPES, type Programme, type ProgrammeEntry, type ProgrammeSessionInput } from '../core/programme/programme.ts';
import { Scenario } from '../core/scenario/schema.ts';
import { formatDate } from '../core/time-format.ts';
import type { Store } from '../store/store.ts';
import { sha256Hex } from './exports.ts';
import type { ScenarioLibrary } from './scenario-library.ts';

export interface ProgrammeServices {
  store: Store;
  library: Pick<ScenarioLibrary, 'list' | 'get'>;
  context: { name: string; version: string };
}

export type ProgrammeHandlers = {
  [M in ProgrammeMethodName]: (input: z.output<ProgrammeMethods[M]['input']>) => z.output<ProgrammeMethods[M]['result']>;
};

/** The scenarios in the library now (those that cannot be read are left out, as the library list leaves them out). */
function libraryScenarios(library: ProgrammeServices['library']): Scenario[] {
  const scenarios: Scenario[] = [];
  for (const summary of library.list().scenarios) {
    try {
      scenarios.push(library.get(summary.id));
    } catch {
      // Removed or broken since it was listed: it declares nothing now.
    }
  }
  return scenarios;
}

/** Every recorded session with its scenario and the log entries the programme reads (no whole logs). */
export function programmeSessions(store: Store): ProgrammeSessionInput[] {
  const scenarios = new Map<string, Scenario | null>();
  for (const { sha256, json } of store.programme.scenarios()) {
    let scenario: Scenario | null = null;
    try {
      // A stored copy whose hash is not the one recorded is not trusted (the session's own check refuses it too).
      if (sha256Hex(json) === sha256) scenario = Scenario.parse(JSON.parse(json));
    } catch {
      scenario = null;
    }
    scenarios.set(sha256, scenario);
  }
  const bySession = new Map<string, ProgrammeEntry[]>();
  for (const row of store.programme.events(PROGRAMME_EVENT_TYPES)) {
    let list = bySession.get(row.sessionId);
    if (!list) bySession.set(row.sessionId, (list = []));
    list.push(row);
  }
  return store.programme.sessions().map((s) => {
    const events = bySession.get(s.id) ?? [];
    // The log's own record of the scenario's hash (session.created is covered by the hash chain).
    const created = events[0]?.type === 'session.created' ? (events[0].payload as { scenarioSha256?: unknown }).scenarioSha256 : undefined;
    const scenario = created === undefined || created === s.scenarioSha256 ? (scenarios.get(s.scenarioSha256) ?? null) : null;
    return { sessionId: s.id, name: s.name, scenario, events };
  });
}

/** Handlers for the programme methods. `now` gives the wall-clock time (tests pass a fake one). */
export function programmeHandlers(services: ProgrammeServices, now: () => number = Date.now): ProgrammeHandlers {
  const { store, library, context } = services;
  const generator = `${context.name} ${context.version}`;

  const programme = (input: z.output<ProgrammeMethods['reports.programme']['input']>): Programme => {
    const at = input.asOf === undefined ? now() : Date.parse(`${input.asOf}T23:59:59.999Z`);
    return computeProgramme(libraryScenarios(library), programmeSessions(store), at, input);
  };

  return {
    'reports.programme': (input) => programme(input),
    'reports.programmeExport': ({ format, ...input }) => {
      const result = programme(input);
      const day = formatDate(result.generatedTimestamp);
      switch (format) {
        case 'csv':
          return { filename: `programme-${day}.csv`, mediaType: 'text/csv; charset=utf-8', content: programmeCsv(result) };
        case 'json':
          return { filename: `programme-${day}.json`, mediaType: 'application/json', content: programmeJson(result, generator) };
        case 'navigator':
          return { filename: `attack-navigator-layer-${day}.json`, mediaType: 'application/json', content: `${JSON.stringify(navigatorLayer(result, { generator }), null, 2)}\n` };
      }
    },
  };
}
