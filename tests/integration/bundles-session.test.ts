import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yauzl from 'yauzl';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../src-main/app/dispatch.ts';
import { importSessionArchive, readScenarioBundle } from '../../src-main/app/interop.ts';
import { Services } from '../../src-main/app/services.ts';
import { readZip, writeZip } from '../../src-main/app/zip.ts';
import { SESSION_ARCHIVE_LIMITS } from '../../src-main/core/bundle/archive.ts';
import { Store } from '../../src-main/store/store.ts';
import { FakeClock } from '../helpers/fake-clock.ts';
import { engineTestScenarioInput } from '../helpers/scenario.ts';
import { tempDir } from '../helpers/tmp.ts';

const MIN = 60_000;
const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

const work = () => {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const scenariosDir = join(t.dir, 'scenarios');
  mkdirSync(scenariosDir);
  writeFileSync(join(scenariosDir, 'engine-test.json'), JSON.stringify(engineTestScenarioInput()));
  const open = (name: string, clock = new FakeClock()) => {
    const dataDir = join(t.dir, name);
    const services = new Services(Store.open({ dataDir }), { name: 'Sandtable', version: 't', host: 'web', dataDir, scenariosDir }, clock);
    cleanups.push(() => services.close());
    return services;
  };
  return { open };
};

const facilitator = { role: 'facilitator' } as const;
async function call(services: Services, method: string, input: unknown): Promise<any> {
  const response = await dispatch(services, method, input, facilitator);
  if (!response.ok) throw Object.assign(new Error(`${method}: ${response.error.code} ${response.error.message}`), { code: response.error.code });
  return response.result;
}

/** A two-team session that ran for a while and ended: decisions, a contingency, a note. */
async function recordedSession(services: Services, clock: FakeClock) {
  const created = await call(services, 'sessions.create', {
    scenarioId: 'engine-test',
    name: 'Tuesday drill',
    facilitator: 'Ana',
    teams: [{ name: 'Red' }, { name: 'Blue' }],
    seed: 'fixed',
  });
  const sessionId: string = created.id;
  await call(services, 'sessions.start', { sessionId });
  clock.advance(10 * MIN + 5);
  await call(services, 'sessions.recordDecision', { sessionId, teamId: 'team-1', decisionId: 'd1', optionId: 'now', rationale: 'Revoke it.', decidedBy: 'Kim' });
  await call(services, 'sessions.fireContingency', { sessionId, teamId: 'team-2', contingencyId: 'c1' });
  await call(services, 'sessions.addNote', { sessionId, teamId: 'team-2', text: 'Blue hesitated.', objectiveId: 'obj1', rating: 'S' });
  clock.advance(25 * MIN);
  await call(services, 'sessions.end', { sessionId, reason: 'Time' });
  return sessionId;
}

/** The byte range of one entry's compressed data in an archive. */
async function dataRange(archive: Buffer, name: string): Promise<{ start: number; length: number }> {
  const zip = await yauzl.fromBufferPromise(archive, { lazyEntries: true });
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName !== name) continue;
      const header = await zip.readLocalFileHeaderPromise(entry, { minimal: true });
      return { start: header.fileDataStart, length: entry.compressedSize };
    }
  } finally {
    zip.close();
  }
  throw new Error(`no entry ${name}`);
}

