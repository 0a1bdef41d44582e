/**
 * A child process runs sessions and prints each acknowledged event's sequence
 * number; this test kills it with SIGKILL at 100 random moments. After every
 * kill the store must hold every acknowledged event, pass integrity_check,
 * verify its hash chain, and replay to the same state.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Services } from '../../src-main/app/services.ts';
import { mulberry32 } from '../../src-main/core/engine/random.ts';
import { Store } from '../../src-main/store/store.ts';
import { engineTestScenarioInput } from '../helpers/scenario.ts';
import { tempDir } from '../helpers/tmp.ts';

const KILLS = 100;
const t = tempDir('sandtable-crash-');
const dataDir = join(t.dir, 'data');
const scenariosDir = join(t.dir, 'scenarios');
const childJs = join(t.dir, 'child.cjs');

beforeAll(async () => {
  mkdirSync(scenariosDir);
  writeFileSync(join(scenariosDir, 'engine-test.json'), JSON.stringify(engineTestScenarioInput()));
  // Bundle the child once so each of the 100 runs starts in plain node, quickly
  // (CommonJS, so that NODE_PATH finds better-sqlite3 from the temp folder).
  await build({
    entryPoints: [join(process.cwd(), 'tests/crash/child.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: childJs,
    external: ['better-sqlite3'],
    logLevel: 'silent',
  });
}, 60_000);

afterAll(() => t.cleanup());

function runUntilKilled(delayMs: number): Promise<{ acked: Map<string, number>; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [childJs, dataDir, scenariosDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_PATH: join(process.cwd(), 'node_modules') },
    });
    const acked = new Map<string, number>();
    let buffer = '';
    let stderr = '';
    let started = false;
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) {
        const m = /^ACK (\S+) (\d+)$/.exec(line);
        if (!m) continue;
        acked.set(m[1]!, Math.max(acked.get(m[1]!) ?? 0, Number(m[2])));
        if (!started) {
          started = true;
          setTimeout(() => child.kill('SIGKILL'), delayMs);
        }
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Guard: kill even if nothing was acknowledged (the test then fails on stderr).
    const guard = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('exit', () => {
      clearTimeout(guard);
      resolve({ acked, stderr });
    });
  });
}

describe('crash safety', () => {
  it(`loses no acknowledged event across ${KILLS} SIGKILLs`, async () => {
    const random = mulberry32(20261129);
    const everAcked = new Map<string, number>();
    let totalAcks = 0;
    for (let kill = 0; kill < KILLS; kill++) {
      const { acked, stderr } = await runUntilKilled(Math.floor(random() * 120));
      expect(stderr, `run ${kill} stderr`).not.toMatch(/Error|error/);
      for (const [id, seq] of acked) {
        everAcked.set(id, Math.max(everAcked.get(id) ?? 0, seq));
        totalAcks++;
      }

      const store = Store.open({ dataDir });
      try {
        expect(store.integrityCheck()).toBe('ok');
        for (const [sessionId, seq] of everAcked) {
          const record = store.sessions.get(sessionId);
          expect(record, `session ${sessionId}`).toBeDefined();
          expect(record!.lastSeq, `run ${kill}: session ${sessionId} lost acknowledged events`).toBeGreaterThanOrEqual(seq);
          expect(store.sessions.events(sessionId, seq - 1)[0]?.seq).toBe(seq);
          expect(store.sessions.verifyChain(sessionId)).toMatchObject({ ok: true });
        }
      } finally {
        store.close();
      }
    }
    expect(totalAcks).toBeGreaterThan(KILLS);

    // Finally: every session replays to the state the engine had recorded.
    const store = Store.open({ dataDir });
    const services = new Services(store, { name: 'Sandtable', version: 't', host: 'web', dataDir, scenariosDir });
    try {
      for (const sessionId of everAcked.keys()) {
        expect(services.sessions.verify(sessionId), sessionId).toMatchObject({ ok: true });
        const state = services.sessions.state(sessionId);
        const snapshots = store.sessions.snapshots(sessionId);
        for (const snap of snapshots) {
          const team = state.teams.find((tm) => tm.id === snap.teamId)!;
          const stored = (snap.state as { context: { pathLength: number; lastNode: string | null; choices: Record<string, string> } }).context;
          expect(team.path.length).toBe(stored.pathLength);
          expect(team.path.at(-1) ?? null).toBe(stored.lastNode);
          expect(team.choices).toEqual(stored.choices);
        }
      }
    } finally {
      services.close();
    }
  }, 600_000);
});
