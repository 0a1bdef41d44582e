import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES_DIR, node, sample, SAMPLE_PATH } from '../fixtures/scenarios/build.ts';
import { tempDir } from '../helpers/tmp.ts';

const ROOT = process.cwd();
const SAMPLE = relative(ROOT, SAMPLE_PATH);
const TRUNCATED = relative(ROOT, join(FIXTURES_DIR, 'truncated.json'));

/** Runs the real command, as `npm run validate` does, from the repository root. */
function validate(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'src-main/cli/validate.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

let folder: ReturnType<typeof tempDir>;
let dangling: string;
let withImage: string;

beforeAll(() => {
  folder = tempDir();
  const broken = sample();
  node(broken, 'd-contain').options[1].next = 'd9';
  dangling = join(folder.dir, 'dangling.json');
  writeFileSync(dangling, JSON.stringify(broken));

  const illustrated = sample();
  illustrated.evidence.push({ id: 'ev-diagram', kind: 'image', caption: 'Diagram', asset: 'assets/diagram.png', alt: 'The pipeline' });
  withImage = join(folder.dir, 'illustrated.json');
  writeFileSync(withImage, JSON.stringify(illustrated));
});

afterAll(() => folder.cleanup());

describe('npm run validate', () => {
  it('exits 0 and summarises a valid file', () => {
    const run = validate(SAMPLE, 'scenarios/scenario.schema.json');
    expect(run.stdout).toBe(
      "scenarios/scenario.schema.json: skipped (the format's JSON Schema, not a scenario)\n" +
        `${SAMPLE}: ok (5 injects, 2 decisions, 1 branch, 1 random event, 1 contingency, 6 evidence items, 3 endings)\n`,
    );
    expect(run.status).toBe(0);
  });

  it('exits 1 and prints FILE:POINTER: message for each problem of each file', () => {
    const run = validate(SAMPLE, dangling, TRUNCATED, 'no-such-file.json');
    expect(run.stdout.split('\n')).toEqual([
      expect.stringMatching(/: ok \(/),
      `${dangling}:/timeline/3/options/1/next: refers to "d9", but no timeline node has that id`,
      expect.stringMatching(new RegExp(`^${TRUNCATED}:: is not valid JSON: `)),
      'no-such-file.json:: the file does not exist',
      '',
    ]);
    expect(run.status).toBe(1);
  });

  it('prints the documented --json shape, with stats whenever the schema matched', () => {
    const run = validate('--json', SAMPLE, dangling, 'no-such-file.json');
    expect(run.status).toBe(1);
    const stats = { injects: 5, decisions: 2, branches: 1, randomEvents: 1, contingencies: 1, evidence: 6, endings: 3 };
    expect(JSON.parse(run.stdout)).toEqual([
      { file: SAMPLE, valid: true, errors: [], stats },
      { file: dangling, valid: false, errors: [{ pointer: '/timeline/3/options/1/next', message: 'refers to "d9", but no timeline node has that id' }], stats },
      { file: 'no-such-file.json', valid: false, errors: [{ pointer: '', message: 'the file does not exist' }], stats: null },
    ]);
  });

  it('checks image assets relative to the scenario file', () => {
    const missing = validate(withImage);
    expect(missing.stdout).toBe(`${withImage}:/evidence/6/asset: the image "assets/diagram.png" was not found (the path is relative to the scenario file's folder)\n`);
    expect(missing.status).toBe(1);
    mkdirSync(join(folder.dir, 'assets'));
    writeFileSync(join(folder.dir, 'assets', 'diagram.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    expect(validate(withImage).status).toBe(0);
  });

  it('exits 2 on usage errors', () => {
    const none = validate();
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/No scenario file given[\s\S]*Usage: npm run validate/);
    const unknown = validate('--strict', SAMPLE);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown option '--strict'/);
    expect(unknown.stdout).toBe('');
  });
});
