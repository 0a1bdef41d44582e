/**
 * The renderer's state classes against the real main process logic: the
 * transport at the boundary hands each call to `dispatch` (with a JSON round
 * trip, as the wire does) and each push from the service's event hub, so
 * what is tested is the classes' own behaviour — loading, following pushes,
 * catching up, one action at a time, errors kept beside their control.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PushedEvent } from '../../src-main/api/contract.ts';
import type { ApiResponse } from '../../src-main/api/errors.ts';
import { dispatch } from '../../src-main/app/dispatch.ts';
import { Services, type Grant } from '../../src-main/app/services.ts';
import { Store } from '../../src-main/store/store.ts';
import { ApiCallError, createApi, type Api, type Transport } from '../../src-renderer/src/lib/api.ts';
import { LibraryState } from '../../src-renderer/src/lib/state/library.svelte.ts';
import { LiveSession } from '../../src-renderer/src/lib/state/session.svelte.ts';
import { FakeClock } from '../helpers/fake-clock.ts';
import { engineTestScenarioInput } from '../helpers/scenario.ts';
import { tempDir } from '../helpers/tmp.ts';

const facilitator: Grant = { role: 'facilitator' };
let services: Services;
let clock: FakeClock;
let cleanup: () => void;
let calls: string[];
let scenariosDir: string;

function inProcessTransport(): Transport {
  return {
    async call(method, input) {
      calls.push(method);
      const response = await dispatch(services, method, JSON.parse(JSON.stringify(input ?? {})), facilitator);
      return JSON.parse(JSON.stringify(response)) as ApiResponse<unknown>;
    },
    subscribe: (listener) => services.events.subscribe(facilitator, (event) => listener(JSON.parse(JSON.stringify(event)) as PushedEvent)),
    watchConnection: (listener) => {
      listener('connected');
      return () => {};
    },
  };
}

beforeEach(() => {
  const t = tempDir();
  cleanup = t.cleanup;
  scenariosDir = join(t.dir, 'scenarios');
  mkdirSync(scenariosDir);
  writeFileSync(join(scenariosDir, 'engine-test.json'), JSON.stringify(engineTestScenarioInput()));
  writeFileSync(join(scenariosDir, 'broken.json'), '{ "meta": ');
  const dataDir = join(t.dir, 'data');
  clock = new FakeClock();
  services = new Services(Store.open({ dataDir }), { name: 'Sandtable', version: 't', host: 'web', dataDir, scenariosDir }, clock);
  calls = [];
});

afterEach(() => {
  services.close();
  cleanup();
});

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setImmediate(resolve));
  expect(condition()).toBe(true);
}

describe('LibraryState', () => {
  it('lists the scenarios and the files that are not, and keeps the error of a failed refresh', async () => {
    const library = new LibraryState(createApi(inProcessTransport()));
    expect(library.loaded).toBe(false);
    const refreshing = library.refresh();
    expect(library.loading).toBe(true);
    await refreshing;
    expect(library.loading).toBe(false);
    expect(library.scenarios.map((s) => s.id)).toEqual(['engine-test']);
    expect(library.problems).toHaveLength(1);
    expect(library.problems[0]).toMatchObject({ file: expect.stringContaining('broken.json') });

    const failing = new LibraryState(
      createApi({ ...inProcessTransport(), call: () => Promise.resolve({ ok: false, error: { code: 'internal', message: 'The disk is gone.', path: '' } }) }),
    );
    await failing.refresh();
    expect(failing.error).toBe('The disk is gone.');
    expect(failing.scenarios).toEqual([]);
  });

  it('takes an answer asked for before it was built as its first refresh, and asks again for the next', async () => {
    const api = createApi(inProcessTransport());
    const first = api.call('library.list', {});
    calls = [];
    const library = new LibraryState(api, first);
    await library.refresh();
    expect(calls).toEqual([]);
    expect(library.scenarios.map((s) => s.id)).toEqual(['engine-test']);
    await library.refresh();
    expect(calls).toEqual(['library.list']);

    const refused = new LibraryState(api, Promise.reject(new ApiCallError({ code: 'internal', message: 'The disk is gone.', path: '' })));
    await refused.refresh();
    expect(refused.error).toBe('The disk is gone.');
    await refused.refresh();
    expect(refused.error).toBeNull();
    expect(refused.loaded).toBe(true);
  });

  it('keeps the listing it shows when a refresh answers the same again (the push channel’s first opening), and takes a changed one', async () => {
    const library = new LibraryState(createApi(inProcessTransport()));
    await library.refresh();
    const shown = library.scenarios;
    await library.refresh(); // an equal answer, in new objects
    expect(library.scenarios).toBe(shown);
    writeFileSync(join(scenariosDir, 'second.json'), JSON.stringify({ ...engineTestScenarioInput(), meta: { ...engineTestScenarioInput().meta, id: 'second' } }));
    await library.refresh();
    expect(library.scenarios).not.toBe(shown);
    expect(library.scenarios.map((s) => s.id).sort()).toEqual(['engine-test', 'second']);
  });

  it('keeps the answer of the latest refresh when an earlier one (the answer asked for at start) comes back after it', async () => {
    const api = createApi(inProcessTransport());
    const before = await api.call('library.list', {});
    let answerFirst: (listing: typeof before) => void = () => undefined;
    const library = new LibraryState(api, new Promise((resolve) => (answerFirst = resolve)));
    const firstRefresh = library.refresh();
    // A scenario is imported before the first answer arrives; the library asks again.
    writeFileSync(join(scenariosDir, 'second.json'), JSON.stringify({ ...engineTestScenarioInput(), meta: { ...engineTestScenarioInput().meta, id: 'second' } }));
    await library.refresh();
    expect(library.scenarios.map((s) => s.id).sort()).toEqual(['engine-test', 'second']);
    answerFirst(before);
    await firstRefresh;
    expect(library.scenarios.map((s) => s.id).sort()).toEqual(['engine-test', 'second']);
    expect(library.loading).toBe(false);
  });
});

describe('LiveSession', () => {
  async function running(api: Api) {
    const { id } = await api.call('sessions.create', { scenarioId: 'engine-test', name: 'Drill', facilitator: 'Ana', teams: [{ name: 'Red' }], seed: 'fixed' });
    await api.call('sessions.start', { sessionId: id });
    return id;
  }

  it('loads the state, the scenario and the log, then follows pushes, fetching only what is new', async () => {
    const api = createApi(inProcessTransport());
    const sessionId = await running(api);
    const session = new LiveSession(api, sessionId);
    await session.load();
    expect(session.loadError).toBeNull();
    expect(session.scenario?.meta.id).toBe('engine-test');
    expect(session.state?.status).toBe('running');
    const loaded = session.events.length;
    expect(session.events.map((e) => e.type)).toEqual(expect.arrayContaining(['session.created', 'session.started', 'inject.delivered']));

    const stop = session.connect();
    calls = [];
    // Someone else (another window) records a note: the push brings it in.
    await createApi(inProcessTransport()).call('sessions.addNote', { sessionId, teamId: null, text: 'Seen from the hall.' });
    await until(() => session.events.length === loaded + 1);
    const note = session.events.at(-1)!;
    expect(note.type === 'note.added' && note.payload.text).toBe('Seen from the hall.');
    expect(calls.filter((c) => c === 'sessions.events')).toHaveLength(1);

    // A push about another session, or one already seen, fetches nothing.
    calls = [];
    services.events.emit('session.changed', { sessionId: 'another', seq: 99 });
    services.events.emit('session.changed', { sessionId, seq: session.state!.lastSeq });
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toEqual([]);
    stop();
    await createApi(inProcessTransport()).call('sessions.addNote', { sessionId, teamId: null, text: 'Not followed any more.' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(session.events.length).toBe(loaded + 1);
  });

  it('runs one action of a kind at a time, keeps a refusal beside its control until dismissed, and catches up after it', async () => {
    const api = createApi(inProcessTransport());
    const sessionId = await running(api);
    const session = new LiveSession(api, sessionId);
    await session.load();

    const first = session.perform('note', 'sessions.addNote', { sessionId, teamId: null, text: 'One' });
    expect(session.isPending('note')).toBe(true);
    expect(session.busy).toBe(true);
    const second = await session.perform('note', 'sessions.addNote', { sessionId, teamId: null, text: 'Two' });
    expect(second).toEqual({ ok: false, error: { code: 'conflict', message: 'This action is already in progress.', path: '' } });
    expect(await first).toMatchObject({ ok: true });
    expect(session.busy).toBe(false);
    expect(session.events.at(-1)?.type).toBe('note.added');

    const refused = await session.perform('decision', 'sessions.recordDecision', { sessionId, teamId: 'team-1', decisionId: 'd1', optionId: 'nope' });
    expect(refused.ok).toBe(false);
    expect(session.errorOf('decision')).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    expect(session.errorOf('note')).toBeNull();
    session.dismissError('decision');
    expect(session.errorOf('decision')).toBeNull();
  });

  it('says why a session cannot be loaded', async () => {
    const session = new LiveSession(createApi(inProcessTransport()), 'no-such-session');
    await session.load();
    expect(session.loadError).toMatchObject({ code: 'not_found' });
    expect(session.state).toBeNull();
  });
});
