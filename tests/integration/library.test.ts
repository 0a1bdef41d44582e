import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src-main/app/errors.ts';
import { getBundledScenario, listBundledScenarios, readScenarioFile } from '../../src-main/app/scenario-files.ts';
import { node, nodeIndex, sample, type Json } from '../fixtures/scenarios/build.ts';
import { tempDir } from '../helpers/tmp.ts';

let folder: ReturnType<typeof tempDir>;

function write(name: string, content: unknown): void {
  writeFileSync(join(folder.dir, name), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
}

function brokenScenario(): Json {
  const broken = sample();
  broken.meta.id = 'broken-one';
  broken.meta.title = 'Broken';
  node(broken, 'd-contain').options[1].next = 'd9';
  node(broken, 'i-alert').evidence = ['ev-nothing'];
  return broken;
}

function thrown(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

beforeEach(() => {
  folder = tempDir();
  write('good.json', sample());
  write('broken.json', brokenScenario());
  write('not-json.json', '{ "meta": { "id": "half-written", ');
  write('scenario.schema.json', '{ "this": "is the schema, not a scenario" }');
  write('notes.txt', 'not a scenario either');
});

afterEach(() => folder.cleanup());

describe('listBundledScenarios', () => {
  it('lists the valid scenarios and explains every other file', () => {
    const listing = listBundledScenarios(folder.dir);
    expect(listing.scenarios).toEqual([
      {
        id: 'sample-leaked-key',
        version: '1.0.1',
        title: 'Warm-up: a leaked access key',
        summary: expect.stringContaining('warm-up'),
        estimatedMinutes: 25,
        difficulty: 'introductory',
        source: 'bundled',
        objectives: expect.arrayContaining([{ id: 'obj-contain', text: expect.stringContaining('Contain') }]),
        tags: expect.arrayContaining(['WAF-2024-06-27:SEC02-BP02']),
        critical: false,
      },
    ]);
    // Tags are listed once each, however many objectives carry them.
    expect(new Set(listing.scenarios[0]!.tags).size).toBe(listing.scenarios[0]!.tags.length);
    expect(listing.problems).toEqual([
      {
        file: 'broken.json',
        path: '/timeline/0/evidence/0',
        message: 'refers to "ev-nothing", but no evidence item has that id (and 1 more problem; npm run validate lists them all)',
      },
      { file: 'not-json.json', path: '', message: expect.stringMatching(/^is not valid JSON: the text ends too early/) },
    ]);
  });

  it('reports a missing image asset, checked relative to the folder', () => {
    const withImage = sample();
    withImage.evidence.push({ id: 'ev-diagram', kind: 'image', caption: 'Diagram', asset: 'assets/diagram.png', alt: 'The pipeline' });
    write('good.json', withImage);
    expect(listBundledScenarios(folder.dir).problems[0]).toMatchObject({ file: 'broken.json' });
    expect(listBundledScenarios(folder.dir).problems).toContainEqual({
      file: 'good.json',
      path: '/evidence/6/asset',
      message: expect.stringContaining('"assets/diagram.png" was not found'),
    });

    mkdirSync(join(folder.dir, 'assets'));
    writeFileSync(join(folder.dir, 'assets', 'diagram.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    expect(listBundledScenarios(folder.dir).scenarios.map((s) => s.id)).toEqual(['sample-leaked-key']);
  });

  it('lists a scenario id once, and says which file was ignored', () => {
    write('z-copy.json', sample());
    const listing = listBundledScenarios(folder.dir);
    expect(listing.scenarios.map((s) => s.id)).toEqual(['sample-leaked-key']);
    expect(listing.problems).toContainEqual({
      file: 'z-copy.json',
      path: '/meta/id',
      message: 'the scenario id "sample-leaked-key" is already used by good.json; this file is ignored',
    });
  });

  it('reports a folder that cannot be read', () => {
    const listing = listBundledScenarios(join(folder.dir, 'missing'));
    expect(listing).toEqual({ scenarios: [], problems: [{ file: join(folder.dir, 'missing'), path: '', message: 'The scenario folder could not be read.' }] });
  });
});

describe('getBundledScenario', () => {
  it('returns a valid scenario in full', () => {
    const scenario = getBundledScenario(folder.dir, 'sample-leaked-key');
    expect(scenario.meta.title).toBe('Warm-up: a leaked access key');
    expect(scenario.timeline).toHaveLength(12);
  });

  it('refuses an invalid scenario with the pointer of its first problem', () => {
    const error = thrown(() => getBundledScenario(folder.dir, 'broken-one'));
    expect(error.code).toBe('invalid_scenario');
    expect(error.path).toBe('/timeline/0/evidence/0');
    expect(error.message).toBe('broken.json: /timeline/0/evidence/0: refers to "ev-nothing", but no evidence item has that id (and 1 more problem)');
  });

  it('says not_found for an unknown id, and for an id only a non-JSON file mentions', () => {
    expect(thrown(() => getBundledScenario(folder.dir, 'nothing')).code).toBe('not_found');
    expect(thrown(() => getBundledScenario(folder.dir, 'half-written')).code).toBe('not_found');
  });
});

describe('readScenarioFile', () => {
  it('reports unreadable, oversized and non-UTF-8 files as results', () => {
    expect(readScenarioFile(join(folder.dir, 'absent.json'))).toEqual({ ok: false, errors: [{ pointer: '', message: 'the file does not exist' }] });
    expect(readScenarioFile(folder.dir)).toEqual({ ok: false, errors: [{ pointer: '', message: 'is not a file' }] });
    expect(readScenarioFile(join(folder.dir, 'good.json'), 1024)).toEqual({
      ok: false,
      errors: [{ pointer: '', message: expect.stringMatching(/^the file is larger than the 1 KiB this file may have \(it is [\d.]+ KiB\)$/) }],
    });
    writeFileSync(join(folder.dir, 'latin1.json'), Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x7d]));
    expect(readScenarioFile(join(folder.dir, 'latin1.json'))).toEqual({ ok: false, errors: [{ pointer: '', message: 'is not UTF-8 text' }] });
  });

  it('returns stats with the errors of a schema-valid file', () => {
    const result = readScenarioFile(join(folder.dir, 'broken.json'));
    expect(result.ok).toBe(false);
    expect(result.stats?.decisions).toBe(2);
    if (!result.ok) expect(result.errors.map((e) => e.pointer)).toEqual(['/timeline/0/evidence/0', `/timeline/${nodeIndex(sample(), 'd-contain')}/options/1/next`]);
  });
});
