/**
 * Exports written to a file chunk by chunk (`writeSessionExport`) are byte
 * for byte the export built in memory, which is `JSON.stringify(document,
 * null, 2)` — including payloads that try to look like the layout's seams.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../src-main/app/dispatch.ts';
import { exportSession, writeSessionExport } from '../../src-main/app/exports.ts';
import { Services } from '../../src-main/app/services.ts';
import { EXPORT_FORMATS } from '../../src-main/core/report/export.ts';
import { Store } from '../../src-main/store/store.ts';
import { FakeClock } from '../helpers/fake-clock.ts';
import { engineTestScenarioInput } from '../helpers/scenario.ts';
import { tempDir } from '../helpers/tmp.ts';

const work = tempDir();
afterAll(() => work.cleanup());

describe('exports written as a stream', () => {
  it('are the in-memory export, byte for byte, with the same manifest', async () => {
    const scenariosDir = join(work.dir, 'scenarios');
    mkdirSync(scenariosDir);
    writeFileSync(join(scenariosDir, 'engine-test.json'), JSON.stringify(engineTestScenarioInput()));
    const dataDir = join(work.dir, 'data');
    const services = new Services(Store.open({ dataDir }), { name: 'Sandtable', version: 't', host: 'web', dataDir, scenariosDir }, new FakeClock());
    const grant = { role: 'facilitator' } as const;
    const created = await dispatch(services, 'sessions.create', { scenarioId: 'engine-test', name: 'S', facilitator: 'F', teams: [{ name: 'A' }] }, grant);
    if (!created.ok) throw new Error(created.error.message);
    const sessionId = (created.result as { id: string }).id;
    await dispatch(services, 'sessions.start', { sessionId }, grant);
    // More than 64 events and notes: the log and the notes are written element by element.
    for (let i = 0; i < 70; i++) await dispatch(services, 'sessions.addNote', { sessionId, teamId: 'team-1', text: `note ${i}` }, grant);
    for (const text of ['plain', 'two\nlines', '\n  "events": 0', '"events": [', '\u0001events\u0001', 'ünïcødé ✓ 🔥']) {
      const note = await dispatch(services, 'sessions.addNote', { sessionId, teamId: 'team-1', text }, grant);
      expect(note.ok).toBe(true);
    }
    for (const format of EXPORT_FORMATS) {
      for (const pseudonymise of [false, true]) {
        const options = { format, pseudonymise, generator: 'test', now: 1 };
        const inMemory = exportSession(services.store, sessionId, options);
        const written = writeSessionExport(services.store, sessionId, options, (name) => join(work.dir, name));
        expect(readFileSync(written.path, 'utf8')).toBe(inMemory.content);
        expect(written.manifest).toEqual(inMemory.manifest);
        if (format === 'json') expect(inMemory.content).toBe(`${JSON.stringify(JSON.parse(inMemory.content), null, 2)}\n`);
      }
    }
    services.close();
  });
});
