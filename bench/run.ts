/**
 * `npm run bench`: each measurement against a baseline taken in the same run,
 * printed as JSON lines { name, value, unit, baseline, ratio, target }.
 * Machines here are shared and noisy: read the ratios, not the absolute times.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { dispatch } from '../src-main/app/dispatch.ts';
import { Services } from '../src-main/app/services.ts';
import { compileScenario } from '../src-main/core/engine/machine.ts';
import { SessionEngine } from '../src-main/core/engine/session.ts';
import { parseScenarioText } from '../src-main/core/scenario/validate.ts';
import { Store } from '../src-main/store/store.ts';
import { debriefBenchmarks } from './debrief.ts';
import { participantsBench } from './participants.ts';
import { median, report, time } from './measure.ts';
import { generatedScenario, loopingDecisionScenario } from './scenarios.ts';

const work = mkdtempSync(join(tmpdir(), 'sandtable-bench-'));

async function recordDecisionBench(): Promise<void> {
  const scenariosDir = join(work, 'scenarios');
  mkdirSync(scenariosDir, { recursive: true });
  writeFileSync(join(scenariosDir, 'looping.json'), JSON.stringify(loopingDecisionScenario()));
  const dataDir = join(work, 'decisions');
  const services = new Services(Store.open({ dataDir }), { name: 'Sandtable', version: 'bench', host: 'web', dataDir, scenariosDir });
  const grant = { role: 'facilitator' } as const;
  const created = await dispatch(services, 'sessions.create', { scenarioId: 'looping', name: 'bench', facilitator: 'bench', teams: [{ name: 'A' }], speed: 0 }, grant);
  if (!created.ok) throw new Error(created.error.message);
  const sessionId = (created.result as { id: string }).id;
  await dispatch(services, 'sessions.start', { sessionId }, grant);

  const raw = new BetterSqlite3(join(work, 'baseline.db'));
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.exec('CREATE TABLE events (seq INTEGER PRIMARY KEY, session_id TEXT NOT NULL, payload_json TEXT NOT NULL) STRICT');
  const insert = raw.prepare('INSERT INTO events (session_id, payload_json) VALUES (?, ?)');
  const payload = JSON.stringify({ decisionId: 'd', optionId: 'again', rationale: 'Because', decidedBy: 'IC' });

  const record = async () => {
    const start = performance.now();
    const response = await dispatch(
      services,
      'sessions.recordDecision',
      { sessionId, teamId: 'team-1', decisionId: 'd', optionId: 'again', rationale: 'Because', decidedBy: 'IC' },
      grant,
    );
    if (!response.ok) throw new Error(response.error.message);
    return performance.now() - start;
  };
  const bare = () => time(() => raw.transaction(() => insert.run(sessionId, payload)).immediate());
  // Warm up both paths (JIT, page cache), then alternate blocks so both see the same machine conditions.
  for (let i = 0; i < 100; i++) {
    bare();
    await record();
  }
  const service: number[] = [];
  const baseline: number[] = [];
  for (let block = 0; block < 10; block++) {
    for (let i = 0; i < 50; i++) baseline.push(bare());
    for (let i = 0; i < 50; i++) service.push(await record());
  }
  report('record decision via app service (validate, engine, durable commit) vs bare insert', median(service), 'ms', median(baseline), 'ratio <= 1.5');
  raw.close();
  services.close();
}

function validateCompileBench(): void {
  const text = JSON.stringify(generatedScenario(2_000));
  const parse: number[] = [];
  const full: number[] = [];
  for (let i = 0; i < 30; i++) {
    parse.push(time(() => JSON.parse(text)));
    full.push(
      time(() => {
        const result = parseScenarioText(text);
        if (!result.ok) throw new Error(JSON.stringify(result.errors.slice(0, 3)));
        compileScenario(result.scenario);
      }),
    );
  }
  report('validate + compile a 2,000-node scenario vs JSON.parse', median(full), 'ms', median(parse), 'value <= 50 ms');
}

function replayBench(): void {
  const scenarioText = JSON.stringify(loopingDecisionScenario());
  const parsed = parseScenarioText(scenarioText);
  if (!parsed.ok) throw new Error('bench scenario invalid');
  const scenario = parsed.scenario;
  const dataDir = join(work, 'replay');
  const store = Store.open({ dataDir });
  const config = {
    name: 'replay',
    facilitator: 'bench',
    sensitivity: 'x',
    scenarioId: 'looping',
    scenarioVersion: '1.0.0',
    scenarioSha256: '',
    seed: 's',
    speed: 0 as const,
    teams: [{ id: 'team-1', name: 'A', participants: [] }],
    milestoneTargets: {},
  };
  let wall = 1;
  const { engine, events } = SessionEngine.create(scenario, config, wall);
  store.sessions.create({ id: 'r', name: 'r', facilitator: 'b', scenarioId: 'looping', scenarioVersion: '1.0.0', scenarioSha256: '', scenarioJson: scenarioText, wallMs: wall }, events);
  store.sessions.append('r', engine.start(++wall), [], 'running', wall);
  let count = store.sessions.get('r')!.lastSeq;
  const batch: ReturnType<SessionEngine['start']> = [];
  while (count + batch.length < 10_000) {
    batch.push(...engine.teamCommand('team-1', { type: 'decision.recorded', payload: { decisionId: 'd', optionId: 'again', rationale: 'r', decidedBy: 'b' } }, ++wall));
    if (batch.length > 500) {
      count += store.sessions.append('r', batch.splice(0), [], 'running', wall).length;
    }
  }
  count += store.sessions.append('r', batch.splice(0), [], 'running', wall).length;

  const read: number[] = [];
  const replay: number[] = [];
  for (let i = 0; i < 10; i++) {
    read.push(time(() => store.sessions.events('r')));
    replay.push(time(() => SessionEngine.replay(scenario, store.sessions.events('r'))));
  }
  report(`replay a ${count}-event session from the log vs reading its rows`, median(replay), 'ms', median(read), 'value <= 200 ms');
  store.close();
}

try {
  await recordDecisionBench();
  validateCompileBench();
  replayBench();
  debriefBenchmarks();
  await participantsBench(work);
} finally {
  rmSync(work, { recursive: true, force: true });
}
