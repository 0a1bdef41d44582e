import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseScenarioText } from '../../src-main/core/scenario/validate.ts';
import { tempDir } from '../helpers/tmp.ts';

const work = tempDir();
afterAll(() => work.cleanup());

function convert(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src-main/cli/convert.ts', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('npm run convert', () => {
  it('writes a valid draft from an IcebergTTX sample and says what was not carried over', () => {
    const out = join(work.dir, 'ransomware.json');
    const r = convert('tests/fixtures/convert/icebergttx/ransomware_response.json', '--out', out);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/IcebergTTX scenario \(schema_version 1\.0\) converted into .*ransomware\.json \(5 injects, 2 decisions/);
    expect(r.stdout).toMatch(/Not carried over as it was:\n {2}- Inject "spread" offers a single option/);
    expect(parseScenarioText(readFileSync(out, 'utf8')).ok).toBe(true);
  });

  it('detects a T3SF MSEL, and reports notes as JSON', () => {
    const out = join(work.dir, 't3sf.json');
    const r = convert('tests/fixtures/msel/t3sf/MSEL_EXAMPLE.json', '--out', out, '--json');
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ format: 't3sf-msel', converted: true, problems: [] });
    expect(report.notes.length).toBeGreaterThan(0);
    expect(parseScenarioText(readFileSync(out, 'utf8')).ok).toBe(true);
  });

  it('refuses what it cannot convert, and usage errors', () => {
    const scenario = join(work.dir, 'sandtable.json');
    writeFileSync(scenario, readFileSync('scenarios/sample-leaked-key.json'));
    const r = convert(scenario, '--out', join(work.dir, 'x.json'));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/needs no conversion/);
    expect(convert('tests/fixtures/convert/icebergttx/vendor_outage.json').status).toBe(2);
    expect(convert('tests/fixtures/convert/icebergttx/vendor_outage.json', '--out', 'x', '--from', 'nope').status).toBe(2);
    const forced = convert('tests/fixtures/convert/icebergttx/vendor_outage.json', '--out', join(work.dir, 'y.json'), '--from', 't3sf');
    expect(forced.status).toBe(1);
    expect(forced.stderr).toMatch(/a T3SF MSEL is a list of rows/);
  });
});
