import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../src-main/app/dispatch.ts';
import { engineTestScenarioInput } from '../helpers/scenario.ts';
import { call, cleanup, facilitator, openBundled } from '../helpers/runner.ts';

afterEach(cleanup);

describe('importing scenarios into the library', () => {
  it('imports a valid file, lists it as imported, and runs sessions of it', async () => {
    const { services } = openBundled();
    const changes: string[] = [];
    services.events.subscribe({ role: 'facilitator' }, (e) => changes.push(e.name));
    const outcome = await call(services, 'library.import', { fileName: 'mine.json', text: JSON.stringify(engineTestScenarioInput()) });
    expect(outcome).toMatchObject({ ok: true, replaced: false, scenario: { id: 'engine-test', source: 'imported' } });
    expect(changes).toContain('library.changed');
    const listing = await call(services, 'library.list', {});
    expect(listing.scenarios.find((s: any) => s.id === 'engine-test')).toMatchObject({ source: 'imported' });
    expect(listing.scenarios.filter((s: any) => s.source === 'bundled').length).toBeGreaterThanOrEqual(10);
    expect((await call(services, 'library.get', { id: 'engine-test' })).meta.title).toBe('Engine test');
    const session = await call(services, 'sessions.create', { scenarioId: 'engine-test', name: 'n', facilitator: 'f', teams: [{ name: 'A' }] });
    expect(session.scenarioTitle).toBe('Engine test');
  });

  it('reports every error of an invalid file and writes nothing', async () => {
    const { services, dataDir } = openBundled();
    const bad = engineTestScenarioInput() as any;
    bad.start = 'nowhere';
    bad.timeline[0].next = 'missing';
    bad.meta.difficulty = 'impossible';
    const outcome = await call(services, 'library.import', { text: JSON.stringify(bad) });
    expect(outcome.ok).toBe(false);
    expect(outcome.errors.map((e: any) => e.pointer)).toContain('/meta/difficulty');
    const notJson = await call(services, 'library.import', { text: '{"formatVersion": 1,' });
    expect(notJson).toMatchObject({ ok: false, errors: [{ pointer: '', message: expect.stringMatching(/JSON|line/i) }] });
    const polluted = await call(services, 'library.import', { text: '{"__proto__": {"x": 1}}' });
    expect(polluted.ok).toBe(false);
    expect(existsSync(join(dataDir, 'scenarios')) ? readdirSync(join(dataDir, 'scenarios')) : []).toEqual([]);
  });

  it('refuses the id of a built-in scenario, and replaces an imported one only when asked', async () => {
    const { services, dataDir } = openBundled();
    const clash = engineTestScenarioInput();
    clash.meta.id = 'sample-leaked-key';
    expect(await call(services, 'library.import', { text: JSON.stringify(clash) })).toMatchObject({ ok: false, exists: false, errors: [{ pointer: '/meta/id' }] });

    const v1 = engineTestScenarioInput();
    await call(services, 'library.import', { text: JSON.stringify(v1) });
    const v2 = engineTestScenarioInput();
    v2.meta.version = '2.0.0';
    expect(await call(services, 'library.import', { text: JSON.stringify(v2) })).toMatchObject({ ok: false, exists: true });
    expect(await call(services, 'library.import', { text: JSON.stringify(v2), replace: true })).toMatchObject({ ok: true, replaced: true });
    expect(JSON.parse(readFileSync(join(dataDir, 'scenarios', 'engine-test', 'scenario.json'), 'utf8')).meta.version).toBe('2.0.0');
    expect(readdirSync(join(dataDir, 'scenarios'))).toEqual(['engine-test']);

    await call(services, 'library.remove', { id: 'engine-test' });
    expect(readdirSync(join(dataDir, 'scenarios'))).toEqual([]);
    expect((await dispatch(services, 'library.remove', { id: 'sample-leaked-key' }, facilitator)).ok).toBe(false);
  });

  it('asks for a bundle when a single file refers to images', async () => {
    const { services } = openBundled();
    const withImage = engineTestScenarioInput();
    withImage.evidence = [{ id: 'img', kind: 'image', caption: 'Diagram', asset: 'assets/diagram.png', alt: 'A diagram' }];
    const outcome = await call(services, 'library.import', { text: JSON.stringify(withImage) });
    expect(outcome.ok).toBe(false);
    expect(outcome.errors[0].message).toContain('.sandtable bundle');
  });

  it('round-trips a scenario through a .sandtable bundle, and refuses a damaged one', async () => {
    const { services } = openBundled();
    await call(services, 'library.import', { text: JSON.stringify(engineTestScenarioInput()) });
    const bundle = await call(services, 'scenarioBundle.export', { scenarioId: 'engine-test' });
    await call(services, 'library.remove', { id: 'engine-test' });
    expect(await call(services, 'library.importBundle', { base64: bundle.base64 })).toMatchObject({ ok: true, scenario: { id: 'engine-test', source: 'imported' } });
    const damaged = Buffer.from(bundle.base64, 'base64');
    const middle = Math.floor(damaged.length / 2); // inside the compressed scenario
    damaged[middle] = damaged[middle]! ^ 0xff;
    const outcome = await call(services, 'library.importBundle', { base64: damaged.toString('base64'), replace: true });
    expect(outcome.ok).toBe(false);
    expect(outcome.errors[0].message).toContain('refused');
  });

  it('rehearses a scenario from the library', async () => {
    const { services } = openBundled();
    const run = await call(services, 'library.rehearse', { id: 'sample-leaked-key' });
    expect(run.path[0]).toMatchObject({ id: 'i-alert', type: 'inject' });
    expect(run.path.at(-1).id).toBe(run.ended);
    expect(run.endTitle.length).toBeGreaterThan(0);
    const a = await call(services, 'library.rehearse', { id: 'sample-leaked-key', choices: 'random', seed: '9' });
    const b = await call(services, 'library.rehearse', { id: 'sample-leaked-key', choices: 'random', seed: '9' });
    expect(a).toEqual(b);
  });
});

