import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readScenarioFile } from '../../src-main/app/scenario-files.ts';
import { rehearseScenario } from '../../src-main/app/rehearsal.ts';
import { Store } from '../../src-main/store/store.ts';
import { tempDir } from '../helpers/tmp.ts';

const SAMPLE = 'scenarios/sample-leaked-key.json';

/** Runs the real command, as `npm run msel` does, from the repository root. */
function msel(...args: string[]) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'src-main/cli/msel.ts', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const work = tempDir();
let sessionId: string;
const dataDir = join(work.dir, 'data');

beforeAll(() => {
  const loaded = readScenarioFile(SAMPLE);
  if (!loaded.ok) throw new Error('the sample scenario is not valid');
  const store = Store.open({ dataDir });
  try {
    sessionId = rehearseScenario(loaded.scenario, { choices: 'default', seed: '1', store }).sessionId!;
  } finally {
    store.close();
  }
});
afterAll(() => work.cleanup());

describe('npm run msel', () => {
  it('exports a scenario to a file that imports back into a valid draft', () => {
    const csv = join(work.dir, 'sample.csv');
    const exported = msel('export', SAMPLE, '--out', csv);
    expect(exported).toMatchObject({ status: 0, stderr: '' });
    expect(exported.stdout).toContain(`MSEL written to ${csv}`);
    expect(readFileSync(csv, 'utf8').startsWith('\ufeffSequence,Scenario time,Type,Channel')).toBe(true);

    const draft = join(work.dir, 'draft.json');
    const imported = msel('import', csv, '--out', draft);
    expect(imported.status).toBe(0);
    expect(imported.stdout).toMatch(/imported \d+ injects, \d+ decision points, \d+ contingencies into/);
    const result = readScenarioFile(draft);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.scenario.meta.id).toBe('sample');
  });

  it('prints the CSV when no --out is given', () => {
    const run = msel('export', SAMPLE);
    expect(run.status).toBe(0);
    expect(run.stdout.startsWith('\ufeffSequence,')).toBe(true);
  });

  it('exports a recorded session with actual delivery times and status', () => {
    const csv = join(work.dir, 'session.csv');
    const run = msel('export', '--data', dataDir, '--session', sessionId, '--out', csv);
    expect(run.status).toBe(0);
    const text = readFileSync(csv, 'utf8');
    expect(text).toContain('Actual time');
    expect(text).toMatch(/delivered at \d\d:\d\d \(Rehearsal\)/);
    expect(text).toContain(',not delivered,');
    expect(msel('export', '--data', dataDir, '--session', 'no-such-session')).toMatchObject({ status: 1, stderr: expect.stringContaining('There is no session no-such-session') });
  });

  it('previews an import: the mapping, and every bad row as FILE:row N, without writing anything', () => {
    const good = join(work.dir, 'planner.csv');
    writeFileSync(good, 'Inject #;T+;Method;Description;Weather\r\n1;00:05;Phone;Call from the SOC;Rain\r\n');
    const preview = msel('import', good, '--preview');
    expect(preview.status).toBe(0);
    expect(preview.stdout).toContain('Inject # → Sequence');
    expect(preview.stdout).toContain('Weather → facilitator notes (unknown column)');
    expect(preview.stdout).toContain('ready to import');

    const bad = join(work.dir, 'bad.csv');
    writeFileSync(bad, 'Seq,Time,Message\n1,00:05,Fine\n2,soon,Broken\n3,00:10,\n');
    const out = join(work.dir, 'never.json');
    const run = msel('import', bad, '--out', out);
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      `${bad}:row 3: Time: "soon" is not a scenario time; write it as HH:MM (00:15), T+15, 15 min or 1h 5m`,
      `${bad}:row 4: the row has no inject text (Message is empty)`,
    ]);
    expect(existsSync(out)).toBe(false);
  });

  it("reads a file saved in Excel's legacy Windows-1252 encoding", () => {
    const legacy = join(work.dir, 'legacy.csv');
    writeFileSync(legacy, Buffer.from('Seq,Message\r\n1,Caf\xe9 \x96 r\xe9sum\xe9\r\n', 'latin1'));
    const draft = join(work.dir, 'legacy.json');
    expect(msel('import', legacy, '--out', draft).status).toBe(0);
    expect(readFileSync(draft, 'utf8')).toContain('Café – résumé');
  });

  it('exits 1 on an invalid scenario and 2 on usage errors', () => {
    const broken = join(work.dir, 'broken.json');
    writeFileSync(broken, '{"formatVersion": 1}');
    const invalid = msel('export', broken);
    expect(invalid.status).toBe(1);
    expect(invalid.stderr).toContain(`${broken}:/meta:`);
    expect(msel().status).toBe(2);
    expect(msel('export').status).toBe(2);
    expect(msel('import', 'x.csv').status).toBe(2);
    expect(msel('export', SAMPLE, '--bogus').status).toBe(2);
    expect(msel('frobnicate').status).toBe(2);
  });
});
