/**
 * Importing a scenario file picked with its images, or a whole folder, and
 * scenarios of peer tools, through the contract (library.importFiles).
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { engineTestScenarioInput } from '../helpers/scenario.ts';
import { call, cleanup, openBundled } from '../helpers/runner.ts';

afterEach(cleanup);

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const file = (path: string, data: Buffer | string) => ({ path, base64: Buffer.from(data).toString('base64') });

function withImages() {
  const scenario = engineTestScenarioInput();
  scenario.evidence = [
    { id: 'img', kind: 'image', caption: 'Diagram', asset: 'assets/diagram.png', alt: 'A diagram' },
    { id: 'img2', kind: 'image', caption: 'Console', asset: 'assets/console.png', alt: 'A console' },
  ];
  return JSON.stringify(scenario, null, 2);
}

describe('a scenario file with its images', () => {
  it('imports a whole folder: the scenario, the images it names, nothing else', async () => {
    const { services } = openBundled();
    const result = await call(services, 'library.importFiles', {
      files: [
        file('exercise/scenario.json', withImages()),
        file('exercise/assets/diagram.png', PNG),
        file('exercise/assets/console.png', PNG),
        file('exercise/notes.txt', 'not used'),
      ],
    });
    expect(result).toMatchObject({
      outcome: { ok: true, scenario: { id: 'engine-test' } },
      scenarioFile: 'exercise/scenario.json',
      images: ['assets/console.png', 'assets/diagram.png'],
      converted: null,
    });
    const { dataUrl } = await call(services, 'library.asset', { scenarioId: 'engine-test', path: 'assets/diagram.png' });
    expect(dataUrl).toBe(`data:image/png;base64,${PNG.toString('base64')}`);
  });

  it('imports the JSON picked with its image files (names only, without folders)', async () => {
    const { services } = openBundled();
    const result = await call(services, 'library.importFiles', { files: [file('mine.json', withImages()), file('diagram.png', PNG), file('console.png', PNG)] });
    expect(result.outcome.ok).toBe(true);
  });

  it('names the images that were not picked, and imports nothing', async () => {
    const { services } = openBundled();
    const result = await call(services, 'library.importFiles', { files: [file('mine.json', withImages()), file('diagram.png', PNG)] });
    expect(result.outcome).toEqual({
      ok: false,
      exists: false,
      errors: [{ pointer: '/evidence/1/asset', message: expect.stringMatching(/"assets\/console\.png" was not among the files picked/) }],
    });
    const listing = await call(services, 'library.list', {});
    expect(listing.scenarios.some((s: any) => s.id === 'engine-test')).toBe(false);
  });

  it('refuses an "image" that is not one, as a bundle would', async () => {
    const { services } = openBundled();
    const result = await call(services, 'library.importFiles', {
      files: [file('mine.json', withImages()), file('diagram.png', '<svg onload=alert(1)>'), file('console.png', PNG)],
    });
    expect(result.outcome.ok).toBe(false);
    expect(result.outcome.errors[0].message).toMatch(/assets\/diagram\.png: refused: the file is not the image its name says it is/);
  });

  it('says which files when several scenarios were picked', async () => {
    const { services } = openBundled();
    const result = await call(services, 'library.importFiles', { files: [file('a.json', withImages()), file('b.json', withImages())] });
    expect(result.outcome.errors[0].message).toMatch(/more than one scenario among the files picked \(a\.json, b\.json\)/);
  });
});

describe('scenarios of peer tools, detected on import', () => {
  it('converts an IcebergTTX scenario and says what was not carried over', async () => {
    const { services } = openBundled();
    const text = readFileSync('tests/fixtures/convert/icebergttx/vendor_outage.json', 'utf8');
    const result = await call(services, 'library.importFiles', { files: [file('vendor_outage.json', text)] });
    expect(result.outcome.ok).toBe(true);
    expect(result.converted).toMatchObject({ format: 'icebergttx', name: 'IcebergTTX scenario (schema_version 1.0)' });
    expect(result.converted.notes.join('\n')).toMatch(/To be written/);
    const scenario = await call(services, 'library.get', { id: result.outcome.scenario.id });
    expect(scenario.meta.title).toBe(JSON.parse(text).title);
  });

  it('converts a T3SF MSEL', async () => {
    const { services } = openBundled();
    const result = await call(services, 'library.importFiles', { files: [file('MSEL_EXAMPLE.json', readFileSync('tests/fixtures/msel/t3sf/MSEL_EXAMPLE.json'))] });
    expect(result).toMatchObject({ outcome: { ok: true }, converted: { format: 't3sf-msel' } });
  });
});
