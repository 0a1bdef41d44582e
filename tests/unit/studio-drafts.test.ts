/**
 * The studio's drafts repository (store/studio-drafts.ts) against a real
 * SQLite data folder: drafts kept as written, saves that name a revision,
 * publications recorded with their versions, everything kept across a reopen.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../src-main/store/store.ts';
import { tempDir } from '../helpers/tmp.ts';

const SHA = (c: string) => c.repeat(64);

let t: ReturnType<typeof tempDir>;
let store: Store;
const dataDir = () => join(t.dir, 'data');

beforeEach(() => {
  t = tempDir();
  store = Store.open({ dataDir: dataDir() });
});

afterEach(() => {
  store.close();
  t.cleanup();
});

describe('StudioDraftRepository', () => {
  it('keeps a draft exactly as written (any JSON object), lists it most recently saved first with its title and id read from the document', () => {
    const odd = { meta: { title: 'Half', id: 7 }, list: [1, 'two', null, { deep: [true] }], unicode: 'é — 🚨' };
    store.studio.create({ id: 'a', originKind: 'new', originScenarioId: null, linkedScenarioId: null, document: odd, wallMs: 10 });
    store.studio.create({
      id: 'b',
      originKind: 'duplicate',
      originScenarioId: 'sample',
      linkedScenarioId: null,
      document: { meta: { title: 'Copy', id: 'sample-copy' } },
      wallMs: 20,
    });
    expect(store.studio.get('a')).toMatchObject({ id: 'a', originKind: 'new', originScenarioId: null, revision: 1, publishedVersion: null, document: odd, createdWallMs: 10 });
    expect(store.studio.get('missing')).toBeUndefined();
    expect(store.studio.list().map((d) => [d.id, d.title, d.scenarioId])).toEqual([
      ['b', 'Copy', 'sample-copy'],
      ['a', 'Half', 7],
    ]);
    expect([...store.studio.scenarioIds()]).toEqual(['sample-copy']);
  });

  it('saves only on the revision the draft is at, and says why not otherwise', () => {
    store.studio.create({ id: 'a', originKind: 'new', originScenarioId: null, linkedScenarioId: null, document: { v: 1 }, wallMs: 1 });
    expect(store.studio.save('a', 1, { v: 2 }, 5)).toEqual({ ok: true, revision: 2 });
    expect(store.studio.save('a', 1, { v: 'stale' }, 6)).toEqual({ ok: false, reason: 'conflict', revision: 2 });
    expect(store.studio.save('nope', 1, { v: 3 }, 6)).toEqual({ ok: false, reason: 'not_found' });
    expect(store.studio.get('a')).toMatchObject({ document: { v: 2 }, revision: 2, updatedWallMs: 5 });
    expect(store.studio.save('a', 2, { v: 3 }, 7)).toEqual({ ok: true, revision: 3 });
  });

  it('records a publication with the version it replaced, links the draft to its scenario, and keeps it all across a reopen', () => {
    store.studio.create({ id: 'a', originKind: 'new', originScenarioId: null, linkedScenarioId: null, document: { meta: { version: '1.0.0' } }, wallMs: 1 });
    expect(store.studio.linkedTo('mine')).toBeUndefined();
    const revision = store.studio.published('a', {
      document: { meta: { version: '1.1.0' } },
      scenarioId: 'mine',
      version: '1.1.0',
      sha256: SHA('b'),
      replaced: { version: '1.0.0', sha256: SHA('a') },
      wallMs: 50,
    });
    expect(revision).toBe(2);
    store.studio.published('a', {
      document: { meta: { version: '1.2.0' } },
      scenarioId: 'mine',
      version: '1.2.0',
      sha256: SHA('c'),
      replaced: { version: '1.1.0', sha256: SHA('b') },
      wallMs: 60,
    });
    store.close();
    store = Store.open({ dataDir: dataDir() });
    expect(store.studio.get('a')).toMatchObject({ linkedScenarioId: 'mine', publishedVersion: '1.2.0', revision: 3, document: { meta: { version: '1.2.0' } } });
    expect(store.studio.linkedTo('mine')?.id).toBe('a');
    expect(store.studio.versions('mine')).toEqual([
      { version: '1.0.0', publishedWallMs: null, sha256: SHA('a') },
      { version: '1.1.0', publishedWallMs: 50, sha256: SHA('b') },
      { version: '1.2.0', publishedWallMs: 60, sha256: SHA('c') },
    ]);
    expect(store.studio.versions('other')).toEqual([]);
  });

  it('discards a draft and nothing else', () => {
    store.studio.create({ id: 'a', originKind: 'edit', originScenarioId: 'x', linkedScenarioId: 'x', document: {}, wallMs: 1 });
    store.studio.create({ id: 'b', originKind: 'msel', originScenarioId: 'y', linkedScenarioId: 'y', document: {}, wallMs: 2 });
    expect(store.studio.discard('a')).toBe(true);
    expect(store.studio.discard('a')).toBe(false);
    expect(store.studio.list().map((d) => d.id)).toEqual(['b']);
  });
});
