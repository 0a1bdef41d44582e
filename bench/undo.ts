/**
 * Linearity with undos: sessions of 10,000 and 100,000 events in which the
 * facilitator undoes every tenth decision. Replay, the debrief and the JSON
 * export of the large one are measured against ten times the small one
 * (linear = ratio 1), and the export's peak memory against reading the rows.
 * `undoBenchmarks()` is called by bench/run.ts; `npx tsx bench/undo.ts` runs it alone.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { exportSession, loadSession, writeSessionExport } from '../src-main/app/exports.ts';
import { computeDebrief } from '../src-main/core/debrief/compute.ts';
import type { NewLogEvent } from '../src-main/core/engine/events.ts';
import { SessionEngine } from '../src-main/core/engine/session.ts';
import type { Scenario } from '../src-main/core/scenario/schema.ts';
import { Store } from '../src-main/store/store.ts';
import { median, report, time } from './measure.ts';
import { loopingSession } from './scenarios.ts';

/** Records a session of about `size` events, undoing every tenth decision. */
export function sessionWithUndos(store: Store, sessionId: string, size: number): Scenario {
  let wall = 1_700_000_000_000;
  const { scenario, engine, createdEvents } = loopingSession(store, sessionId, wall);
  let seq = createdEvents; // the store numbers events 1, 2, 3...: the seq of the next one is known
  const batch: NewLogEvent[] = [...engine.start((wall += 1_000))];
  for (let i = 0; seq + batch.length < size; i++) {
    const produced = engine.teamCommand(
      'team-1',
      { type: 'decision.recorded', payload: { decisionId: 'd', optionId: 'again', rationale: 'Because', decidedBy: 'Kim Lee' } },
      (wall += 20_000),
    );
    const decisionSeq = seq + batch.length + produced.findIndex((e) => e.type === 'decision.recorded') + 1;
    batch.push(...produced);
    if (i % 10 === 9) batch.push(...engine.correct({ seq: decisionSeq, type: 'decision.recorded', teamId: 'team-1' }, 'slip', wall));
    if (i % 25 === 0) batch.push(...engine.annotate('team-1', { text: 'Observation', rating: 'S' }, wall));
    if (batch.length > 500) seq += store.sessions.append(sessionId, batch.splice(0), [], 'running', wall).length;
  }
  store.sessions.append(sessionId, batch.splice(0), [], 'running', wall);
  return scenario;
}

function measure(samples: number, fn: () => void): number {
  fn(); // warm-up
  const out: number[] = [];
  for (let i = 0; i < samples; i++) out.push(time(fn));
  return median(out);
}

/** Peak RSS (MiB) of a child process doing one thing with the session. */
function childPeakMiB(dataDir: string, sessionId: string, what: 'read' | 'export' | 'string', out: string): number {
  const stdout = execFileSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'undo.ts'), '--child', what, dataDir, sessionId, out], { encoding: 'utf8' });
  return Number(stdout.trim().split('\n').at(-1));
}

export function undoBenchmarks(): void {
  const work = mkdtempSync(join(tmpdir(), 'sandtable-bench-undo-'));
  const store = Store.open({ dataDir: work });
  try {
    const scenario = sessionWithUndos(store, 'small', 10_000);
    sessionWithUndos(store, 'large', 100_000);
    const small = store.sessions.events('small');
    const large = store.sessions.events('large');
    const corrections = large.filter((e) => e.type === 'event.corrected').length;
    const label = `${large.length}-event session (${corrections} undos, one every ten decisions) vs 10 × the ${small.length}-event one`;
    const replaySmall = measure(5, () => SessionEngine.replay(scenario, small));
    const replayLarge = measure(3, () => SessionEngine.replay(scenario, large));
    report(`replay a ${label}`, replayLarge, 'ms', 10 * replaySmall, 'ratio <= 1.5');
    const debriefSmall = measure(5, () => computeDebrief(scenario, small));
    const debriefLarge = measure(3, () => computeDebrief(scenario, large));
    report(`debrief of a ${label}`, debriefLarge, 'ms', 10 * debriefSmall, 'ratio <= 1.5');
    const exportOptions = { format: 'json' as const, pseudonymise: false, generator: 'bench', now: 0 };
    const out = join(work, 'export.json');
    const exportSmall = measure(3, () => writeSessionExport(store, 'small', exportOptions, out));
    const exportLarge = measure(2, () => writeSessionExport(store, 'large', exportOptions, out));
    report(`JSON export to a file of a ${label}`, exportLarge, 'ms', 10 * exportSmall, 'ratio <= 1.5');
    const readLarge = measure(2, () => loadSession(store, 'large'));
    report(`JSON export to a file of the ${large.length}-event session vs reading and parsing its rows`, exportLarge, 'ms', readLarge, 'ratio <= 4');
  } finally {
    store.close();
  }
  try {
    const reading = childPeakMiB(work, 'large', 'read', '');
    const exporting = childPeakMiB(work, 'large', 'export', join(work, 'child-export.json'));
    const asString = childPeakMiB(work, 'large', 'string', join(work, 'child-export-string.json'));
    report(`peak RSS writing the JSON export of the 100k-event session, streamed, vs a process only reading its rows`, exporting, 'MiB', reading, 'ratio <= 1.5');
    report(`peak RSS writing the same export built as one string (reports.export still does) vs only reading its rows`, asString, 'MiB', reading, 'for comparison');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  const [, , , what, dataDir, sessionId, out] = process.argv;
  const store = Store.open({ dataDir: dataDir! });
  if (what === 'read') loadSession(store, sessionId!);
  else if (what === 'string') writeFileSync(out!, exportSession(store, sessionId!, { format: 'json', pseudonymise: false, generator: 'bench', now: 0 }).content);
  else writeSessionExport(store, sessionId!, { format: 'json', pseudonymise: false, generator: 'bench', now: 0 }, out!);
  store.close();
  console.log(Math.round(process.resourceUsage().maxRSS / 1024));
} else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  undoBenchmarks();
}
