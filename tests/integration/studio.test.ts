/**
 * The scenario studio through dispatch (as both hosts call it): drafts
 * created, saved and discarded; a stale save refused; a bundled scenario kept
 * read-only; an invalid scenario kept as a draft while a document of the
 * wrong shape or size is refused at the boundary; publishing (a version bump,
 * the previous version kept, images carried along, recorded sessions keeping
 * the scenario they ran); rehearsing and exporting a draft.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PushedEvent } from '../../src-main/api/contract.ts';
import { dispatch } from '../../src-main/app/dispatch.ts';
import { readScenarioBundle } from '../../src-main/app/interop.ts';
import { Services, type Grant } from '../../src-main/app/services.ts';
import { SCENARIO_VERSIONS_FOLDER } from '../../src-main/app/studio.ts';
import { MiB } from '../../src-main/core/limits.ts';
import { previewMselImport } from '../../src-main/core/msel/import.ts';
import { parseScenarioText } from '../../src-main/core/scenario/validate.ts';
import { Store } from '../../src-main/store/store.ts';
import { FakeClock } from '../helpers/fake-clock.ts';
import { SAMPLE_PATH, sample, type Json } from '../fixtures/scenarios/build.ts';
import { tempDir } from '../helpers/tmp.ts';

const facilitator: Grant = { role: 'facilitator' };
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

let t: ReturnType<typeof tempDir>;
let services: Services;
let dataDir: string;
let scenariosDir: string;
let pushed: PushedEvent[];

async function call(method: string, input: unknown, grant: Grant = facilitator): Promise<any> {
  const response = await dispatch(services, method, input, grant);
  if (!response.ok) throw new Error(`${method}: ${response.error.code} ${response.error.path} ${response.error.message}`);
  return response.result;
}

async function refusal(method: string, input: unknown): Promise<{ code: string; message: string; path: string }> {
  const response = await dispatch(services, method, input, facilitator);
  if (response.ok) throw new Error(`${method} was not refused`);
  return response.error;
}

beforeEach(() => {
  t = tempDir();
  scenariosDir = join(t.dir, 'bundled');
  mkdirSync(scenariosDir);
  copyFileSync(SAMPLE_PATH, join(scenariosDir, 'sample-leaked-key.json'));
  dataDir = join(t.dir, 'data');
  services = new Services(Store.open({ dataDir }), { name: 'Sandtable', version: 't', host: 'web', dataDir, scenariosDir }, new FakeClock());
  pushed = [];
  services.events.subscribe(facilitator, (e) => pushed.push(e));
});

afterEach(() => {
  services.close();
  t.cleanup();
});

describe('studio drafts', () => {
  it('starts a new draft from a small valid template, lists it, and says so to the windows', async () => {
    const draft = await call('studio.create', { from: 'new' });
    expect(draft).toMatchObject({ origin: { kind: 'new', scenarioId: null }, revision: 1, publishedVersion: null, scenarioId: 'new-scenario', title: 'New scenario' });
    const checked = parseScenarioText(JSON.stringify(draft.document));
    expect(checked.ok ? [] : checked.errors).toEqual([]);
    expect(checked.ok && checked.stats).toMatchObject({ injects: 1, decisions: 1, endings: 2 });
    expect(pushed).toContainEqual({ name: 'studio.changed', payload: { draftId: draft.draftId, revision: 1 } });
    // A second new draft gets an id of its own.
    expect((await call('studio.create', { from: 'new' })).scenarioId).toBe('new-scenario-2');
    const { drafts } = await call('studio.list', {});
    expect(drafts.map((d: Json) => d.scenarioId).sort()).toEqual(['new-scenario', 'new-scenario-2']);
    // Only the facilitator hears about drafts.
    const presenterHeard: PushedEvent[] = [];
    services.events.subscribe({ role: 'presenter', sessionId: 's' }, (e) => presenterHeard.push(e));
    await call('studio.create', { from: 'new' });
    expect(presenterHeard).toEqual([]);
  });

  it('duplicates a bundled scenario under a new id, as version 1.0.0, and keeps the bundled one read-only', async () => {
    const bundledText = readFileSync(join(scenariosDir, 'sample-leaked-key.json'), 'utf8');
    const copy = await call('studio.create', { from: 'duplicate', scenarioId: 'sample-leaked-key' });
    expect(copy).toMatchObject({
      origin: { kind: 'duplicate', scenarioId: 'sample-leaked-key' },
      scenarioId: 'sample-leaked-key-copy',
      title: 'Warm-up: a leaked access key (copy)',
    });
    // The bundled file as written (no defaults filled in), under its new id, title and version.
    const written = JSON.parse(bundledText) as Json;
    expect(copy.document).toEqual({ ...written, meta: { ...written.meta, id: 'sample-leaked-key-copy', title: 'Warm-up: a leaked access key (copy)', version: '1.0.0' } });
    expect((await call('studio.create', { from: 'duplicate', scenarioId: 'sample-leaked-key' })).scenarioId).toBe('sample-leaked-key-copy-2');

    const edit = await refusal('studio.create', { from: 'edit', scenarioId: 'sample-leaked-key' });
    expect(edit).toMatchObject({ code: 'forbidden', path: '/scenarioId' });
    expect(edit.message).toMatch(/built-in scenario and stays read-only: duplicate it/);
    expect((await refusal('studio.create', { from: 'duplicate', scenarioId: 'nope' })).code).toBe('not_found');

    // A draft that takes the bundled id back cannot publish over it.
    await call('studio.save', { draftId: copy.draftId, revision: 1, document: { ...copy.document, meta: { ...copy.document.meta, id: 'sample-leaked-key' } } });
    const published = await call('studio.publish', { draftId: copy.draftId });
    expect(published.ok).toBe(false);
    expect(published.errors).toEqual([{ pointer: '/meta/id', message: expect.stringMatching(/built-in scenario already uses the id "sample-leaked-key"/) }]);
    expect(readFileSync(join(scenariosDir, 'sample-leaked-key.json'), 'utf8')).toBe(bundledText);
  });

  it('edits an imported scenario as it is written, once: editing it again opens the same draft; an MSEL draft says so', async () => {
    const text = `${JSON.stringify({ ...sample(), meta: { ...sample().meta, id: 'ours', title: 'Ours' } }, null, 2)}\n`;
    expect((await call('library.import', { text })).ok).toBe(true);
    const draft = await call('studio.create', { from: 'edit', scenarioId: 'ours' });
    expect(draft).toMatchObject({ origin: { kind: 'edit', scenarioId: 'ours' }, scenarioId: 'ours' });
    expect(draft.document).toEqual(JSON.parse(text));
    expect((await call('studio.create', { from: 'edit', scenarioId: 'ours' })).draftId).toBe(draft.draftId);

    const msel = previewMselImport('Time,Title,Narrative\n0,Alert,An alert fires.\n10,Call,The CEO calls.\n', { scenarioId: 'from-msel', title: 'From MSEL' });
    expect(msel.draft).not.toBeNull();
    expect((await call('library.import', { text: JSON.stringify(msel.draft) })).ok).toBe(true);
    const mselDraft = await call('studio.create', { from: 'edit', scenarioId: 'from-msel' });
    expect(mselDraft.origin).toEqual({ kind: 'msel', scenarioId: 'from-msel' });
    expect(JSON.stringify(mselDraft.document)).toContain('To be written');
    // Filled in and published: the MSEL draft (version 0.1.0) is replaced by its next version.
    const filled = { ...mselDraft.document, meta: { ...mselDraft.document.meta, sensitivity: 'TLP:AMBER', authors: [{ name: 'Kim' }] } };
    await call('studio.save', { draftId: mselDraft.draftId, revision: mselDraft.revision, document: filled });
    expect(await call('studio.publish', { draftId: mselDraft.draftId })).toMatchObject({ ok: true, version: '0.2.0', previousVersion: '0.1.0' });
    expect((await call('library.get', { id: 'from-msel' })).meta.sensitivity).toBe('TLP:AMBER');
  });

  it('saves any JSON object, even a scenario that breaks every rule, and refuses a save made on an older revision', async () => {
    const draft = await call('studio.create', { from: 'new' });
    const broken = { meta: { title: 'Half written' }, timeline: [{ type: 'inject' }] };
    const saved = await call('studio.save', { draftId: draft.draftId, revision: 1, document: broken });
    expect(saved.revision).toBe(2);
    expect((await call('studio.get', { draftId: draft.draftId })).document).toEqual(broken);
    expect((await call('studio.list', {})).drafts[0]).toMatchObject({ title: 'Half written', scenarioId: '', revision: 2 });

    // Another window saved first: the stale save is refused and loses nothing.
    const stale = await refusal('studio.save', { draftId: draft.draftId, revision: 1, document: { meta: { title: 'Other window' } } });
    expect(stale).toMatchObject({ code: 'conflict', path: '/revision' });
    expect(stale.message).toMatch(/saved elsewhere .* since revision 1; it is at revision 2 now/);
    expect((await call('studio.get', { draftId: draft.draftId })).document).toEqual(broken);

    // An invalid scenario cannot be published, rehearsed or bundled, and says why; as .json it exports as it stands.
    const publish = await call('studio.publish', { draftId: draft.draftId });
    expect(publish.ok).toBe(false);
    expect(publish.errors.length).toBeGreaterThan(0);
    expect(publish.errors[0]).toEqual({ pointer: expect.any(String), message: expect.any(String) });
    expect((await call('studio.rehearse', { draftId: draft.draftId, seed: '1' })).ok).toBe(false);
    const json = await call('studio.export', { draftId: draft.draftId, format: 'json' });
    expect(json.filename).toBe('draft-draft.json');
    expect(JSON.parse(Buffer.from(json.base64, 'base64').toString('utf8'))).toEqual(broken);
    const bundle = await refusal('studio.export', { draftId: draft.draftId, format: 'sandtable' });
    expect(bundle.code).toBe('invalid_scenario');
    expect(bundle.message).toMatch(/^A \.sandtable bundle holds only a valid scenario: \//);
  });

  it('refuses at the boundary a document that is not a JSON object, is too deep, tampers with prototypes or is larger than a scenario file', async () => {
    const draft = await call('studio.create', { from: 'new' });
    for (const document of [[], 'text', 7, null]) {
      const error = await refusal('studio.save', { draftId: draft.draftId, revision: 1, document });
      expect(error.code).toBe('invalid_input');
      expect(error.path).toBe('/document');
    }
    let deep: Json = {};
    const root = deep;
    for (let i = 0; i < 70; i++) deep = deep.x = {};
    expect((await refusal('studio.save', { draftId: draft.draftId, revision: 1, document: root })).message).toMatch(/nested more than 64 levels/);
    const tampering = JSON.parse('{"draftId":"x","revision":1,"document":{"meta":{"__proto__":{"polluted":true}}}}');
    tampering.draftId = draft.draftId;
    const proto = await refusal('studio.save', tampering);
    expect(proto.path).toBe('/document/meta/__proto__');

    const big = { ...draft.document, guide: { ...draft.document.guide, openingBrief: 'x'.repeat(5 * MiB) } };
    const tooLarge = await refusal('studio.save', { draftId: draft.draftId, revision: 1, document: big });
    expect(tooLarge).toMatchObject({ code: 'invalid_input', path: '/document' });
    expect(tooLarge.message).toMatch(/the draft is larger than the 5 MiB a scenario file may have/);
    // Nothing was saved.
    expect((await call('studio.get', { draftId: draft.draftId })).revision).toBe(1);
  });

  it('discards a draft', async () => {
    const draft = await call('studio.create', { from: 'new' });
    expect(await call('studio.discard', { draftId: draft.draftId })).toEqual({ discarded: draft.draftId });
    expect((await refusal('studio.get', { draftId: draft.draftId })).code).toBe('not_found');
    expect((await refusal('studio.discard', { draftId: draft.draftId })).code).toBe('not_found');
    expect((await call('studio.list', {})).drafts).toEqual([]);
  });
});

describe('publishing', () => {
  it('publishes into the imported library, bumps the version on the next publish and keeps the previous one; recorded sessions keep theirs', async () => {
    const draft = await call('studio.create', { from: 'duplicate', scenarioId: 'sample-leaked-key' });
    const first = await call('studio.publish', { draftId: draft.draftId });
    expect(first).toMatchObject({ ok: true, version: '1.0.0', previousVersion: null, scenario: { id: 'sample-leaked-key-copy', source: 'imported', version: '1.0.0' } });
    expect((await call('library.list', {})).scenarios.map((s: Json) => s.id)).toContain('sample-leaked-key-copy');

    const session = await call('sessions.create', { scenarioId: 'sample-leaked-key-copy', name: 'Ran 1.0.0', facilitator: 'Ana', teams: [{ name: 'Red' }] });

    const current = await call('studio.get', { draftId: draft.draftId });
    expect(current).toMatchObject({ publishedVersion: '1.0.0', revision: 2 });
    const changed = { ...current.document, meta: { ...current.document.meta, title: 'Adapted for Example Corp' } };
    await call('studio.save', { draftId: draft.draftId, revision: current.revision, document: changed });
    const second = await call('studio.publish', { draftId: draft.draftId });
    expect(second).toMatchObject({ ok: true, version: '1.1.0', previousVersion: '1.0.0', scenario: { title: 'Adapted for Example Corp' } });
    expect((await call('studio.get', { draftId: draft.draftId })).document.meta.version).toBe('1.1.0');
    expect(await call('library.get', { id: 'sample-leaked-key-copy' })).toMatchObject({ meta: { version: '1.1.0', title: 'Adapted for Example Corp' } });

    // The previous version's file is kept.
    const kept = JSON.parse(readFileSync(join(dataDir, SCENARIO_VERSIONS_FOLDER, 'sample-leaked-key-copy', '1.0.0', 'scenario.json'), 'utf8'));
    expect(kept.meta).toMatchObject({ version: '1.0.0', title: 'Warm-up: a leaked access key (copy)' });
    const { versions } = await call('studio.versions', { scenarioId: 'sample-leaked-key-copy' });
    expect(versions).toEqual([
      { version: '1.0.0', publishedAt: expect.any(Number), current: false },
      { version: '1.1.0', publishedAt: expect.any(Number), current: true },
    ]);
    // The session recorded against 1.0.0 keeps it.
    expect((await call('sessions.scenario', { sessionId: session.id })).meta).toMatchObject({ version: '1.0.0', title: 'Warm-up: a leaked access key (copy)' });

    // An author who sets a later version keeps it.
    const third = await call('studio.get', { draftId: draft.draftId });
    await call('studio.save', { draftId: draft.draftId, revision: third.revision, document: { ...third.document, meta: { ...third.document.meta, version: '2.0.0' } } });
    expect(await call('studio.publish', { draftId: draft.draftId })).toMatchObject({ ok: true, version: '2.0.0', previousVersion: '1.1.0' });
    expect(pushed.filter((e) => e.name === 'library.changed').length).toBeGreaterThanOrEqual(3);
  });

  it('lists the version an edit replaced first, without a time, and opens the published scenario again as the same draft', async () => {
    expect((await call('library.import', { text: JSON.stringify({ ...sample(), meta: { ...sample().meta, id: 'ours', version: '3.4.5' } }) })).ok).toBe(true);
    const draft = await call('studio.create', { from: 'edit', scenarioId: 'ours' });
    expect(await call('studio.publish', { draftId: draft.draftId })).toMatchObject({ ok: true, version: '3.5.0', previousVersion: '3.4.5' });
    expect((await call('studio.versions', { scenarioId: 'ours' })).versions).toEqual([
      { version: '3.4.5', publishedAt: null, current: false },
      { version: '3.5.0', publishedAt: expect.any(Number), current: true },
    ]);
    expect(existsSync(join(dataDir, SCENARIO_VERSIONS_FOLDER, 'ours', '3.4.5', 'scenario.json'))).toBe(true);
    // A new scenario published once is opened again as the draft that wrote it.
    const fresh = await call('studio.create', { from: 'new' });
    await call('studio.publish', { draftId: fresh.draftId });
    expect((await call('studio.create', { from: 'edit', scenarioId: 'new-scenario' })).draftId).toBe(fresh.draftId);
  });

  it('refuses to publish a draft over another imported scenario with the same id', async () => {
    expect((await call('library.import', { text: JSON.stringify({ ...sample(), meta: { ...sample().meta, id: 'taken' } }) })).ok).toBe(true);
    const draft = await call('studio.create', { from: 'new' });
    await call('studio.save', { draftId: draft.draftId, revision: 1, document: { ...draft.document, meta: { ...draft.document.meta, id: 'taken' } } });
    const result = await call('studio.publish', { draftId: draft.draftId });
    expect(result).toEqual({ ok: false, errors: [{ pointer: '/meta/id', message: expect.stringMatching(/another scenario with the id "taken" is already in the library/) }] });
    expect((await call('library.get', { id: 'taken' })).meta.title).toBe(sample().meta.title);
  });

  it("carries an imported scenario's images into what it publishes and exports", async () => {
    const scenario = sample();
    scenario.meta.id = 'pictured';
    scenario.evidence.push({ id: 'img', kind: 'image', caption: 'Diagram', asset: 'assets/diagram.png', alt: 'A diagram' });
    const imported = await call('library.importFiles', {
      files: [
        { path: 'pictured/scenario.json', base64: Buffer.from(JSON.stringify(scenario)).toString('base64') },
        { path: 'pictured/assets/diagram.png', base64: PNG.toString('base64') },
      ],
    });
    expect(imported.outcome.ok).toBe(true);
    const copy = await call('studio.create', { from: 'duplicate', scenarioId: 'pictured' });
    expect(await call('studio.publish', { draftId: copy.draftId })).toMatchObject({ ok: true, scenario: { id: 'pictured-copy' } });
    expect(readFileSync(join(dataDir, 'scenarios', 'pictured-copy', 'assets', 'diagram.png'))).toEqual(PNG);
    const exported = await call('studio.export', { draftId: copy.draftId, format: 'sandtable' });
    expect(exported.filename).toBe('pictured-copy-1.0.0.sandtable');
    const bundle = await readScenarioBundle(Buffer.from(exported.base64, 'base64'));
    expect(bundle.scenario.meta.id).toBe('pictured-copy');
    expect(bundle.assets.get('assets/diagram.png')).toEqual(PNG);

    // A draft naming an image no folder holds cannot be published, and says which.
    const current = await call('studio.get', { draftId: copy.draftId });
    const evidence = [...current.document.evidence, { id: 'img2', kind: 'image', caption: 'Missing', asset: 'assets/missing.png', alt: 'Missing' }];
    await call('studio.save', { draftId: copy.draftId, revision: current.revision, document: { ...current.document, evidence } });
    const refused = await call('studio.publish', { draftId: copy.draftId });
    expect(refused.ok).toBe(false);
    expect(refused.errors.map((e: Json) => e.pointer)).toContain(`/evidence/${evidence.length - 1}/asset`);
  });
});

describe('rehearsing a draft', () => {
  it('runs with default, random and chosen decisions and shows the path, ending, milestone times and scores', async () => {
    const draft = await call('studio.create', { from: 'new' });
    const byDefault = await call('studio.rehearse', { draftId: draft.draftId, choices: 'default', seed: '1' });
    expect(byDefault).toMatchObject({ ok: true, rehearsal: { ended: 'end-good', endTitle: 'Handled well', result: 'success', choices: { 'decision-1': 'option-a' } } });
    expect(byDefault.rehearsal.path.map((p: Json) => p.id)).toEqual(['inject-1', 'decision-1', 'end-good']);
    expect(byDefault.rehearsal.milestones.detected).toEqual(expect.any(Number));
    expect(byDefault.rehearsal.milestones.contained).toBeNull();

    const chosen = await call('studio.rehearse', { draftId: draft.draftId, choices: 'chosen', picks: { 'decision-1': 'option-b' }, seed: '1' });
    expect(chosen.rehearsal).toMatchObject({ ended: 'end-bad', result: 'failure' });
    const seeds = new Set<string>();
    for (let seed = 1; seed <= 12; seed++) seeds.add((await call('studio.rehearse', { draftId: draft.draftId, choices: 'random', seed: String(seed) })).rehearsal.ended);
    expect([...seeds].sort()).toEqual(['end-bad', 'end-good']);

    const wrong = await call('studio.rehearse', { draftId: draft.draftId, choices: 'chosen', picks: { 'decision-1': 'option-z', nowhere: 'a' }, seed: '1' });
    expect(wrong).toEqual({
      ok: false,
      errors: [
        { pointer: '/picks/decision-1', message: 'decision "decision-1" has no option "option-z"' },
        { pointer: '/picks/nowhere', message: 'the scenario has no decision "nowhere"' },
      ],
    });
    expect((await refusal('studio.rehearse', { draftId: draft.draftId, choices: 'default', picks: {}, seed: '1' })).path).toBe('/picks');
  });
});
