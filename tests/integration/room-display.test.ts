import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../src-main/app/dispatch.ts';
import { Services } from '../../src-main/app/services.ts';
import { Store } from '../../src-main/store/store.ts';
import { FakeClock } from '../helpers/fake-clock.ts';
import { engineTestScenarioInput } from '../helpers/scenario.ts';
import { tempDir } from '../helpers/tmp.ts';

/**
 * The room screen is driven from the console: display state kept beside the
 * hash-chained log (not in it), surviving a restart, pushed to presenters.
 */
const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function setup() {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const scenariosDir = join(t.dir, 'scenarios');
  mkdirSync(scenariosDir);
  const input = engineTestScenarioInput();
  input.evidence = [{ id: 'ev1', kind: 'note', caption: 'Note', body: 'Room-facing' }];
  Object.assign(input.timeline[0]!, { evidence: ['ev1'] });
  writeFileSync(join(scenariosDir, 'engine-test.json'), JSON.stringify(input));
  const dataDir = join(t.dir, 'data');
  const clock = new FakeClock();
  const open = () => {
    const services = new Services(Store.open({ dataDir }), { name: 'Sandtable', version: 't', host: 'web', dataDir, scenariosDir }, clock);
    return services;
  };
  return { open };
}

const facilitator = { role: 'facilitator' } as const;
async function call(services: Services, method: string, input: unknown, grant: Parameters<typeof dispatch>[3] = facilitator) {
  const response = await dispatch(services, method, input, grant);
  if (!response.ok) throw Object.assign(new Error(`${method}: ${response.error.code} ${response.error.message}`), { error: response.error });
  return response.result as any;
}

describe('room display', () => {
  it('is set by the facilitator, pushed as session.changed, kept out of the log, and survives a restart', async () => {
    const { open } = setup();
    let services = open();
    const created = await call(services, 'sessions.create', {
      scenarioId: 'engine-test',
      name: 'Drill',
      facilitator: 'Ana',
      teams: [{ name: 'Red' }, { name: 'Blue' }, { name: 'Green' }],
      seed: 's',
    });
    const sessionId = created.id as string;
    expect(await call(services, 'sessions.room', { sessionId })).toEqual({ slide: null, spotlight: null, scroll: 0, clock: true });

    const pushed: unknown[] = [];
    services.events.subscribe({ role: 'facilitator' }, (e) => pushed.push(e));
    const shown = await call(services, 'sessions.setRoom', { sessionId, slide: { kind: 'title' }, clock: false });
    expect(shown).toEqual({ slide: { kind: 'title' }, spotlight: null, scroll: 0, clock: false });
    expect(pushed).toEqual([{ name: 'session.changed', payload: { sessionId, seq: created.lastSeq } }]);
    // Display state is not an exercise fact: the log is untouched.
    expect((await call(services, 'sessions.get', { sessionId })).lastSeq).toBe(created.lastSeq);

    const presenter = { role: 'presenter', sessionId } as const;
    let room = await call(services, 'presenter.room', { sessionId }, presenter);
    expect(room.teams.map((t: { name: string }) => t.name)).toEqual(['Red', 'Blue', 'Green']);
    expect(room.display.slide).toEqual({ kind: 'title', title: 'Engine test', brief: 'Welcome.' });
    expect(room.display.clock).toBe(false);

    // Spotlighting evidence that no team has on screen shows nothing; once delivered it shows.
    await call(services, 'sessions.setRoom', { sessionId, slide: null, spotlight: { evidenceId: 'ev1', record: null }, scroll: 2 });
    expect((await call(services, 'presenter.room', { sessionId }, presenter)).display.spotlight).toBeNull();
    await call(services, 'sessions.start', { sessionId });
    room = await call(services, 'presenter.room', { sessionId }, presenter);
    expect(room.display.spotlight.evidence.id).toBe('ev1');
    expect(room.display.scroll).toBe(2);
    expect((await call(services, 'presenter.view', { sessionId, teamId: 'team-2' }, presenter)).display.spotlight.evidence.id).toBe('ev1');

    // A new spotlight starts at the top.
    expect((await call(services, 'sessions.setRoom', { sessionId, spotlight: { evidenceId: 'ev1', record: null } })).scroll).toBe(0);
    await call(services, 'sessions.setRoom', { sessionId, scroll: 3 });

    services.close();
    services = open();
    cleanups.push(() => services.close());
    expect(await call(services, 'sessions.room', { sessionId })).toEqual({ slide: null, spotlight: { evidenceId: 'ev1', record: null }, scroll: 3, clock: false });
    expect((await call(services, 'sessions.events', { sessionId, afterSeq: 0 })).map((e: { type: string }) => e.type)).not.toContain('room');
  });

  it('shows a contingency fired at the same scenario minute as the latest inject (a frozen clock): the newer one', async () => {
    const { open } = setup();
    const services = open();
    cleanups.push(() => services.close());
    const created = await call(services, 'sessions.create', { scenarioId: 'engine-test', name: 'Drill', facilitator: 'Ana', teams: [{ name: 'Red' }], seed: 's' });
    const sessionId = created.id as string;
    const presenter = { role: 'presenter', sessionId } as const;
    await call(services, 'sessions.start', { sessionId });
    expect((await call(services, 'presenter.view', { sessionId, teamId: 'team-1' }, presenter)).inject.kind).toBe('inject');
    // The fake clock does not move: the contingency fires at the inject's own scenario time.
    await call(services, 'sessions.fireContingency', { sessionId, teamId: 'team-1', contingencyId: 'c1' });
    const shown = (await call(services, 'presenter.view', { sessionId, teamId: 'team-1' }, presenter)).inject;
    expect({ kind: shown.kind, id: shown.id }).toEqual({ kind: 'contingency', id: 'c1' });
  });

  it('refuses unknown evidence, bad slides and the presenter, naming the path', async () => {
    const { open } = setup();
    const services = open();
    cleanups.push(() => services.close());
    const { id: sessionId } = await call(services, 'sessions.create', { scenarioId: 'engine-test', name: 'Drill', facilitator: 'Ana', teams: [{ name: 'Red' }] });
    await expect(call(services, 'sessions.setRoom', { sessionId, spotlight: { evidenceId: 'nope', record: null } })).rejects.toMatchObject({
      error: { code: 'not_found', path: '/spotlight/evidenceId' },
    });
    await expect(call(services, 'sessions.setRoom', { sessionId, slide: { kind: 'phase', phase: 'containment' } })).rejects.toMatchObject({
      error: { code: 'invalid_input', path: '/slide/phase' },
    });
    await expect(call(services, 'sessions.setRoom', { sessionId, scroll: -1 })).rejects.toMatchObject({ error: { path: '/scroll' } });
    await expect(call(services, 'sessions.setRoom', { sessionId, clock: false }, { role: 'presenter', sessionId })).rejects.toMatchObject({ error: { code: 'forbidden' } });
    expect(await call(services, 'sessions.room', { sessionId })).toEqual({ slide: null, spotlight: null, scroll: 0, clock: true });
  });
});
