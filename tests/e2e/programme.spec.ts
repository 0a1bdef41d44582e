import { readFileSync } from 'node:fs';
import type { Download } from '@playwright/test';
import type { ScenarioInput } from '../../src-main/core/scenario/schema.ts';
import { expect, test } from './fixtures.ts';
import { call, seriousA11yViolations, watchCsp } from './support.ts';

/**
 * The programme view over sessions recorded through the real contract: a
 * critical scenario tagged with framework families (format 1.1) is imported
 * and run for two teams, another is only in the library, a third session is
 * set up but never started. The screen, reached from the sessions list,
 * shows what each team exercised and how it ended, flags what was never
 * exercised, filters from the keyboard, has no serious accessibility
 * problem, and its CSV, JSON and ATT&CK Navigator downloads say the same.
 */

function tagged(): ScenarioInput {
  const s = JSON.parse(readFileSync('scenarios/sample-leaked-key.json', 'utf8')) as ScenarioInput & { meta: { critical?: boolean } };
  s.formatVersion = 1.1;
  s.meta.id = 'programme-leaked-key';
  s.meta.title = 'Leaked key (programme drill)';
  s.meta.critical = true;
  s.meta.tags = [...(s.meta.tags ?? []), 'playbook:IRP-CredCompromise', 'csf:RS.MA'];
  for (const node of s.timeline) {
    if (node.type === 'inject' && node.id === 'i-guardduty') node.tags = [...(node.tags ?? []), 'attack:T1078.004', 'attack:T1496.001'];
    if (node.type === 'decision' && node.id === 'd-contain') {
      const deactivate = node.options.find((o) => o.id === 'deactivate')!;
      deactivate.tags = [...(deactivate.tags ?? []), 'csf:RS.MI'];
    }
  }
  return s;
}

function libraryOnly(): ScenarioInput {
  const s = JSON.parse(readFileSync('scenarios/sample-leaked-key.json', 'utf8')) as ScenarioInput;
  s.formatVersion = 1.1;
  s.meta.id = 'programme-ransomware';
  s.meta.title = 'Ransomware (never run)';
  s.meta.tags = ['playbook:IRP-Ransomware', 'attack:T1486'];
  return s;
}

async function downloadedText(download: Download): Promise<string> {
  return readFileSync(await download.path(), 'utf8');
}

