/**
 * Every answer a method gives must be what its result schema says. dispatch
 * checks each answer in tests and development (`checksResults`), so this
 * file drives a real service through dispatch over a whole exercise and
 * every call below is an answer parsed against its schema; a method whose
 * answer left its contract, or a method with no real answer checked here or
 * named as answered in another test, fails it.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METHOD_NAMES, methods, type MethodName } from '../../src-main/api/contract.ts';
import { checksResults, dispatch, resultProblem } from '../../src-main/app/dispatch.ts';
import { Services, type Grant } from '../../src-main/app/services.ts';
import { Store } from '../../src-main/store/store.ts';
import { FakeClock } from '../helpers/fake-clock.ts';
import { engineTestScenarioInput } from '../helpers/scenario.ts';
import { tempDir } from '../helpers/tmp.ts';

const MIN = 60_000;
const facilitator: Grant = { role: 'facilitator' };
const answered = new Set<MethodName>();
let services: Services;
let clock: FakeClock;
const t = tempDir();

/**
 * Methods whose real answers are checked in other tests that run through
 * dispatch with the same check (and why not here). Nothing else may be missing.
 */
const ANSWERED_ELSEWHERE: Partial<Record<MethodName, string>> = {
  'reports.savePdf': 'needs Electron (tests/electron)',
  'library.asset': 'needs a scenario with images (tests/integration/import-files, e2e)',
  'presenter.asset': 'needs a scenario with images (e2e room spec)',
  'participant.asset': 'needs a scenario with images (lan-listener test)',
  'participation.listen': 'binds a LAN address (lan-listener test)',
  'participation.stop': 'follows participation.listen (lan-listener test)',
  'participation.listener': 'answered with a listener (lan-listener test)',
  'library.importFiles': 'import-files test',
  'library.importBundle': 'scenario-library test',
  'sessionBundle.import': 'bundles-session test',
  'participant.view': 'participant grant (lan-listener test, e2e participants)',
  'participant.vote': 'participant grant (lan-listener test, e2e participants)',
  'participant.ask': 'participant grant (lan-listener test, e2e participants)',
  'participant.feedback': 'participant grant (lan-listener test, e2e participants)',
  'presenter.joinCard': 'needs an open listener (e2e participants)',
  'sessions.removeParticipant': 'needs a joined participant (lan-listener test, e2e participants)',
  'sessions.openPresenter': 'needs a host that opens presenter windows (web-host test, e2e room)',
  'sessions.heldEvidence': 'needs a format-1.1 scenario with evidence on request (present test)',
  'sessions.revealEvidence': 'needs a format-1.1 scenario with evidence on request (present test)',
  'participant.requestEvidence': 'participant grant and evidence on request (present test, e2e present)',
  'reports.programme': 'programme-contract test',
  'reports.programmeExport': 'programme-contract test',
  'exports.download': 'needs a host that streams files (download-stream test through the web host, e2e debrief and interop)',
};

async function call(method: MethodName, input: unknown, grant: Grant = facilitator): Promise<any> {
  const response = await dispatch(services, method, input, grant);
  if (!response.ok) throw new Error(`${method}: ${response.error.code} ${response.error.message}`);
  answered.add(method);
  return response.result;
}

beforeAll(() => {
  const scenariosDir = join(t.dir, 'scenarios');
  mkdirSync(scenariosDir);
  writeFileSync(join(scenariosDir, 'engine-test.json'), JSON.stringify(engineTestScenarioInput()));
  const dataDir = join(t.dir, 'data');
  clock = new FakeClock();
  services = new Services(Store.open({ dataDir }), { name: 'Sandtable', version: 't', host: 'web', dataDir, scenariosDir }, clock);
});

afterAll(() => {
  services.close();
  t.cleanup();
});

