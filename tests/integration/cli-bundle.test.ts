import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yazl from 'yazl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readScenarioFile } from '../../src-main/app/scenario-files.ts';
import { rehearseScenario } from '../../src-main/app/rehearsal.ts';
import { Store } from '../../src-main/store/store.ts';
import { engineTestScenarioInput } from '../helpers/scenario.ts';
import { tempDir } from '../helpers/tmp.ts';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

/** Runs the real command, as `npm run bundle` does, from the repository root. */
function bundle(...args: string[]) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'src-main/cli/bundle.ts', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const work = tempDir();
const author = join(work.dir, 'author');
const scenarioFile = join(author, 'illustrated.json');
const origin = join(work.dir, 'origin-data');
let sessionId: string;

beforeAll(() => {
  mkdirSync(join(author, 'assets'), { recursive: true });
  const input = engineTestScenarioInput();
  input.evidence = [{ id: 'ev-diagram', kind: 'image', caption: 'Diagram', asset: 'assets/diagram.png', alt: 'The VPC' }];
  writeFileSync(scenarioFile, JSON.stringify(input, null, 2));
  writeFileSync(join(author, 'assets', 'diagram.png'), PNG);

  const loaded = readScenarioFile(scenarioFile);
  if (!loaded.ok) throw new Error(`fixture is not valid: ${JSON.stringify(loaded.errors)}`);
  const store = Store.open({ dataDir: origin });
  try {
    sessionId = rehearseScenario(loaded.scenario, { choices: 'default', seed: '7', store }).sessionId!;
  } finally {
    store.close();
  }
});
afterAll(() => work.cleanup());

describe('npm run bundle', () => {
  it('exports a scenario with its assets and imports it into a new folder', () => {
    const file = join(work.dir, 'illustrated.sandtable');
    expect(bundle('export', scenarioFile, '--out', file)).toMatchObject({ status: 0, stdout: expect.stringContaining('bundled into') });
    const target = join(work.dir, 'unpacked');
    const run = bundle('import', file, '--out', target);
    expect(run).toMatchObject({ status: 0, stdout: expect.stringContaining('scenario engine-test 1.0.0 with 1 asset written to') });
    expect(readFileSync(join(target, 'scenario.json'), 'utf8')).toBe(readFileSync(scenarioFile, 'utf8'));
    expect(readFileSync(join(target, 'assets', 'diagram.png'))).toEqual(PNG);
    // The folder now holds something: a second import there is refused.
    expect(bundle('import', file, '--out', target)).toMatchObject({ status: 1, stderr: expect.stringContaining('is not empty') });
  });

  it('refuses hostile archives with FILE:entry lines and writes nothing', async () => {
    const slip = join(work.dir, 'slip.sandtable');
    const z = new yazl.ZipFile();
    z.addBuffer(Buffer.from('owned'), 'zz/evil.txt');
    z.end();
    const chunks: Buffer[] = [];
    for await (const chunk of z.outputStream) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    for (let at = bytes.indexOf('zz/evil'); at !== -1; at = bytes.indexOf('zz/evil', at + 1)) bytes.write('../evil', at, 'latin1');
    writeFileSync(slip, bytes);
    const truncated = join(work.dir, 'truncated.sandtable');
    writeFileSync(truncated, bytes.subarray(0, 20));

    const before = readdirSync(work.dir).sort();
    const target = join(work.dir, 'hostile-out');
    expect(bundle('import', slip, '--out', target)).toMatchObject({ status: 1, stderr: `${slip}:../evil.txt: refused: the entry climbs out of the archive with ".."\n` });
    expect(bundle('import', truncated, '--out', target)).toMatchObject({ status: 1, stderr: expect.stringMatching(new RegExp(`^${truncated}: the archive is not a zip archive`)) });
    expect(bundle('import-session', slip, '--data', join(work.dir, 'origin-data'))).toMatchObject({ status: 1, stderr: expect.stringContaining(':../evil.txt: refused') });
    expect(readdirSync(work.dir).sort()).toEqual(before);
  });

  it('moves a recorded session to another data folder, once', () => {
    const archive = join(work.dir, 'drill.sandtable-session');
    expect(bundle('export-session', '--data', origin, '--session', sessionId, '--out', archive)).toMatchObject({ status: 0 });
    const copy = join(work.dir, 'copy-data');
    const run = bundle('import-session', archive, '--data', copy);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`session ${sessionId} imported \\(\\d+ events, final hash [0-9a-f]{64}\\)`));

    const a = Store.open({ dataDir: origin });
    const b = Store.open({ dataDir: copy });
    try {
      expect(b.sessions.events(sessionId)).toEqual(a.sessions.events(sessionId));
      expect(b.sessions.verifyChain(sessionId)).toEqual(a.sessions.verifyChain(sessionId));
    } finally {
      a.close();
      b.close();
    }
    expect(bundle('import-session', archive, '--data', copy)).toMatchObject({ status: 1, stderr: expect.stringContaining('already in this data folder') });
    expect(bundle('export-session', '--data', origin, '--session', 'nope', '--out', archive)).toMatchObject({
      status: 1,
      stderr: expect.stringContaining('There is no session nope'),
    });
  });

  it('exits 2 on usage errors', () => {
    expect(bundle().status).toBe(2);
    expect(bundle('export', scenarioFile).status).toBe(2);
    expect(bundle('import', 'x.sandtable').status).toBe(2);
    expect(bundle('export-session', '--data', origin).status).toBe(2);
    expect(bundle('import-session', 'x', '--data', origin, '--out', 'y').status).toBe(2);
    expect(bundle('unpack').status).toBe(2);
  });
});
