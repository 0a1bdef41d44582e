/**
 * The report methods through the contract, on a session run by the real
 * session runner: debrief, exports with manifests, JSON round trip, CSV
 * formula neutralisation, pseudonymisation, verification (and tampering),
 * the improvement plan and trends.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../src-main/app/dispatch.ts';
import { sha256Hex, verifyExport } from '../../src-main/app/exports.ts';
import { setAlternative, storedAlternatives } from '../../src-main/app/report-alternatives.ts';
import { Services } from '../../src-main/app/services.ts';
import { computeDebrief } from '../../src-main/core/debrief/compute.ts';
import { DebriefSchema } from '../../src-main/core/debrief/model.ts';
import type { LogEvent } from '../../src-main/core/engine/events.ts';
import { DECISION_LOG_COLUMNS } from '../../src-main/core/report/decision-log.ts';
import { SessionExportSchema, type ExportManifest } from '../../src-main/core/report/export.ts';
import { Store } from '../../src-main/store/store.ts';
import { debriefScenario, MIN } from '../helpers/debrief-log.ts';
import { FakeClock } from '../helpers/fake-clock.ts';
import { tempDir } from '../helpers/tmp.ts';

const work = tempDir();
const scenariosDir = join(work.dir, 'scenarios');
const dataDir = join(work.dir, 'data');
const clock = new FakeClock(Date.UTC(2025, 4, 6, 9));
let services: Services;
let sessionId: string;

const facilitator = { role: 'facilitator' } as const;
async function call(method: string, input: unknown): Promise<any> {
  const response = await dispatch(services, method, input, facilitator);
  if (!response.ok) throw new Error(`${method}: ${response.error.code} ${response.error.message} ${response.error.path}`);
  return response.result;
}
async function callError(method: string, input: unknown) {
  const response = await dispatch(services, method, input, facilitator);
  if (response.ok) throw new Error(`${method} succeeded`);
  return response.error;
}

interface Exported {
  filename: string;
  content: string;
  manifestFilename: string;
  manifest: ExportManifest;
}
const exportAs = (format: string, pseudonymise = false): Promise<Exported> => call('reports.export', { sessionId, format, pseudonymise });

beforeAll(async () => {
  mkdirSync(scenariosDir);
  const scenario = debriefScenario();
  writeFileSync(join(scenariosDir, 'engine-test.json'), JSON.stringify(scenario));
  services = new Services(Store.open({ dataDir }), { name: 'Sandtable', version: 'test', host: 'web', dataDir, scenariosDir }, clock);
  const created = await call('sessions.create', {
    scenarioId: 'engine-test',
    name: 'Tuesday drill',
    facilitator: 'Ana Facilitator',
    teams: [{ name: 'Blue', participants: [{ name: 'Kim Lee', role: 'IC' }, { name: 'Sam Roe' }] }, { name: 'Red' }],
    seed: 'fixed',
    milestoneTargets: { contained: 20 },
  });
  sessionId = created.id;
  await call('sessions.start', { sessionId });
  clock.advance(4 * MIN);
  await call('sessions.pause', { sessionId });
  clock.advance(30 * MIN);
  await call('sessions.resume', { sessionId });
  clock.advance(7 * MIN); // scenario 11 min: both teams face d1
  await call('sessions.recordDecision', { sessionId, teamId: 'team-1', decisionId: 'd1', optionId: 'now', rationale: '=HYPERLINK("http://evil","Kim Lee")', decidedBy: 'Kim Lee' });
  await call('sessions.addNote', { sessionId, teamId: 'team-1', text: 'Sam Roe found the key fast', objectiveId: 'obj1', rating: 'S', author: 'Sam Roe' });
  await call('sessions.setSpeed', { sessionId, speed: 2 });
  clock.advance(10 * MIN); // Red's d1 times out; c1 fires for nobody (both contained)
  await call('sessions.addNote', { sessionId, teamId: null, text: '@SUM(1+1) good session' });
  clock.advance(5 * MIN);
  await call('sessions.end', { sessionId, reason: 'Time' });
});

afterAll(() => {
  services.close();
  work.cleanup();
});

describe('debrief.get', () => {
  it("returns the session's debrief, in scenario and active wall time", async () => {
    const debrief = await call('debrief.get', { sessionId });
    expect(DebriefSchema.safeParse(debrief).success).toBe(true);
    const [blue, red] = debrief.teams;
    expect(blue.participants).toEqual([
      { name: 'Kim Lee', role: 'IC' },
      { name: 'Sam Roe', role: null },
    ]);
    // Four minutes, a 30-minute pause, seven more: scenario 11 min, 11 min of play.
    expect(blue.milestones.contained).toMatchObject({ scenarioMs: 11 * MIN, wallMs: 11 * MIN, targetMs: 20 * MIN, met: true });
    expect(red.decisions[0]).toMatchObject({ status: 'timedOut', latencyScenarioMs: 5 * MIN });
    expect(debrief.clock.pauses).toMatchObject({ count: 1, totalWallMs: 30 * MIN });
  });

  it('refuses an unknown session', async () => {
    expect(await callError('debrief.get', { sessionId: 'nope' })).toMatchObject({ code: 'not_found', path: '/sessionId' });
  });
});

describe('reports.export', () => {
  it('gives every export a manifest with its SHA-256 and the final hash of the log', async () => {
    const lastHash = (await call('sessions.get', { sessionId })).lastHash;
    for (const format of ['md', 'csv', 'json', 'html']) {
      const file = await exportAs(format);
      expect(file.filename.endsWith(`.${format}`)).toBe(true);
      expect(file.manifestFilename).toBe(`${file.filename}.manifest.json`);
      expect(file.manifest).toMatchObject({
        kind: 'sandtable.export-manifest',
        file: file.filename,
        format,
        bytes: Buffer.byteLength(file.content),
        sha256: sha256Hex(file.content),
        pseudonymised: false,
        generator: 'Sandtable test',
        session: { id: sessionId, name: 'Tuesday drill', scenarioId: 'engine-test' },
        log: { lastHash },
      });
    }
  });

  it('exports JSON that re-imports to the same metrics', async () => {
    const file = await exportAs('json');
    const parsed = SessionExportSchema.parse(JSON.parse(file.content));
    expect(parsed.events).toHaveLength(file.manifest.log.eventCount);
    const recomputed = computeDebrief(parsed.scenario, parsed.events as unknown as LogEvent[]);
    expect(recomputed).toEqual(parsed.metrics);
    expect(recomputed).toEqual(await call('debrief.get', { sessionId }));
    // The shape other tools read.
    const raw = JSON.parse(file.content);
    expect(raw.metrics.teams[0]).toMatchObject({
      name: 'Blue',
      milestones: { contained: { scenarioMs: 11 * MIN, wallMs: 11 * MIN, targetMs: 20 * MIN, met: true } },
      decisions: [expect.objectContaining({ decisionId: 'd1', optionId: 'now' })],
      score: expect.objectContaining({ byTag: expect.any(Object) }),
    });
  });

  it('exports the decision log as CSV with spreadsheet formulas neutralised', async () => {
    const file = await exportAs('csv');
    expect(file.content.startsWith('\uFEFF')).toBe(true);
    expect(file.content).toContain('\r\n');
    const { data } = Papa.parse<string[]>(file.content.slice(1), { skipEmptyLines: true });
    expect(data[0]).toEqual([...DECISION_LOG_COLUMNS]);
    expect(data).toHaveLength(3);
    const blue = data.find((r) => r[2] === 'Blue')!;
    expect(blue[9]).toBe(`'=HYPERLINK("http://evil","Kim Lee")`);
    expect(blue[10]).toBe('Kim Lee');
    expect(blue.slice(6, 9)).toEqual(['Contain now', 'no', 'yes']);
    const red = data.find((r) => r[2] === 'Red')!;
    expect(red[7]).toBe('yes');
  });

  it('exports the after-action report as Markdown and HTML naming the log it was made from', async () => {
    const lastHash = (await call('sessions.get', { sessionId })).lastHash;
    const md = await exportAs('md');
    const html = await exportAs('html');
    expect(md.content).toContain('# After-Action Report / Improvement Plan');
    expect(md.content).toContain(lastHash);
    expect(html.content).toContain(lastHash);
    expect(html.content).toContain('Sam Roe found the key fast');
  });

  it('pseudonymises on request, everywhere', async () => {
    for (const format of ['md', 'csv', 'json', 'html']) {
      const file = await exportAs(format, true);
      expect(file.manifest.pseudonymised).toBe(true);
      expect(file.filename).toContain('pseudonymised');
      expect(file.content, format).not.toMatch(/Kim|Sam Roe|\bRoe\b/);
      expect(file.content, format).toContain('Participant');
      // The facilitator remains the point of contact.
      if (format !== 'csv') expect(file.content).toContain('Ana Facilitator');
    }
    // Stable: the same session always gives the same pseudonyms.
    const a = await exportAs('csv', true);
    const b = await exportAs('csv', true);
    expect(a.content).toBe(b.content);
  });

  it('refuses an unknown format or session', async () => {
    expect(await callError('reports.export', { sessionId, format: 'pdf' })).toMatchObject({ code: 'invalid_input', path: '/format' });
    expect(await callError('reports.export', { sessionId: 'nope', format: 'md' })).toMatchObject({ code: 'not_found' });
  });
});

describe('verifyExport', () => {
  const manifestText = (f: Exported, manifest: ExportManifest = f.manifest) => JSON.stringify(manifest);

  it('passes an intact export of every format, on its own and against the data folder', async () => {
    for (const format of ['md', 'csv', 'json', 'html']) {
      const file = await exportAs(format);
      const alone = verifyExport(Buffer.from(file.content), manifestText(file));
      expect(alone.ok, `${format}: ${JSON.stringify(alone.checks)}`).toBe(true);
      const withStore = verifyExport(Buffer.from(file.content), manifestText(file), services.store);
      expect(withStore.ok, format).toBe(true);
      expect(withStore.checks.map((c) => c.message).join('\n')).toContain('matches the session');
    }
  });

  it('fails when one byte of the export is flipped', async () => {
    for (const format of ['md', 'csv', 'json', 'html']) {
      const file = await exportAs(format);
      const bytes = Buffer.from(file.content);
      bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
      const report = verifyExport(bytes, manifestText(file));
      expect(report.ok, format).toBe(false);
      expect(report.checks[0]!.message).toMatch(/changed after it was exported/);
    }
  });

  it('catches an edited JSON export even when the manifest was forged to match', async () => {
    const file = await exportAs('json');
    const doc = JSON.parse(file.content);
    const recorded = doc.events.find((e: any) => e.type === 'decision.recorded');
    recorded.payload.rationale = 'We always planned this';
    const forged = `${JSON.stringify(doc, null, 2)}\n`;
    const manifest = { ...file.manifest, sha256: sha256Hex(forged), bytes: Buffer.byteLength(forged) };
    const report = verifyExport(Buffer.from(forged), JSON.stringify(manifest), services.store);
    expect(report.ok).toBe(false);
    const failed = report.checks.filter((c) => !c.ok).map((c) => c.message);
    expect(failed).toEqual([
      expect.stringMatching(/exported log was altered: Event \d+ was altered after it was recorded/),
      'The metrics in the export do not follow from its log.',
      expect.stringMatching(/Event \d+ in the export is not the session's recorded event/),
    ]);

    // Edited metrics no longer follow from the log.
    const doc2 = JSON.parse(file.content);
    doc2.metrics.teams[1].milestones.contained.scenarioMs = 60_000;
    const forged2 = JSON.stringify(doc2);
    const report2 = verifyExport(Buffer.from(forged2), JSON.stringify({ ...file.manifest, sha256: sha256Hex(forged2), bytes: Buffer.byteLength(forged2) }));
    expect(report2.checks.filter((c) => !c.ok).map((c) => c.message)).toEqual(['The metrics in the export do not follow from its log.']);
  });

  it('checks a pseudonymised JSON export without recomputing its chain, and still against the data folder', async () => {
    const file = await exportAs('json', true);
    const report = verifyExport(Buffer.from(file.content), manifestText(file), services.store);
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.message)).toContain('The hash chain is not recomputed: pseudonymising changed the payloads it covers (the hashes are those recorded).');
  });

  it("fails a manifest that names another log than the session's, and a missing or foreign manifest", async () => {
    const file = await exportAs('md');
    const wrong = { ...file.manifest, log: { ...file.manifest.log, lastHash: 'f'.repeat(64) } };
    const report = verifyExport(Buffer.from(file.content), JSON.stringify(wrong), services.store);
    expect(report.ok).toBe(false);
    expect(report.checks.filter((c) => !c.ok).map((c) => c.message)).toEqual([
      'The report does not name the final event-log hash of its manifest.',
      expect.stringMatching(/^The export does not match the session's log/),
    ]);
    expect(verifyExport(Buffer.from(file.content), null)).toMatchObject({ ok: false, checks: [{ ok: false, message: expect.stringMatching(/No manifest/) }] });
    expect(verifyExport(Buffer.from(file.content), '{"hello": 1}').ok).toBe(false);
    const other = { ...file.manifest, session: { ...file.manifest.session, id: 'elsewhere' } };
    expect(verifyExport(Buffer.from(file.content), JSON.stringify(other), services.store).checks.at(-1)).toEqual({
      ok: false,
      message: 'The data folder has no session elsewhere.',
    });
  });
});

describe('improvement plan and trends through the contract', () => {
  it('creates, updates and lists items; open items follow the team to its next session', async () => {
    const item = await call('improvementPlan.create', {
      sessionId,
      teamName: 'Red',
      area: 'Red waited for the time limit',
      correctiveAction: 'Agree who decides containment',
      tag: 'Operational coordination',
      owner: 'Kim Lee',
      dueDate: '2025-06-30',
    });
    expect(item).toMatchObject({ status: 'open', sessionId, createdWallMs: expect.any(Number) });
    const other = await call('improvementPlan.create', { teamName: 'red', area: 'Old finding', correctiveAction: 'x' });
    expect(other.sessionId).toBeNull();
    expect((await call('improvementPlan.list', { teamNames: ['RED'], openOnly: true })).map((i: any) => i.id)).toEqual([item.id, other.id]);

    const closed = await call('improvementPlan.update', { id: other.id, status: 'closed' });
    expect(closed.closedWallMs).toEqual(expect.any(Number));
    expect((await call('improvementPlan.list', { teamNames: ['Red'], openOnly: true })).map((i: any) => i.id)).toEqual([item.id]);
    expect((await call('improvementPlan.list', { sessionId })).map((i: any) => i.id)).toEqual([item.id]);

    const md = (await exportAs('md')).content;
    expect(md).toContain('| Red | Red waited for the time limit | Agree who decides containment | Operational coordination | Kim Lee | 2025-06-30 | Open |');
    expect((await exportAs('md', true)).content).toContain('| Red | Red waited for the time limit | Agree who decides containment | Operational coordination | Participant');
  });

  it('validates improvement-plan input', async () => {
    expect(await callError('improvementPlan.create', { teamName: 'Red', area: 'x', dueDate: '2025-02-30' })).toMatchObject({ code: 'invalid_input', path: '/dueDate' });
    expect(await callError('improvementPlan.create', { teamName: ' ', area: 'x' })).toMatchObject({ code: 'invalid_input', path: '/teamName' });
    expect(await callError('improvementPlan.create', { sessionId: 'nope', teamName: 'Red', area: 'x' })).toMatchObject({ code: 'not_found', path: '/sessionId' });
    expect(await callError('improvementPlan.update', { id: 'nope', status: 'closed' })).toMatchObject({ code: 'not_found', path: '/id' });
    expect(await callError('improvementPlan.update', { id: 'x', status: 'done' })).toMatchObject({ code: 'invalid_input', path: '/status' });
  });

  it('gives trends for a scenario and for a team', async () => {
    const byScenario = await call('trends.get', { scenarioId: 'engine-test' });
    expect(byScenario.sessions.map((s: any) => s.sessionId)).toEqual([sessionId]);
    const detect = byScenario.series.find((s: any) => s.metric === 'contain' && s.teamName === 'Blue');
    expect(detect.points).toEqual([{ sessionId, timestamp: expect.any(Number), scenarioMs: 11 * MIN, wallMs: 11 * MIN }]);
    const byTeam = await call('trends.get', { teamName: 'red' });
    expect(byTeam.sessions[0].teams.map((t: any) => t.teamName)).toEqual(['Red']);
    expect(byTeam.improvementPlan).toMatchObject({ open: 1, closedCount: 1 });
    expect((await call('trends.get', { scenarioId: 'other' })).sessions).toEqual([]);
  });
});

describe('reports.whatIf through the contract', () => {
  it('replays another option without writing to the session log, the same way each time', async () => {
    const before = await call('sessions.get', { sessionId });
    const request = { sessionId, teamId: 'team-1', decisionId: 'd1', visit: 1, optionId: 'wait' };
    const first = await call('reports.whatIf', request);
    expect(first).toMatchObject({ teamId: 'team-1', decisionId: 'd1', alternativeOption: expect.any(String) });
    expect(first.alternativeOption).not.toBe(first.actualOption);
    expect(await call('reports.whatIf', request)).toEqual(first);
    await call('reports.aar', { sessionId, alternatives: [{ teamId: 'team-1', decisionId: 'd1', visit: 1, optionId: 'wait' }] });
    // Listed in the report with what the replay assumed, so its columns are not read as like for like.
    for (const format of ['md', 'html']) {
      const file = await call('reports.export', { sessionId, format, pseudonymise: false, alternatives: [{ teamId: 'team-1', decisionId: 'd1', visit: 1, optionId: 'wait' }] });
      expect(file.content).toContain('Alternatives discussed');
      expect(file.content).toContain('What the facilitator did by hand (milestones marked, contingencies fired) is not replayed.');
    }
    const after = await call('sessions.get', { sessionId });
    expect(after.lastHash).toBe(before.lastHash);
    expect(after).toEqual(before);
    expect(await callError('reports.whatIf', { ...request, optionId: 'now' })).toMatchObject({ code: 'invalid_input', path: '/optionId' });
  });

  it('keeps the alternatives listed for the report in the data folder, never in the log, and every report lists them', async () => {
    const before = await call('sessions.get', { sessionId });
    const replay = { teamId: 'team-1', decisionId: 'd1', visit: 1, optionId: 'wait' };
    expect(await call('reports.alternatives', { sessionId })).toEqual({ alternatives: [] });
    expect((await call('reports.export', { sessionId, format: 'md', pseudonymise: false })).content).not.toContain('Alternatives discussed');

    expect(await call('reports.listAlternative', { sessionId, ...replay, listed: true })).toEqual({ alternatives: [replay] });
    // Listing twice keeps one; a replay the session cannot have is refused at its field and not stored.
    expect(await call('reports.listAlternative', { sessionId, ...replay, listed: true })).toEqual({ alternatives: [replay] });
    expect(await callError('reports.listAlternative', { sessionId, ...replay, optionId: 'now', listed: true })).toMatchObject({ code: 'invalid_input', path: '/optionId' });
    expect(await callError('reports.listAlternative', { sessionId: 'nope', ...replay, listed: true })).toMatchObject({ code: 'not_found', path: '/sessionId' });
    expect(await call('reports.alternatives', { sessionId })).toEqual({ alternatives: [replay] });

    // The report screen's model and the exports list it without being told.
    expect((await call('reports.aar', { sessionId })).alternatives).toHaveLength(1);
    for (const format of ['md', 'html']) expect((await call('reports.export', { sessionId, format, pseudonymise: false })).content).toContain('Alternatives discussed');
    // An explicit list still wins (an empty one lists none).
    expect((await call('reports.aar', { sessionId, alternatives: [] })).alternatives).toEqual([]);

    // At most ten: the eleventh is refused and the list stays as it was (visits stand in for ten distinct replays here).
    const store = services.store;
    for (let visit = 2; visit <= 10; visit++) setAlternative(store, sessionId, { ...replay, visit }, true, 1, () => {});
    expect(storedAlternatives(store, sessionId)).toHaveLength(10);
    expect(() => setAlternative(store, sessionId, { ...replay, visit: 11 }, true, 1, () => {})).toThrow(/at most 10 alternatives/);
    expect(storedAlternatives(store, sessionId)).toHaveLength(10);
    for (let visit = 2; visit <= 10; visit++) setAlternative(store, sessionId, { ...replay, visit }, false, 1, () => {});

    expect(await call('reports.listAlternative', { sessionId, ...replay, listed: false })).toEqual({ alternatives: [] });
    expect((await call('reports.aar', { sessionId })).alternatives).toEqual([]);
    expect(await call('sessions.get', { sessionId })).toEqual(before);
  });
});