describe('every answer is what its result schema says', () => {
  it('is checked in tests and development, and can be turned on or off explicitly', () => {
    expect(checksResults()).toBe(true); // Vitest: NODE_ENV=test
    expect(checksResults({ NODE_ENV: 'production' })).toBe(false);
    expect(checksResults({ NODE_ENV: 'production', SANDTABLE_CHECK_RESULTS: '1' })).toBe(true);
    expect(checksResults({ SANDTABLE_CHECK_RESULTS: '0' })).toBe(false);
    expect(checksResults({})).toBe(true);
  });

  it('names where an answer leaves its contract', () => {
    expect(resultProblem('sessions.list', 'nope')).toMatch(/^: /);
    expect(resultProblem('library.list', { scenarios: [{ id: 7 }], problems: [] })).toMatch(/^\/scenarios\/0\/\w+: /);
  });

  it('holds for a whole exercise: library, setup, the console, the room, participation, the debrief, reports and exports', async () => {
    await call('app.info', {});
    const library = await call('library.list', {});
    expect(library.scenarios.map((s: { id: string }) => s.id)).toContain('engine-test');
    const scenario = await call('library.get', { id: 'engine-test' });
    await call('library.rehearse', { id: 'engine-test' });
    await call('library.import', { fileName: 'copy.json', text: JSON.stringify({ ...scenario, meta: { ...scenario.meta, id: 'copy' } }) });
    await call('library.remove', { id: 'copy' });
    await call('msel.exportScenario', { scenarioId: 'engine-test' });
    await call('msel.previewImport', { csv: 'Time,Title,Narrative\n0,Alert,An alert fires.\n', fileName: 'm.csv' });
    // T3SF's published workbook (msel-real reads it without dispatch, so its answer is checked here).
    await call('msel.previewWorkbook', { base64: readFileSync(join(import.meta.dirname, '../fixtures/msel/t3sf/MSEL.xlsx')).toString('base64'), fileName: 'MSEL.xlsx' });
    await call('scenarioBundle.export', { scenarioId: 'engine-test' });

    const { id: sessionId } = await call('sessions.create', {
      scenarioId: 'engine-test',
      name: 'Drill',
      facilitator: 'Ana',
      teams: [{ name: 'Red' }, { name: 'Blue' }],
      seed: 'fixed',
    });
    await call('sessions.list', {});
    await call('sessions.scenario', { sessionId });
    await call('sessions.start', { sessionId });
    await call('sessions.setSpeed', { sessionId, speed: 2 });
    await call('sessions.setSpeed', { sessionId, speed: 1 });
    await call('sessions.advance', { sessionId });
    clock.advance(5);
    await call('sessions.recordDecision', { sessionId, teamId: 'team-1', decisionId: 'd1', optionId: 'now', rationale: 'Revoke it.', decidedBy: 'Kim' });
    await call('sessions.undo', { sessionId, teamId: 'team-1' });
    await call('sessions.recordDecision', { sessionId, teamId: 'team-1', decisionId: 'd1', optionId: 'now', rationale: 'Revoke it.', decidedBy: 'Kim' });
    await call('sessions.markMilestone', { sessionId, teamId: 'team-2', milestoneId: 'detected' });
    await call('sessions.fireContingency', { sessionId, teamId: 'team-2', contingencyId: 'c1' });
    await call('sessions.addNote', { sessionId, teamId: 'team-2', text: 'Blue hesitated.', objectiveId: 'obj1', rating: 'S' });
    await call('sessions.pause', { sessionId });
    await call('sessions.resume', { sessionId });
    await call('sessions.get', { sessionId });
    await call('sessions.events', { sessionId });

    await call('sessions.room', { sessionId });
    await call('sessions.setRoom', { sessionId, scroll: 0 });
    const presenter: Grant = { role: 'presenter', sessionId };
    await call('presenter.room', { sessionId }, presenter);
    await call('presenter.view', { sessionId, teamId: 'team-1' }, presenter);

    await call('sessions.openParticipation', { sessionId });
    await call('sessions.rotateJoinCode', { sessionId });
    await call('sessions.participation', { sessionId });
    await call('sessions.votes', { sessionId, teamId: 'team-1' });
    await call('sessions.closeParticipation', { sessionId });

    clock.advance(25 * MIN);
    await call('sessions.end', { sessionId, reason: 'Time' });
    await call('debrief.get', { sessionId });
    await call('reports.aar', { sessionId });
    await call('reports.whatIf', { sessionId, teamId: 'team-1', decisionId: 'd1', optionId: 'wait' });
    await call('reports.listAlternative', { sessionId, teamId: 'team-1', decisionId: 'd1', optionId: 'wait', listed: true });
    expect(await call('reports.alternatives', { sessionId })).toBeTruthy();
    for (const format of ['md', 'html', 'csv', 'json'] as const) await call('reports.export', { sessionId, format });
    await call('msel.exportSession', { sessionId });
    await call('sessionBundle.export', { sessionId });
    const item = await call('improvementPlan.create', { sessionId, teamName: 'Red', area: 'Escalation', correctiveAction: 'Write the runbook.' });
    await call('improvementPlan.update', { id: item.id, status: 'in-progress' });
    await call('improvementPlan.list', {});
    await call('improvementPlan.search', { teamName: 'Red' });
    await call('improvementPlan.export', { format: 'csv' });
    await call('trends.get', {});
  });

  it('holds for the studio: drafts, saving, rehearsing, exporting, publishing and versions', async () => {
    const draft = await call('studio.create', { from: 'duplicate', scenarioId: 'engine-test' });
    await call('studio.list', {});
    await call('studio.get', { draftId: draft.draftId });
    const saved = await call('studio.save', { draftId: draft.draftId, revision: draft.revision, document: draft.document });
    expect(saved.revision).toBe(2);
    expect((await call('studio.rehearse', { draftId: draft.draftId, choices: 'random', seed: 's' })).ok).toBe(true);
    await call('studio.export', { draftId: draft.draftId, format: 'json' });
    await call('studio.export', { draftId: draft.draftId, format: 'sandtable' });
    expect((await call('studio.publish', { draftId: draft.draftId })).ok).toBe(true);
    expect((await call('studio.publish', { draftId: draft.draftId })).version).toBe('1.1.0');
    expect((await call('studio.versions', { scenarioId: draft.scenarioId })).versions).toHaveLength(2);
    await call('studio.discard', { draftId: draft.draftId });
  });

  it('leaves no method unchecked: each is answered above or named with the test that answers it', () => {
    const missing = METHOD_NAMES.filter((m) => !answered.has(m) && !(m in ANSWERED_ELSEWHERE));
    expect(missing, 'methods with no real answer checked against their result schema').toEqual([]);
    for (const m of Object.keys(ANSWERED_ELSEWHERE)) expect(methods, m).toHaveProperty([m]);
  });
});
