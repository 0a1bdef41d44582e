import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readRecordedScenario, sha256Hex } from '../../src-main/app/recorded-scenario.ts';

const sample = JSON.parse(readFileSync('scenarios/sample-leaked-key.json', 'utf8')) as { start: string };

describe('the recorded-session loader', () => {
  it('reads the scenario a session ran only when its SHA-256 is the one the log records', () => {
    const json = JSON.stringify(sample);
    expect(readRecordedScenario(json, sha256Hex(json), 'store')).toMatchObject({ ok: true });
    expect(readRecordedScenario(json, sha256Hex(`${json} `), 'store')).toMatchObject({ ok: false, reason: 'sha256' });
  });

  it('holds a scenario from this data folder to the schema only (it passed every rule when recorded), one from an archive to every rule', () => {
    // Well-formed, but breaking a whole-document rule (a rule added later would look the same to an old session).
    const json = JSON.stringify({ ...sample, start: 'nowhere' });
    expect(readRecordedScenario(json, sha256Hex(json), 'store')).toMatchObject({ ok: true });
    expect(readRecordedScenario(json, sha256Hex(json), 'archive')).toMatchObject({ ok: false, reason: 'invalid', message: expect.stringContaining('/start') });
    // Not a scenario at all: refused from anywhere.
    const broken = JSON.stringify({ ...sample, timeline: 'none' });
    expect(readRecordedScenario(broken, sha256Hex(broken), 'store')).toMatchObject({ ok: false, reason: 'invalid' });
  });
});