test('the programme view shows what recorded sessions exercised, and exports it', async ({ page, host }) => {
  test.setTimeout(180_000);
  const cspViolations = await watchCsp(page);

  for (const scenario of [tagged(), libraryOnly()]) {
    const imported = await call(host, 'library.import', { text: JSON.stringify(scenario) });
    expect(imported.ok).toBe(true);
  }

  // ---------------------------------------------------------------- one exercise, two teams, through the contract
  const session = await call(host, 'sessions.create', {
    scenarioId: 'programme-leaked-key',
    name: 'Programme drill',
    facilitator: 'Fran Facilitator',
    teams: [{ name: 'Blue team' }, { name: 'Red team' }],
    speed: 0,
    seed: 'programme-e2e',
  });
  const sessionId = session.id;
  await call(host, 'sessions.start', { sessionId });
  await call(host, 'sessions.advance', { sessionId });
  await call(host, 'sessions.advance', { sessionId }); // the containment decision opens for both teams
  await call(host, 'sessions.recordDecision', { sessionId, teamId: 'team-1', decisionId: 'd-contain', optionId: 'deactivate', rationale: 'Reversible', decidedBy: 'Alice' });
  await call(host, 'sessions.recordDecision', { sessionId, teamId: 'team-2', decisionId: 'd-contain', optionId: 'wait', rationale: 'More evidence', decidedBy: 'Bob' });
  for (let i = 0; i < 6; i++) {
    const state = await call(host, 'sessions.get', { sessionId });
    const open = state.teams.filter((t) => t.openDecision?.id === 'd-recover' && !t.ended);
    if (open.length === 2) break;
    await call(host, 'sessions.advance', { sessionId });
  }
  await call(host, 'sessions.recordDecision', { sessionId, teamId: 'team-1', decisionId: 'd-recover', optionId: 'federate', decidedBy: 'Alice' });
  await call(host, 'sessions.recordDecision', { sessionId, teamId: 'team-2', decisionId: 'd-recover', optionId: 'detach', decidedBy: 'Bob' });
  await call(host, 'sessions.end', { sessionId, reason: 'Drill over' });
  // Set up, never started: it exercises nothing.
  await call(host, 'sessions.create', { scenarioId: 'programme-leaked-key', name: 'Not yet run', facilitator: 'Fran', teams: [{ name: 'Green team' }], speed: 0 });

  const model = await call(host, 'reports.programme', {});
  expect(model.sessionsStarted).toBe(1);
  const byKey = new Map(model.items.map((i) => [i.key, i]));
  expect(byKey.get('csf:RS.MI')).toMatchObject({ status: 'current', critical: true, cadenceDays: 182 });
  expect(byKey.get('csf:RS.MI')!.teams.map((t) => t.teamName)).toEqual(['Blue team']);
  expect(byKey.get('playbook:IRP-Ransomware')).toMatchObject({ status: 'never', teams: [] });

  // ---------------------------------------------------------------- the screen, from the sessions list
  await page.goto(host.url);
  // A critical scenario says so on its library card.
  const ransomwareCard = page.getByTestId('scenario-card').filter({ hasText: 'ransomware and the backups that were not there' });
  await expect(ransomwareCard.getByTestId('critical')).toHaveText(/Critical: twice a year/);
  await expect(page.getByTestId('scenario-card').filter({ hasText: 'Warm-up: a leaked access key' }).getByTestId('critical')).toHaveCount(0);
  await page.getByTestId('programme-link').click();
  await expect(page).toHaveURL(/#\/programme$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Programme coverage' })).toBeVisible();
  await expect(page.getByTestId('programme-summary')).toContainText('from 1 session');

  const rsmi = page.getByTestId('programme-csf').locator('tr[data-item="csf:RS.MI"]');
  await expect(rsmi).toHaveAttribute('data-status', 'current');
  await expect(rsmi).toContainText('RS.MI Respond: Incident Mitigation');
  await expect(rsmi).toContainText('Blue team: a good outcome');
  await expect(rsmi).not.toContainText('Red team');
  await expect(rsmi).toContainText('Critical');
  await expect(rsmi.getByRole('link', { name: 'Programme drill' })).toHaveAttribute('href', `#/debrief/${sessionId}`);
  const technique = page.getByTestId('programme-attack').locator('tr[data-item="attack:T1078.004"]');
  await expect(technique).toContainText('Valid Accounts: Cloud Accounts');
  await expect(technique).toContainText('Red team: a poor outcome');
  const ransomware = page.getByTestId('programme-playbook').locator('tr[data-item="playbook:IRP-Ransomware"]');
  await expect(ransomware).toHaveAttribute('data-status', 'never');
  await expect(ransomware).toContainText('Never exercised');

  expect(await seriousA11yViolations(page)).toEqual([]);

  // ---------------------------------------------------------------- filtering from the keyboard: ATT&CK only, never exercised
  for (const family of [
    'Well-Architected security best practices',
    'Security design principles',
    'Shared responsibility',
    'Incident-response phases',
    'AWS incident-response playbooks',
    'NIST CSF 2.0 categories',
  ]) {
    const box = page.getByRole('checkbox', { name: family });
    await box.focus();
    await page.keyboard.press('Space');
    await expect(box).not.toBeChecked();
  }
  // No family at all is said, not read as "every family".
  const attackBox = page.getByRole('checkbox', { name: 'MITRE ATT&CK techniques (cloud)' });
  await attackBox.uncheck();
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page.getByRole('alert')).toHaveText('Choose at least one family.');
  await attackBox.check();
  await page.getByTestId('programme-status').focus();
  await page.getByTestId('programme-status').selectOption('never');
  await page.getByRole('button', { name: 'Show' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('programme-csf')).toHaveCount(0);
  const rows = page.getByTestId('programme-attack').locator('tbody tr');
  await expect(rows.first()).toHaveAttribute('data-status', 'never');
  const shown = await rows.evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-item'), tr.getAttribute('data-status')]));
  // Every technique the library declares and no session exercised (the built-in scenarios' too), and none that was.
  expect(shown.map(([key]) => key)).toContain('attack:T1486');
  expect(shown.map(([key]) => key)).not.toContain('attack:T1078.004');
  expect(new Set(shown.map(([, status]) => status))).toEqual(new Set(['never']));

  // ---------------------------------------------------------------- downloads (everything again)
  await page.getByTestId('programme-status').selectOption('');
  for (const box of await page.getByRole('checkbox').all()) await box.check();
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page.getByTestId('programme-csf')).toBeVisible();

  const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'CSV', exact: true }).click()]);
  expect(csvDownload.suggestedFilename()).toMatch(/^programme-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = await downloadedText(csvDownload);
  expect(csv.split('\r\n')[0]).toBe('\ufeffFamily,Item,Name,Status,Last exercised,Session,Teams,Outcomes,Sessions,Cadence (days),Due,Critical,Declared by');
  expect(csv).toMatch(/NIST CSF 2\.0 categories,RS\.MI,Respond: Incident Mitigation,Current,\d{4}-\d{2}-\d{2},Programme drill,Blue team,/);
  expect(csv).toContain('AWS incident-response playbooks,IRP-Ransomware,Ransomware,Never exercised');

  const [jsonDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'JSON', exact: true }).click()]);
  const json = JSON.parse(await downloadedText(jsonDownload)) as { kind: string; items: Array<{ key: string; status: string }> };
  expect(json.kind).toBe('sandtable.programme');
  expect(json.items.find((i) => i.key === 'csf:RS.MI')?.status).toBe('current');

  const [layerDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'ATT&CK Navigator layer' }).click()]);
  const layer = JSON.parse(await downloadedText(layerDownload)) as {
    domain: string;
    versions: { layer: string; attack: string };
    techniques: Array<{ techniqueID: string; score: number; comment: string }>;
  };
  expect(layer).toMatchObject({ domain: 'enterprise-attack', versions: { layer: '4.5', attack: '18' } });
  expect(layer.techniques.map((t) => t.techniqueID).sort()).toEqual(['T1078.004', 'T1496.001']);
  expect(layer.techniques[0]!.score).toBe(1);
  expect(layer.techniques[0]!.comment).toContain('Blue team');
  await expect(page.getByTestId('programme-export-status')).toContainText('attack-navigator-layer-');

  expect(await cspViolations()).toEqual([]);
});
