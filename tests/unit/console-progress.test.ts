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
    const { id: sessionId } = await call('sessions.create', { scenarioId: 'sample-leaked-key', name: 'Progress', facilitator: 'Ana', teams: [{ name: 'Blue' }], speed: 0, seed: 's' });
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
