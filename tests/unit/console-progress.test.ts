import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../src-main/app/dispatch.ts';
import { openApp } from '../../src-main/app/open.ts';
import { injectProgress } from '../../src-renderer/src/features/console/progress.ts';
import { ScenarioIndex } from '../../src-renderer/src/features/console/scenario-index.ts';
import { tempDir } from '../helpers/tmp.ts';

/** "Inject n of N on the path so far", from real session states of the bundled sample. */

const data = tempDir();
const services = openApp({ dataDir: data.dir, host: 'web', version: '0.0.0-test', scenariosDir: join(process.cwd(), 'scenarios') });
afterAll(() => {
  services.close();
  data.cleanup();
});

async function call(method: string, input: unknown): Promise<any> {
  const response = await dispatch(services, method, input, { role: 'facilitator' });
  if (!response.ok) throw new Error(`${method}: ${response.error.message}`);
  return response.result;
}

describe('inject progress', () => {
  it('counts what was delivered and what is scheduled before the next decision, as the team moves on', async () => {
    const { id: sessionId } = await call('sessions.create', {
      scenarioId: 'sample-leaked-key',
      name: 'Progress',
      facilitator: 'Ana',
      teams: [{ name: 'Blue' }],
      speed: 0,
      seed: 's',
    });
    const index = new ScenarioIndex(await call('sessions.scenario', { sessionId }));
    const progress = async () => {
      const state = await call('sessions.get', { sessionId });
      return injectProgress(index, state.teams[0], state.status !== 'setup');
    };

    // Before the start: the three injects up to the first decision lie ahead.
    expect(await progress()).toEqual({ delivered: 0, known: 3 });
    await call('sessions.start', { sessionId });
    expect(await progress()).toEqual({ delivered: 1, known: 3 });
    await call('sessions.advance', { sessionId });
    expect(await progress()).toEqual({ delivered: 2, known: 3 });
    await call('sessions.advance', { sessionId });
    // The decision is open: what follows depends on it.
    expect(await progress()).toEqual({ delivered: 3, known: 3 });
    await call('sessions.recordDecision', { sessionId, teamId: 'team-1', decisionId: 'd-contain', optionId: 'deactivate' });
    // The branch chose the next inject (due at 12:00): now on the path, not yet delivered.
    expect(await progress()).toEqual({ delivered: 3, known: 4 });
    await call('sessions.advance', { sessionId });
    expect(await progress()).toEqual({ delivered: 4, known: 4 });
    await call('sessions.recordDecision', { sessionId, teamId: 'team-1', decisionId: 'd-recover', optionId: 'federate' });
    const state = await call('sessions.get', { sessionId });
    expect(state.teams[0].ended).not.toBeNull();
    expect(await progress()).toEqual({ delivered: 4, known: 4 });
  });
});

describe('inject progress with parallel tracks', () => {
  it('counts only injects delivered in any track, and those scheduled in every track', async () => {
    const { mkdtempSync, copyFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'sandtable-progress-tracks-'));
    copyFileSync('tests/fixtures/scenarios/two-tracks.json', join(dir, 'two-tracks.json'));
    const own = tempDir();
    const app = openApp({ dataDir: own.dir, host: 'web', version: '0.0.0-test', scenariosDir: dir });
    const run = async (method: string, input: unknown): Promise<any> => {
      const response = await dispatch(app, method, input, { role: 'facilitator' });
      if (!response.ok) throw new Error(`${method}: ${response.error.message}`);
      return response.result;
    };
    try {
      const { id: sessionId } = await run('sessions.create', { scenarioId: 'two-tracks', name: 'Progress', facilitator: 'Ana', teams: [{ name: 'Blue' }], speed: 0, seed: 's' });
      const index = new ScenarioIndex(await run('sessions.scenario', { sessionId }));
      const progress = async () => {
        const state = await run('sessions.get', { sessionId });
        return injectProgress(index, state.teams[0], state.status !== 'setup');
      };
      // Before the start: t1 (technical) and x1 (executive) lie ahead, each before its track's first decision.
      expect(await progress()).toEqual({ delivered: 0, known: 2 });
      await run('sessions.start', { sessionId });
      // t1 delivered; x1 is waiting for minute 5 (entered, not delivered).
      expect(await progress()).toEqual({ delivered: 1, known: 2 });
      await run('sessions.advance', { sessionId });
      expect(await progress()).toEqual({ delivered: 2, known: 2 });
    } finally {
      app.close();
      own.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
