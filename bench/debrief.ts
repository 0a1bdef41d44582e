/**
 * Debrief benchmarks, each against the time to read the same rows from
 * SQLite in the same run, printed as JSON lines { name, value, unit,
 * baseline, ratio, target }:
 *  - the debrief metrics of a 10,000-event session, and its after-action report;
 *  - trends over 1,000 sessions.
 * `debriefBenchmarks()` is called by bench/run.ts; `npx tsx bench/debrief.ts`
 * runs it alone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readScenarioFile } from '../src-main/app/scenario-files.ts';
import { computeDebrief } from '../src-main/core/debrief/compute.ts';
import { buildAfterActionReport } from '../src-main/core/report/aar.ts';
import { renderHtml } from '../src-main/core/report/html.ts';
import { computeTrends, sessionKeyTimes } from '../src-main/core/debrief/trends.ts';
import type { LogEvent, NewLogEvent } from '../src-main/core/engine/events.ts';
import { compileScenario } from '../src-main/core/engine/machine.ts';
import { rehearse } from '../src-main/core/engine/rehearse.ts';
import type { Scenario } from '../src-main/core/scenario/schema.ts';
import { Store } from '../src-main/store/store.ts';
import { median, report, time } from './measure.ts';
import { loopingSession } from './scenarios.ts';

/** A 10,000-event session of a looping decision, with notes and pauses along the way. */
function largeSession(store: Store): { scenario: Scenario; sessionId: string } {
  let wall = 1_700_000_000_000;
  const { scenario, engine, createdEvents } = loopingSession(store, 'large', wall);
  let count = createdEvents;
  const batch: NewLogEvent[] = [...engine.start((wall += 1_000))];
  for (let i = 0; count + batch.length < 10_000; i++) {
    batch.push(
      ...engine.teamCommand('team-1', { type: 'decision.recorded', payload: { decisionId: 'd', optionId: 'again', rationale: 'Because', decidedBy: 'Kim Lee' } }, (wall += 20_000)),
    );
    if (i % 25 === 0) batch.push(...engine.annotate('team-1', { text: 'Observation', objectiveId: 'obj1', rating: 'S' }, wall));
    if (i % 100 === 0) {
      batch.push(...engine.pause((wall += 1_000)));
      batch.push(...engine.resume((wall += 60_000)));
    }
    if (batch.length > 500) count += store.sessions.append('large', batch.splice(0), [], 'running', wall).length;
  }
  count += store.sessions.append('large', batch.splice(0), [], 'running', wall).length;
  return { scenario, sessionId: 'large' };
}

function debriefBench(store: Store): void {
  const { scenario, sessionId } = largeSession(store);
  let events: LogEvent[] = [];
  const read: number[] = [];
  const compute: number[] = [];
  for (let i = 0; i < 3; i++) computeDebrief(scenario, store.sessions.events(sessionId)); // warm-up
  for (let i = 0; i < 10; i++) {
    read.push(time(() => (events = store.sessions.events(sessionId))));
    compute.push(time(() => computeDebrief(scenario, events)));
  }
  report(`debrief metrics of a ${events.length}-event session vs reading its rows`, median(compute), 'ms', median(read), 'ratio <= 2');

  // The after-action report on top of the debrief: its model and its HTML (every decision in the appendix).
  const aar: number[] = [];
  for (let i = 0; i < 5; i++) {
    aar.push(
      time(() =>
        renderHtml(
          buildAfterActionReport({ scenario, debrief: computeDebrief(scenario, events), improvementItems: [], generatedTimestamp: 0, generator: 'bench', pseudonymised: false }),
        ),
      ),
    );
  }
  report(`after-action report (debrief, model and HTML) of a ${events.length}-event session vs reading its rows`, median(aar), 'ms', median(read), 'ratio <= 3');
}

function trendsBench(store: Store): void {
  const loaded = readScenarioFile(join(import.meta.dirname, '../scenarios/sample-leaked-key.json'));
  if (!loaded.ok) throw new Error('The sample scenario is invalid.');
  const scenario = loaded.scenario;
  const compiled = compileScenario(scenario);
  const scenarioJson = JSON.stringify(scenario);
  const ids: string[] = [];
  for (let i = 0; i < 1_000; i++) {
    const start = 1_700_000_000_000 + i * 86_400_000;
    const run = rehearse(scenario, { choices: 'random', seed: String(i), startWallMs: start, compiled });
    const id = `s${String(i).padStart(4, '0')}`;
    store.sessions.create(
      { id, name: run.config.name, facilitator: 'bench', scenarioId: scenario.meta.id, scenarioVersion: scenario.meta.version, scenarioSha256: '', scenarioJson, wallMs: start },
      run.events,
    );
    ids.push(id);
  }
  const items = Array.from({ length: 200 }, (_, i) =>
    store.improvementPlan.create(
      { sessionId: ids[i * 5]!, teamName: 'Rehearsal', area: `Area ${i}`, correctiveAction: 'Fix', status: i % 3 === 0 ? 'closed' : 'open' },
      1_700_000_000_000 + i * 3_600_000,
    ),
  );
  let logs: LogEvent[][] = [];
  const read: number[] = [];
  const compute: number[] = [];
  for (let i = 0; i < 7; i++) {
    read.push(time(() => (logs = ids.map((id) => store.sessions.events(id)))));
    compute.push(
      time(() => {
        const sessions = logs.map((events) => sessionKeyTimes(events)!);
        computeTrends(sessions, items, { scenarioId: scenario.meta.id });
      }),
    );
  }
  const events = logs.reduce((sum, l) => sum + l.length, 0);
  report(`trends over 1,000 sessions (${events} events) vs reading their rows`, median(compute), 'ms', median(read), 'ratio <= 1');
}

/** Runs the debrief benchmarks in a temporary data folder and prints one JSON line each. */
export function debriefBenchmarks(): void {
  const work = mkdtempSync(join(tmpdir(), 'sandtable-bench-debrief-'));
  const store = Store.open({ dataDir: work });
  try {
    debriefBench(store);
    trendsBench(store);
  } finally {
    store.close();
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) debriefBenchmarks();
