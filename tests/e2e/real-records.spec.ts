import { readFileSync } from 'node:fs';
import type { ScenarioInput } from '../../src-main/core/scenario/schema.ts';
import { expect, test } from './fixtures.ts';
import { call, seriousA11yViolations, watchCsp } from './support.ts';

/**
 * Records as AWS publishes them (tests/fixtures/real-records) shown in the
 * scenario preview: a CloudTrail Insights event and a failed sign-in, a
 * GuardDuty finding in its GetFindings shape, Security Hub findings (ASFF)
 * and VPC Flow Logs records.
 */
const fixture = (path: string) => JSON.parse(readFileSync(`tests/fixtures/real-records/${path}`, 'utf8'));

test('published AWS records are shown readably in the preview', async ({ page, host }) => {
  const scenario = JSON.parse(readFileSync('scenarios/sample-leaked-key.json', 'utf8')) as ScenarioInput;
  scenario.meta.id = 'real-records';
  scenario.meta.title = 'Warm-up with published records';
  const insight = fixture('cloudtrail/event-reference-02.json');
  const signIn = fixture('cloudtrail/console-sign-in-03.json');
  const flows = fixture('vpc-flow-logs/flow-logs-records-examples.json').examples;
  scenario.evidence = [
    ...(scenario.evidence ?? []),
    { id: 'ev-insights', kind: 'cloudtrail', caption: 'CloudTrail Insights and a failed sign-in', records: [insight, signIn] },
    { id: 'ev-gd-api', kind: 'guardduty', caption: 'A finding as GetFindings returns it', finding: fixture('guardduty/automated-response-sample-iam.json') },
    {
      id: 'ev-hub',
      kind: 'securityhub',
      caption: 'Security Hub control findings',
      findings: [fixture('securityhub/sample-control-findings-01.json'), fixture('securityhub/sample-control-findings-02.json')],
    },
    { id: 'ev-flows', kind: 'vpc-flow-logs', caption: 'Rejected RDP and accepted SSH', records: [...flows[0].records, ...flows[1].records] },
  ];
  expect(await call(host, 'library.import', { text: JSON.stringify(scenario) })).toMatchObject({ ok: true });

  const violations = await watchCsp(page);
  await page.goto(host.url);
  await page.goto(`${host.origin}/#/scenarios/real-records`);
  await expect(page.getByRole('heading', { level: 1, name: 'Warm-up with published records' })).toBeVisible();

  const trail = page.locator('[data-evidence-id="ev-insights"]');
  await expect(trail.getByTestId('cloudtrail-row')).toHaveCount(2);
  await expect(trail.getByTestId('cloudtrail-row').first()).toContainText('Insights Start: CompleteLifecycleAction (ApiCallRateInsight)');
  await expect(trail.getByTestId('cloudtrail-row').nth(1)).toContainText('Failed authentication');

  const finding = page.locator('[data-evidence-id="ev-gd-api"]').getByTestId('guardduty-card');
  await expect(finding).toContainText('Recon:IAMUser/MaliciousIPCaller.Custom');
  await expect(finding).not.toContainText('undefined');

  const hub = page.locator('[data-evidence-id="ev-hub"]');
  await expect(hub.getByTestId('securityhub-card')).toHaveCount(2);
  await expect(hub.getByTestId('securityhub-card').first()).toContainText('CloudTrail.2 CloudTrail should have encryption at-rest enabled');
  await expect(hub.getByTestId('securityhub-card').first()).toContainText('Medium');

  const flowRows = page.locator('[data-evidence-id="ev-flows"]').getByTestId('flow-log-row');
  await expect(flowRows).toHaveCount(2);
  await expect(flowRows.first()).toContainText('TCP (6)');
  await expect(flowRows.nth(1)).toContainText('REJECT');
  await expect(flowRows.nth(1)).toContainText('2014-12-14 04:06:50Z');

  expect(await seriousA11yViolations(page)).toEqual([]);
  expect(await violations()).toEqual([]);
  await page.screenshot({ path: test.info().outputPath('real-records.png'), fullPage: true });
});
