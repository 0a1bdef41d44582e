import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Services } from '../../src-main/app/services.ts';
import { Store } from '../../src-main/store/store.ts';
import { tempDir } from '../helpers/tmp.ts';

const SAMPLE = 'scenarios/sample-leaked-key.json';
const work = tempDir();
afterAll(() => work.cleanup());

function rehearse(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src-main/cli/rehearse.ts', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('npm run rehearse', () => {
  it('runs with default choices and prints the outcome as JSON', () => {
    const r = rehearse(SAMPLE, '--json');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(expect.arrayContaining(['ended', 'path', 'milestones', 'variables', 'score']));
    expect(out.path[0]).toBe('i-alert');
    expect(out.path.at(-1)).toBe(out.ended);
    expect(typeof out.milestones.detected === 'number' || out.milestones.detected === null).toBe(true);
  });

  it('is reproducible for a seed, and follows a choices file', () => {
    const a = rehearse(SAMPLE, '--choices', 'random', '--seed', '42', '--json');
    const b = rehearse(SAMPLE, '--choices', 'random', '--seed', '42', '--json');
    expect(a.stdout).toBe(b.stdout);
    const choices = join(work.dir, 'choices.json');
    writeFileSync(choices, JSON.stringify({ 'd-contain': 'wait' }));
    const c = JSON.parse(rehearse(SAMPLE, '--choices', choices, '--json').stdout);
    expect(c.choices['d-contain']).toBe('wait');
  });

  it('reports the objectives met and the contingencies fired', () => {
    const act = join(work.dir, 'act.json');
    writeFileSync(act, JSON.stringify({ 'd-contain': 'deactivate' }));
    const good = JSON.parse(rehearse(SAMPLE, '--choices', act, '--json').stdout);
    expect(good.objectives['obj-contain']).toEqual(expect.any(Number));
    expect(good.contingencies).toEqual({ 'c-ciso-call': null });

    // A team that waits, with the next inject (the pressure call) only at minute 20: the clock passes minute 15 uncontained.
    const scenario = JSON.parse(readFileSync(SAMPLE, 'utf8'));
    scenario.timeline.find((n: { id: string }) => n.id === 'i-pressure').at = 20;
    const slow = join(work.dir, 'slow.json');
    writeFileSync(slow, JSON.stringify(scenario));
    const choices = join(work.dir, 'stall.json');
    writeFileSync(choices, JSON.stringify({ 'd-contain': 'wait', 'd-recover': 'detach' }));
    const stalled = JSON.parse(rehearse(slow, '--choices', choices, '--json').stdout);
    expect(stalled.objectives['obj-contain']).toBeNull();
    // The CISO calls at minute 15 when the key is still not contained.
    expect(stalled.contingencies['c-ciso-call']).toEqual({ firedAt: 15 * 60_000, manual: false, count: 1 });
    const text = rehearse(slow, '--choices', choices).stdout;
    expect(text).toContain('contingency c-ciso-call: fired at 15 min');
    expect(text).toContain('objective obj-contain: not met');

    // Format 1.1: a repeating contingency reports how many times it fired, and when last.
    const rules = 'tests/fixtures/rules/rules-scenario.json';
    expect(JSON.parse(rehearse(rules, '--json').stdout).contingencies['c-press']).toEqual({ firedAt: 10 * 60_000, manual: false, count: 2 });
    expect(rehearse(rules).stdout).toContain('contingency c-press: fired 2 times, last at 10 min');
  });

  it('folds alias phase tags into their phase in the score', () => {
    const scenario = JSON.parse(readFileSync(SAMPLE, 'utf8'));
    const contain = scenario.timeline.find((n: { id: string }) => n.id === 'd-contain');
    const option = contain.options.find((o: { id: string }) => o.id === 'deactivate');
    option.consequences.score = { 'phase:containment-eradication-recovery': 2, 'phase:containment': 1, 'phase:identification': 1 };
    const file = join(work.dir, 'alias.json');
    writeFileSync(file, JSON.stringify(scenario));
    const act = join(work.dir, 'act-alias.json');
    writeFileSync(act, JSON.stringify({ 'd-contain': 'deactivate' }));
    const out = JSON.parse(rehearse(file, '--choices', act, '--json').stdout);
    expect(out.score['phase:containment']).toBe(3);
    expect(out.score['phase:detection']).toBe(1);
    expect(Object.keys(out.score).filter((k) => k === 'phase:containment-eradication-recovery' || k === 'phase:identification')).toEqual([]);
  });

  it('records the run as a session that verifies, with --data', () => {
    const dataDir = join(work.dir, 'data');
    const r = rehearse(SAMPLE, '--json', '--data', dataDir);
    expect(r.status).toBe(0);
    const { sessionId } = JSON.parse(r.stdout);
    const services = new Services(Store.open({ dataDir }), { name: 'Sandtable', version: 't', host: 'web', dataDir, scenariosDir: 'scenarios' });
    try {
      expect(services.sessions.verify(sessionId)).toMatchObject({ ok: true });
      expect(services.sessions.state(sessionId).status).toBe('ended');
    } finally {
      services.close();
    }
  });

  it('exits 2 on usage errors and 1 on an invalid scenario', () => {
    expect(rehearse().status).toBe(2);
    expect(rehearse(SAMPLE, '--bogus').status).toBe(2);
    const badChoices = join(work.dir, 'bad.json');
    writeFileSync(badChoices, JSON.stringify({ 'd-contain': 'no-such-option' }));
    const r = rehearse(SAMPLE, '--choices', badChoices);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('no option');
    const broken = join(work.dir, 'broken.json');
    writeFileSync(broken, '{"formatVersion": 1');
    expect(rehearse(broken).status).toBe(1);
  });
});
