import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../src-main/app/dispatch.ts';
import { Services } from '../../src-main/app/services.ts';
import { Store } from '../../src-main/store/store.ts';
import { FakeClock } from '../helpers/fake-clock.ts';
import { engineTestScenarioInput } from '../helpers/scenario.ts';
import { tempDir } from '../helpers/tmp.ts';

/** Setting a session up: names the room can tell apart, and a speed chosen before the start. */

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function open() {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const scenariosDir = join(t.dir, 'scenarios');
  mkdirSync(scenariosDir);
  writeFileSync(join(scenariosDir, 'engine-test.json'), JSON.stringify(engineTestScenarioInput()));
  const dataDir = join(t.dir, 'data');
  const clock = new FakeClock();
  const services = new Services(Store.open({ dataDir }), { name: 'Sandtable', version: 't', host: 'web', dataDir, scenariosDir }, clock);
  cleanups.push(() => services.close());
  return { services, clock };
}

const facilitator = { role: 'facilitator' } as const;
async function call(services: Services, method: string, input: unknown) {
  const response = await dispatch(services, method, input, facilitator);
  if (!response.ok) throw new Error(`${method}: ${response.error.code} ${response.error.message} ${response.error.path}`);
  return response.result as any;
}

describe('session setup', () => {
  it('refuses two teams of the same name (whatever the case and spaces), naming the second one, and creates nothing', async () => {
    const { services } = open();
    const response = await dispatch(
      services,
      'sessions.create',
      { scenarioId: 'engine-test', name: 'Drill', facilitator: 'Ana', teams: [{ name: 'Blue' }, { name: 'Red' }, { name: ' blue ' }] },
      facilitator,
    );
    expect(response).toEqual({
      ok: false,
      error: { code: 'invalid_input', path: '/teams/2/name', message: expect.stringContaining('Team 1 is already called “Blue”') },
    });
    const listed = await dispatch(services, 'sessions.list', {}, facilitator);
    expect(listed.ok && listed.result).toEqual([]);
  });

  it('starts at the speed chosen before the start, in the same commit as the start', async () => {
    const { services, clock } = open();
    const created = await call(services, 'sessions.create', { scenarioId: 'engine-test', name: 'Drill', facilitator: 'Ana', teams: [{ name: 'Blue' }], speed: 1 });
    const sessionId: string = created.id;
    await call(services, 'sessions.start', { sessionId, speed: 0 });
    clock.advance(10 * 60_000);
    const state = await call(services, 'sessions.get', { sessionId });
    expect(state.status).toBe('running');
    expect(state.clock.speed).toBe(0);
    const log: Array<{ type: string; payload: unknown; scenarioMs: number; wallMs: number }> = await call(services, 'sessions.events', { sessionId });
    const startedAt = log.find((e) => e.type === 'session.started')!;
    expect(log.filter((e) => e.type === 'clock.speedChanged').map((e) => ({ payload: e.payload, scenarioMs: e.scenarioMs, wallMs: e.wallMs }))).toEqual([
      { payload: { speed: 0 }, scenarioMs: 0, wallMs: startedAt.wallMs },
    ]);
    // Nothing moved on the manual clock, and the log still replays.
    expect(log.filter((e) => e.type === 'inject.delivered').every((e) => e.scenarioMs === 0)).toBe(true);
    expect(services.sessions.verify(sessionId)).toMatchObject({ ok: true });
  });

  it('refuses a speed that is not one of the clock speeds', async () => {
    const { services } = open();
    const created = await call(services, 'sessions.create', { scenarioId: 'engine-test', name: 'Drill', facilitator: 'Ana', teams: [{ name: 'Blue' }] });
    const response = await dispatch(services, 'sessions.start', { sessionId: created.id, speed: 3 }, facilitator);
    expect(response.ok ? null : response.error.path).toBe('/speed');
  });
});