describe('evidence images', () => {
  const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

  it('are served as data: URLs to the facilitator (a projector only those on its screen), and nothing else is', async () => {
    const { buildScenarioBundle } = await import('../../src-main/app/interop.ts');
    const { services } = openBundled();
    const input = engineTestScenarioInput();
    input.evidence = [{ id: 'img', kind: 'image', caption: 'Diagram', asset: 'assets/diagram.png', alt: 'A diagram' }];
    const bundle = await buildScenarioBundle(JSON.stringify(input), () => PNG);
    expect(await call(services, 'library.importBundle', { base64: bundle.content.toString('base64') })).toMatchObject({ ok: true });

    const { dataUrl } = await call(services, 'library.asset', { scenarioId: 'engine-test', path: 'assets/diagram.png' });
    expect(dataUrl).toBe(`data:image/png;base64,${PNG.toString('base64')}`);
    for (const path of ['assets/other.png', '../sandtable.db', 'scenario.json']) {
      const refused = await dispatch(services, 'library.asset', { scenarioId: 'engine-test', path }, facilitator);
      expect(refused, path).toMatchObject({ ok: false, error: { code: 'not_found', path: '/path' } });
    }

    const session = await call(services, 'sessions.create', { scenarioId: 'engine-test', name: 'n', facilitator: 'f', teams: [{ name: 'A' }] });
    const presenter = { role: 'presenter', sessionId: session.id } as const;
    // The facilitator's console may show any image of the session's scenario; a projector only those on its screen (none: no inject lists it).
    const shown = await dispatch(services, 'presenter.asset', { sessionId: session.id, path: 'assets/diagram.png' }, facilitator);
    expect(shown).toMatchObject({ ok: true, result: { dataUrl: expect.stringMatching(/^data:image\/png;base64,/) } });
    expect(await dispatch(services, 'presenter.asset', { sessionId: session.id, path: 'assets/diagram.png' }, presenter)).toMatchObject({
      ok: false,
      error: { code: 'not_found', path: '/path' },
    });
    expect(await dispatch(services, 'library.asset', { scenarioId: 'engine-test', path: 'assets/diagram.png' }, presenter)).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });

  it("are served to a participant's phone only once their team's screen shows them", async () => {
    const { buildScenarioBundle } = await import('../../src-main/app/interop.ts');
    const { services } = openBundled();
    const input = engineTestScenarioInput();
    input.evidence = [{ id: 'img', kind: 'image', caption: 'Diagram', asset: 'assets/diagram.png', alt: 'A diagram' }];
    const second = input.timeline.find((n: { id: string }) => n.id === 'i2') as { evidence?: string[] };
    second.evidence = ['img'];
    const bundle = await buildScenarioBundle(JSON.stringify(input), () => PNG);
    expect(await call(services, 'library.importBundle', { base64: bundle.content.toString('base64') })).toMatchObject({ ok: true });
    const session = await call(services, 'sessions.create', { scenarioId: 'engine-test', name: 'n', facilitator: 'f', teams: [{ name: 'A' }, { name: 'B' }], speed: 0 });
    const { code } = await call(services, 'sessions.openParticipation', { sessionId: session.id });
    const phone = services.participation.join({ code, name: 'Pat', teamId: 'team-1' }, '192.0.2.1');
    const participant = { role: 'participant', sessionId: session.id, teamId: 'team-1', participantId: phone.participantId } as const;
    const asset = () => dispatch(services, 'participant.asset', { path: 'assets/diagram.png' }, participant);
    await call(services, 'sessions.start', { sessionId: session.id });
    // The scenario names the image, but the inject that carries it has not reached the team yet.
    expect(await asset()).toMatchObject({ ok: false, error: { code: 'not_found', path: '/path' } });
    for (let i = 0; i < 5 && services.sessions.presenter(session.id, 'team-1').inject?.id !== 'i2'; i++) services.sessions.advance(session.id);
    expect(services.sessions.presenter(session.id, 'team-1').inject?.id).toBe('i2');
    expect(await asset()).toMatchObject({ ok: true, result: { dataUrl: expect.stringMatching(/^data:image\/png;base64,/) } });
  });
});
