/**
 * The engine alone, per decision recorded: what `sessions.recordDecision`
 * asks of it (the session's tick, the team's command, the stored snapshot of
 * the team, the next wake-up), in the bench's looping scenario (a choice that
 * leads through an inject back to its decision) with one and six teams.
 * Measured against the same session driven through the plain machine
 * (`compileScenario(s, { plain: true })`: one state entered per microstep,
 * one `assign` per action, as every recorded log was made), alternated batch
 * by batch in one process: the ratio is what compiling a machine of one track
 * to step cheaper saves (see `oneTrack` in src-main/core/engine/machine.ts).
 * CPU time (the process's, the garbage collector's threads included) and wall
 * time. `engineBenchmarks()` is called by bench/run.ts (group `engine`);
 * `npx tsx bench/engine.ts` runs it alone.
 *
 * Cold too: in the app (and in bench/run.ts's `record`) each decision's
 * engine step starts right after a durable SQLite commit, its caches cooled,
 * and a session records hundreds of decisions, not the tens of thousands
 * that get every function of the step compiled by V8's optimiser. The cold
 * case times each decision on its own, right after such a commit (the app's
 * schema and pragmas), for as many decisions as the record bench makes, in a
 * new session, compiled and plain alternated decision by decision. It runs
 * before the warm case (`npx tsx bench/engine.ts`: in a process that has not
 * stepped the engine yet, as the app at its first decisions).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SessionConfig } from '../src-main/core/engine/events.ts';
import { compileScenario, type CompiledScenario } from '../src-main/core/engine/machine.ts';
import { SessionEngine } from '../src-main/core/engine/session.ts';
import { Scenario } from '../src-main/core/scenario/schema.ts';
import { openDatabase } from '../src-main/store/database.ts';
import { median, report } from './measure.ts';
import { loopingDecisionScenario } from './scenarios.ts';

const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** A running session of `teamCount` teams on `compiled`, and one decision recorded in it per call (by each team in turn). */
function decisions(scenario: Scenario, compiled: CompiledScenario, teamCount: number): () => void {
  const config: SessionConfig = {
    name: 'bench',
    facilitator: 'bench',
    sensitivity: 'TLP:CLEAR',
    scenarioId: scenario.meta.id,
    scenarioVersion: scenario.meta.version,
    scenarioSha256: '',
    seed: 'bench',
    speed: 1,
    teams: Array.from({ length: teamCount }, (_, i) => ({ id: `team-${i + 1}`, name: `Team ${i + 1}`, participants: [] })),
    milestoneTargets: {},
  };
  let wall = 1_700_000_000_000;
  let engine: SessionEngine;
  let count = 0;
  const fresh = () => {
    engine = SessionEngine.create(scenario, config, wall, compiled).engine;
    engine.start(wall);
  };
  fresh();
  return () => {
    // A new session now and then, so that the team's path does not grow without end.
    if (++count % 50_000 === 0) fresh();
    const teamId = `team-${(count % teamCount) + 1}`;
    wall += 7;
    engine.tick(wall);
    const events = engine.teamCommand(
      teamId,
      { type: 'decision.recorded', payload: { decisionId: 'd', optionId: 'again', rationale: 'Contain first: revoke the key.', decidedBy: 'Kim Lee (IC)' } },
      wall,
    );
    if (events.length !== 3) throw new Error(`unexpected events: ${events.map((e) => e.type).join()}`);
    engine.team(teamId).persisted();
    engine.nextWakeWallMs();
  };
}

function engineBench(teamCount: number): void {
  const scenario = Scenario.parse(loopingDecisionScenario());
  const compiled = decisions(scenario, compileScenario(scenario), teamCount);
  const plain = decisions(scenario, compileScenario(scenario, { plain: true }), teamCount);
  const batch = 1_000;
  const run = (step: () => void) => {
    const at = performance.now();
    const cpuAt = cpuNow();
    for (let i = 0; i < batch; i++) step();
    return { wall: (performance.now() - at) / batch, cpu: (cpuNow() - cpuAt) / batch };
  };
  for (let i = 0; i < 5; i++) {
    run(compiled);
    run(plain);
  }
  const samples = { compiled: { wall: [] as number[], cpu: [] as number[] }, plain: { wall: [] as number[], cpu: [] as number[] } };
  for (let round = 0; round < 40; round++) {
    for (const [name, step] of round % 2
      ? ([
          ['plain', plain],
          ['compiled', compiled],
        ] as const)
      : ([
          ['compiled', compiled],
          ['plain', plain],
        ] as const)) {
      const { wall, cpu } = run(step);
      samples[name].wall.push(wall);
      samples[name].cpu.push(cpu);
    }
  }
  const teams = teamCount === 1 ? '1 team' : `${teamCount} teams`;
  report(
    `CPU time of the engine alone per decision (${teams}, looping scenario), vs the plain machine (one state per microstep, one assign per action)`,
    median(samples.compiled.cpu),
    'ms',
    median(samples.plain.cpu),
    'ratio <= 0.5',
  );
  report(`the engine alone per decision (${teams}, looping scenario), vs the plain machine`, median(samples.compiled.wall), 'ms', median(samples.plain.wall), 'for comparison');
}

/** Each decision on its own, right after a durable commit (see the header), compiled and plain alternated; the first 100 of each are warm-up. */
function engineColdBench(teamCount: number): void {
  const dir = mkdtempSync(join(tmpdir(), 'sandtable-engine-cold-'));
  const db = openDatabase({ dataDir: dir });
  try {
    // Rows the size of what a decision writes (three events and a snapshot), committed as the store commits them.
    db.exec('CREATE TABLE bench_rows (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO bench_rows (body) VALUES (?)');
    const body = 'x'.repeat(400);
    const commit = db.transaction(() => {
      for (let i = 0; i < 4; i++) insert.run(body);
    });
    const scenario = Scenario.parse(loopingDecisionScenario());
    const compiled = decisions(scenario, compileScenario(scenario), teamCount);
    const plain = decisions(scenario, compileScenario(scenario, { plain: true }), teamCount);
    const samples = { compiled: [] as number[], plain: [] as number[] };
    const timed = (name: keyof typeof samples, step: () => void, keep: boolean) => {
      commit.immediate();
      const at = performance.now();
      step();
      if (keep) samples[name].push(performance.now() - at);
    };
    for (let i = 0; i < 700; i++) {
      const keep = i >= 100;
      if (i % 2) {
        timed('plain', plain, keep);
        timed('compiled', compiled, keep);
      } else {
        timed('compiled', compiled, keep);
        timed('plain', plain, keep);
      }
    }
    const teams = teamCount === 1 ? '1 team' : `${teamCount} teams`;
    report(
      `the engine alone per decision, cold: each right after a durable commit, 700 decisions of a new session (${teams}, looping scenario), vs the plain machine`,
      median(samples.compiled),
      'ms',
      median(samples.plain),
      'for comparison',
    );
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function engineBenchmarks(): void {
  engineColdBench(1);
  engineColdBench(6);
  engineBench(1);
  engineBench(6);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) engineBenchmarks();