describe('session archives', () => {
  it('export → import into a fresh data folder gives the same events, the same final hash and a chain that verifies', async () => {
    const w = work();
    const clock = new FakeClock();
    const origin = w.open('origin', clock);
    const sessionId = await recordedSession(origin, clock);

    const exported = await call(origin, 'sessionBundle.export', { sessionId });
    expect(exported.filename).toMatch(/^tuesday-drill-[0-9a-f]{8}\.sandtable-session$/);
    const files = await readZip(Buffer.from(exported.base64, 'base64'), SESSION_ARCHIVE_LIMITS);
    expect([...files.keys()].sort()).toEqual(['events.jsonl', 'manifest.json', 'scenario.json']);
    const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8'));
    expect(manifest.session.lastHash).toBe(origin.store.sessions.get(sessionId)!.lastHash);
    for (const name of ['events.jsonl', 'scenario.json']) {
      expect(manifest.entries[name].sha256).toBe(createHash('sha256').update(files.get(name)!).digest('hex'));
    }

    const copy = w.open('copy');
    const pushed: string[] = [];
    copy.events.subscribe({ role: 'facilitator' }, (e) => e.name === 'session.changed' && pushed.push(e.payload.sessionId));
    const imported = await call(copy, 'sessionBundle.import', { base64: exported.base64 });
    expect(imported.sessionId).toBe(sessionId);
    expect(pushed).toEqual([sessionId]);

    expect(copy.store.sessions.events(sessionId)).toEqual(origin.store.sessions.events(sessionId));
    expect(copy.store.sessions.get(sessionId)).toEqual(origin.store.sessions.get(sessionId));
    expect(copy.store.sessions.scenarioJson(sessionId)).toBe(origin.store.sessions.scenarioJson(sessionId));
    const chain = copy.store.sessions.verifyChain(sessionId);
    expect(chain).toEqual({ ok: true, count: imported.events, lastHash: imported.lastHash });
    expect(imported.lastHash).toBe(origin.store.sessions.get(sessionId)!.lastHash);
    // The same state (and so the same debrief) is rebuilt from the imported log.
    expect(copy.sessions.verify(sessionId).ok).toBe(true);
    expect(await call(copy, 'sessions.get', { sessionId })).toEqual(await call(origin, 'sessions.get', { sessionId }));
    expect(await call(copy, 'msel.exportSession', { sessionId })).toEqual(await call(origin, 'msel.exportSession', { sessionId }));

    // Importing it again is a conflict, and changes nothing.
    await expect(call(copy, 'sessionBundle.import', { base64: exported.base64 })).rejects.toMatchObject({ code: 'conflict' });
    expect(copy.store.sessions.events(sessionId)).toHaveLength(imported.events);
  });

  it('refuses an archive with a flipped byte, and records nothing', async () => {
    const w = work();
    const clock = new FakeClock();
    const origin = w.open('origin', clock);
    const sessionId = await recordedSession(origin, clock);
    const archive = Buffer.from((await call(origin, 'sessionBundle.export', { sessionId })).base64, 'base64');
    const copy = w.open('copy');

    for (const entry of ['events.jsonl', 'scenario.json', 'manifest.json']) {
      const { start, length } = await dataRange(archive, entry);
      for (const offset of [0, Math.floor(length / 2), length - 1]) {
        const flipped = Buffer.from(archive);
        flipped[start + offset]! ^= 0x01;
        await expect(importSessionArchive(copy.store, flipped), `${entry} byte ${offset}`).rejects.toThrow(/damaged|altered|not readable|invalid|refused/i);
      }
    }
    expect(copy.store.sessions.list()).toEqual([]);
  });

  it('refuses a consistently re-packed archive whose log was edited', async () => {
    const w = work();
    const clock = new FakeClock();
    const origin = w.open('origin', clock);
    const sessionId = await recordedSession(origin, clock);
    const files = await readZip(Buffer.from((await call(origin, 'sessionBundle.export', { sessionId })).base64, 'base64'), SESSION_ARCHIVE_LIMITS);
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

    const repack = async (edit: (events: string) => string) => {
      const events = Buffer.from(edit(files.get('events.jsonl')!.toString('utf8')));
      const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8'));
      manifest.entries['events.jsonl'] = { sha256: sha(events), bytes: events.byteLength };
      return writeZip(
        [
          { name: 'manifest.json', data: Buffer.from(JSON.stringify(manifest)) },
          { name: 'events.jsonl', data: events },
          { name: 'scenario.json', data: files.get('scenario.json')! },
        ],
        new Date(),
      );
    };
    const copy = w.open('copy');
    // A note says something else: the hash chain catches it.
    await expect(importSessionArchive(copy.store, await repack((t) => t.replace('Blue hesitated.', 'Blue was perfect.')))).rejects.toThrow(
      /hash chain does not verify: Event \d+ was altered/,
    );
    // The last event is dropped: the log no longer ends at the recorded head.
    await expect(importSessionArchive(copy.store, await repack((t) => t.split('\n').slice(0, -2).join('\n') + '\n'))).rejects.toThrow(
      /does not end at the session head|does not replay/,
    );
    expect(copy.store.sessions.list()).toEqual([]);
  });

  it('refuses to export a session whose clock is running', async () => {
    const w = work();
    const services = w.open('data');
    const created = await call(services, 'sessions.create', { scenarioId: 'engine-test', name: 'Live', facilitator: 'Ana', teams: [{ name: 'Red' }] });
    await call(services, 'sessions.start', { sessionId: created.id });
    await expect(call(services, 'sessionBundle.export', { sessionId: created.id })).rejects.toMatchObject({ code: 'conflict' });
    await call(services, 'sessions.pause', { sessionId: created.id });
    expect((await call(services, 'sessionBundle.export', { sessionId: created.id })).base64.length).toBeGreaterThan(0);
  });
});

describe('interop contract methods', () => {
  it('export a library scenario as an MSEL and a bundle, and preview an MSEL import without saving', async () => {
    const w = work();
    const services = w.open('data');
    const msel = await call(services, 'msel.exportScenario', { scenarioId: 'engine-test' });
    expect(msel.filename).toBe('engine-test-msel.csv');
    expect(msel.csv.startsWith('\ufeffSequence,Scenario time,')).toBe(true);

    const preview = await call(services, 'msel.previewImport', { csv: msel.csv, fileName: 'My drill.csv' });
    expect(preview.problems).toEqual([]);
    expect(preview.draft.meta).toMatchObject({ id: 'my-drill', title: 'My drill' });
    expect(preview.mapping[0]).toEqual({ column: 0, header: 'Sequence', field: 'sequence' });
    expect(services.store.sessions.list()).toEqual([]);

    const bundle = await call(services, 'scenarioBundle.export', { scenarioId: 'engine-test' });
    expect(bundle.filename).toBe('engine-test-1.0.0.sandtable');
    const read = await readScenarioBundle(Buffer.from(bundle.base64, 'base64'));
    expect(read.scenario.meta.id).toBe('engine-test');

    await expect(call(services, 'msel.exportScenario', { scenarioId: 'nope' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(call(services, 'msel.exportSession', { sessionId: 'nope' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(call(services, 'sessionBundle.import', { base64: Buffer.from('not a zip').toString('base64') })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(call(services, 'sessionBundle.import', { base64: '***' })).rejects.toMatchObject({ code: 'invalid_input' });
  });
});
