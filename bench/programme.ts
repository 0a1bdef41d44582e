/**
 * Programme-view benchmarks over 1,000 recorded sessions, each against the
 * time to read those sessions' rows (their whole event logs) in the same run,
 * printed as JSON lines { name, value, unit, baseline, ratio, target }:
 *  - the programme view, its own reading included (the store's programme
 *    rows: one stored scenario per hash and only the entry types it reads),
 *    with the library's scenarios;
 *  - the debriefs of the same 1,000 sessions, from their rows already read.
 * `programmeBenchmarks()` is called by bench/run.ts (group `programme`);
 * `npx tsx bench/programme.ts` runs it alone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { sha256Hex } from '../src-main/app/exports.ts';
import { readScenarioFile } from '../src-main/app/scenario-files.ts';
import { programmeSessions } from '../src-main/app/programme.ts';
import { computeDebrief } from '../src-main/core/debrief/compute.ts';
import type { LogEvent } from '../src-main/core/engine/events.ts';
import { compileScenario } from '../src-main/core/engine/machine.ts';
import { rehearse } from '../src-main/core/engine/rehearse.ts';
import { computeProgramme } from '../src-main/core/programme/programme.ts';
import type { Scenario } from '../src-main/core/scenario/schema.ts';
import { parseScenarioText } from '../src-main/core/scenario/validate.ts';
import { Store } from '../src-main/store/store.ts';
import { median, report, time } from './measure.ts';

const SCENARIOS = join(import.meta.dirname, '../scenarios');

/** The sample scenario with framework tags (format 1.1), so that every family is counted. */
function taggedSample(): Scenario {
  const loaded = readScenarioFile(join(SCENARIOS, 'sample-leaked-key.json'));
  if (!loaded.ok) throw new Error('The sample scenario is invalid.');
  const s = JSON.parse(JSON.stringify(loaded.scenario)) as Scenario;
  s.formatVersion = 1.1;
  s.meta.tags.push('playbook:IRP-CredCompromise', 'csf:RS.MA', 'attack:T1078.004');
  for (const node of s.timeline) {
    if (node.type === 'inject') node.tags.push('attack:T1496.001', 'csf:DE.AE');
    if (node.type === 'decision') for (const option of node.options) option.tags.push(option.recommended ? 'csf:RS.MI' : 'csf:RS.AN');
  }
  const result = parseScenarioText(JSON.stringify(s));
  if (!result.ok) throw new Error(`The tagged sample is invalid: ${JSON.stringify(result.errors)}`);
  return result.scenario;
}

/** Every bundled scenario that validates: the library the programme lists items of. */
function library(): Scenario[] {
  const scenarios: Scenario[] = [];
  for (const file of ['sample-leaked-key.json']) {
    const loaded = readScenarioFile(join(SCENARIOS, file));
    if (loaded.ok) scenarios.push(loaded.scenario);
  }
  return scenarios;
}

export function programmeBenchmarks(): void {
  const work = mkdtempSync(join(tmpdir(), 'sandtable-bench-programme-'));
  const store = Store.open({ dataDir: work });
  try {
    const scenario = taggedSample();
    const compiled = compileScenario(scenario);
    const scenarioJson = JSON.stringify(scenario);
    const sha = sha256Hex(scenarioJson);
    const ids: string[] = [];
    for (let i = 0; i < 1_000; i++) {
      const start = 1_700_000_000_000 + i * 86_400_000;
      const run = rehearse(scenario, { choices: 'random', seed: String(i), startWallMs: start, compiled, scenarioSha256: sha });
      const id = `s${String(i).padStart(4, '0')}`;
      store.sessions.create(
        { id, name: run.config.name, facilitator: 'bench', scenarioId: scenario.meta.id, scenarioVersion: scenario.meta.version, scenarioSha256: sha, scenarioJson, wallMs: start },
        run.events,
      );
      ids.push(id);
    }
    const lib = [...library(), scenario];
    const now = 1_700_000_000_000 + 1_100 * 86_400_000;

    let logs: LogEvent[][] = [];
    const read: number[] = [];
    const programme: number[] = [];
    const debriefs: number[] = [];
    let items = 0;
    // Warm-up, as the other groups do: the first runs measure the JIT, not the code.
    for (let i = 0; i < 2; i++) {
      computeProgramme(lib, programmeSessions(store), now);
      for (const id of ids) computeDebrief(scenario, store.sessions.events(id));
    }
    for (let i = 0; i < 7; i++) {
      read.push(time(() => (logs = ids.map((id) => store.sessions.events(id)))));
      programme.push(time(() => (items = computeProgramme(lib, programmeSessions(store), now).items.length)));
      debriefs.push(time(() => logs.forEach((events) => computeDebrief(scenario, events))));
    }
    const events = logs.reduce((sum, l) => sum + l.length, 0);
    report(
      `programme view over 1,000 sessions (${events} events, ${items} items; its own reading included) vs reading their rows`,
      median(programme),
      'ms',
      median(read),
      'ratio <= 1',
    );
    report(`debriefs of 1,000 sessions (${events} events) vs reading their rows`, median(debriefs), 'ms', median(read), 'ratio <= 1');
  } finally {
    store.close();
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) programmeBenchmarks();
