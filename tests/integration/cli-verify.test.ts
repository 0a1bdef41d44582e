import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readScenarioFile } from '../../src-main/app/scenario-files.ts';
import { rehearseScenario } from '../../src-main/app/rehearsal.ts';
import { main as report } from '../../src-main/cli/report.ts';
import { main } from '../../src-main/cli/verify.ts';
import { Store } from '../../src-main/store/store.ts';
import { tempDir } from '../helpers/tmp.ts';

const work = tempDir();
const dataDir = join(work.dir, 'data');
const quiet = () => {};
const file = (format: string) => join(work.dir, `export.${format}`);

function verify(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src-main/cli/verify.ts', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const status = main(
    args,
    (s) => out.push(s),
    (s) => err.push(s),
  );
  return { status, stdout: out.join('\n'), stderr: err.join('\n') };
}

/** A copy of an export (and its manifest) with one byte flipped. */
function flipped(format: string): string {
  const copy = join(work.dir, `flipped.${format}`);
  const bytes = readFileSync(file(format));
  bytes[bytes.length >> 1]! ^= 0x20;
  writeFileSync(copy, bytes);
  copyFileSync(`${file(format)}.manifest.json`, `${copy}.manifest.json`);
  return copy;
}

beforeAll(() => {
  const loaded = readScenarioFile('scenarios/sample-leaked-key.json');
  if (!loaded.ok) throw new Error('sample scenario invalid');
  const store = Store.open({ dataDir });
  try {
    rehearseScenario(loaded.scenario, { choices: 'random', seed: '7', store });
  } finally {
    store.close();
  }
  for (const format of ['md', 'csv', 'json', 'html']) {
    expect(report(['--data', dataDir, '--session', 'latest', '--format', format, '--out', file(format)], quiet, quiet)).toBe(0);
  }
});
afterAll(() => work.cleanup());

describe('npm run verify', () => {
  it('exits 0 for an intact export, alone and against its data folder', () => {
    const alone = verify(file('json'));
    expect(alone.status, alone.stdout + alone.stderr).toBe(0);
    expect(alone.stdout).toContain('The metrics recompute from the exported log to the same values.');
    expect(alone.stdout.trim().split('\n').at(-1)).toBe(`${file('json')}: intact.`);
    const withData = verify(file('json'), '--data', dataDir);
    expect(withData.status).toBe(0);
    expect(withData.stdout).toContain('intact and matches the session log in the data folder');
    for (const format of ['md', 'csv', 'html']) expect(run(file(format), '--data', dataDir).status, format).toBe(0);
  });

  it('exits 1 when a byte of the export is flipped', () => {
    const r = verify(flipped('json'));
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/FAIL The file was changed after it was exported/);
    expect(r.stdout.trim().split('\n').at(-1)).toMatch(/NOT intact\.$/);
    for (const format of ['md', 'csv', 'html']) expect(run(flipped(format)).status, format).toBe(1);
  });

  it('accepts the manifest as PATH, and prints JSON on request', () => {
    const r = run(`${file('csv')}.manifest.json`, '--json');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ file: file('csv'), ok: true, checks: [{ ok: true, message: expect.stringContaining('intact') }] });
  });

  it('exits 1 without a manifest, or for an export of a session the data folder does not hold', () => {
    const lone = join(work.dir, 'lone.md');
    copyFileSync(file('md'), lone);
    expect(run(lone)).toMatchObject({ status: 1, stdout: expect.stringContaining('No manifest') });
    const otherData = join(work.dir, 'other-data');
    Store.open({ dataDir: otherData }).close();
    expect(run(file('md'), '--data', otherData)).toMatchObject({ status: 1, stdout: expect.stringContaining('The data folder has no session') });
    rmSync(otherData, { recursive: true });
  });

  it('exits 2 on usage errors', () => {
    expect(run().status).toBe(2);
    expect(run('a', 'b').status).toBe(2);
    expect(run(join(work.dir, 'missing.md')).status).toBe(2);
    expect(run(file('md'), '--data', join(work.dir, 'nowhere')).status).toBe(2);
    expect(run('--bogus').status).toBe(2);
    expect(run('--help').status).toBe(0);
  });
});
