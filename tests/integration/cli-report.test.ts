import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readScenarioFile } from '../../src-main/app/scenario-files.ts';
import { rehearseScenario } from '../../src-main/app/rehearsal.ts';
import { setAlternative } from '../../src-main/app/report-alternatives.ts';
import { main } from '../../src-main/cli/report.ts';
import { ExportManifestSchema } from '../../src-main/core/report/export.ts';
import { Store } from '../../src-main/store/store.ts';
import { tempDir } from '../helpers/tmp.ts';

const work = tempDir();
const dataDir = join(work.dir, 'data');
let sessionId = '';

function report(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src-main/cli/report.ts', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the CLI in this process, capturing what it prints. */
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

beforeAll(() => {
  const loaded = readScenarioFile('scenarios/sample-leaked-key.json');
  if (!loaded.ok) throw new Error('sample scenario invalid');
  const store = Store.open({ dataDir });
  try {
    sessionId = rehearseScenario(loaded.scenario, { choices: 'default', seed: '1', store }).sessionId!;
  } finally {
    store.close();
  }
});
afterAll(() => work.cleanup());

describe('npm run report', () => {
  it('writes the JSON export of the latest session and its manifest', () => {
    const out = join(work.dir, 'session.json');
    const r = report('--data', dataDir, '--session', 'latest', '--format', 'json', '--out', out);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Wrote ${out}`);
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    expect(doc.session.id).toBe(sessionId);
    const [team] = doc.metrics.teams;
    expect(team.name).toBe('Rehearsal');
    expect(Object.keys(team.milestones)).toEqual(['detected', 'contained', 'eradicated', 'recovered']);
    for (const m of Object.values<object>(team.milestones)) expect(Object.keys(m)).toEqual(expect.arrayContaining(['scenarioMs', 'wallMs', 'targetMs', 'met']));
    expect(team.milestones.detected).toMatchObject({ targetMs: 5 * 60_000, met: true });
    expect(team.decisions.map((d: any) => d.decisionId)).toEqual(['d-contain', 'd-recover']);
    expect(team.score).toMatchObject({ byTag: expect.any(Object), bestPractice: expect.any(Object), phase: expect.any(Object) });
    const manifest = ExportManifestSchema.parse(JSON.parse(readFileSync(`${out}.manifest.json`, 'utf8')));
    expect(manifest).toMatchObject({ format: 'json', session: { id: sessionId }, bytes: readFileSync(out).length });
  });

  it('writes every format into a folder under its own name, pseudonymised on request', () => {
    const folder = join(work.dir, 'exports');
    mkdirSync(folder);
    for (const format of ['md', 'csv', 'html']) {
      const r = run('--data', dataDir, '--session', sessionId, '--format', format, '--out', folder, '--pseudonymise');
      expect(r.status, r.stderr).toBe(0);
    }
    const files = readdirSync(folder).sort();
    expect(files).toHaveLength(6);
    for (const format of ['md', 'csv', 'html']) {
      const name = files.find((f) => f.endsWith(`-pseudonymised.${format}`))!;
      expect(name).toMatch(/^rehearsal-of-warm-up-a-leaked-access-key-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}-/);
      expect(existsSync(join(folder, `${name}.manifest.json`))).toBe(true);
    }
  });

  it('lists the alternatives the facilitator listed for the report', () => {
    const out = join(work.dir, 'with-alternative.md');
    expect(run('--data', dataDir, '--session', sessionId, '--format', 'md', '--out', out).status).toBe(0);
    expect(readFileSync(out, 'utf8')).not.toContain('Alternatives discussed');
    const store = Store.open({ dataDir });
    try {
      // The rehearsal took the default option of d-contain; list the other way.
      const scenario = readScenarioFile('scenarios/sample-leaked-key.json');
      if (!scenario.ok) throw new Error('sample scenario invalid');
      const decision = scenario.scenario.timeline.find((n) => n.id === 'd-contain');
      if (decision?.type !== 'decision') throw new Error('no d-contain');
      const chosen = decision.defaultOption ?? decision.options.find((o) => o.recommended)!.id;
      const other = decision.options.find((o) => o.id !== chosen)!.id;
      setAlternative(store, sessionId, { teamId: 'team-1', decisionId: 'd-contain', visit: 1, optionId: other }, true, Date.now(), () => {});
    } finally {
      store.close();
    }
    expect(run('--data', dataDir, '--session', sessionId, '--format', 'md', '--out', out).status).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('Alternatives discussed');
  });

  it('exits 2 on usage errors', () => {
    expect(run().status).toBe(2);
    expect(run('--data', dataDir, '--session', 'latest', '--format', 'pdf', '--out', 'x').status).toBe(2);
    expect(run('--data', dataDir, '--session', 'latest', '--format', 'md').stderr).toContain('Missing --out');
    expect(run('--bogus').status).toBe(2);
    expect(run('--help')).toMatchObject({ status: 0, stdout: expect.stringContaining('Usage: npm run report') });
  });

  it('exits 1 when there is no such data folder or session', () => {
    const out = join(work.dir, 'never.md');
    const noData = run('--data', join(work.dir, 'nowhere'), '--session', 'latest', '--format', 'md', '--out', out);
    expect(noData).toMatchObject({ status: 1, stderr: expect.stringContaining('holds no Sandtable data') });
    expect(existsSync(join(work.dir, 'nowhere'))).toBe(false);
    const noSession = run('--data', dataDir, '--session', 'no-such-session', '--format', 'md', '--out', out);
    expect(noSession).toMatchObject({ status: 1, stderr: 'There is no session no-such-session.' });
    expect(existsSync(out)).toBe(false);
  });

  it('exits 1 when the data folder is in use by another process', () => {
    const store = Store.open({ dataDir });
    try {
      const r = report('--data', dataDir, '--session', 'latest', '--format', 'md', '--out', join(work.dir, 'busy.md'));
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('already in use');
    } finally {
      store.close();
    }
  });
});
