/**
 * Real AWS records, exactly as AWS documents and publishes them
 * (tests/fixtures/real-records/README.md names every source), are accepted
 * as scenario evidence; wrong ones are refused with messages that name the
 * field at fault.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenarioText, type ValidationResult } from '../../src-main/core/scenario/validate.ts';
import { sample, type Json } from '../fixtures/scenarios/build.ts';

const DIR = join(import.meta.dirname, '../fixtures/real-records');
const files = (kind: string) =>
  readdirSync(join(DIR, kind))
    .filter((f) => f.endsWith('.json'))
    .sort();
const read = (kind: string, file: string): Record<string, unknown> => JSON.parse(readFileSync(join(DIR, kind, file), 'utf8')) as Record<string, unknown>;

/** The sample scenario with `items` added to its evidence, validated through its JSON text. */
function withEvidence(...items: Json[]): ValidationResult {
  const scenario = sample() as { evidence: Json[] };
  scenario.evidence.push(...items);
  return parseScenarioText(JSON.stringify(scenario));
}

function ok(result: ValidationResult): void {
  expect(result.ok ? [] : result.errors).toEqual([]);
}

/** The messages at pointer `pointer`, which must exist. */
function at(result: ValidationResult, pointer: string): string[] {
  const errors = result.ok ? [] : result.errors;
  const messages = errors.filter((e) => e.pointer === pointer).map((e) => e.message);
  expect(messages, `no error at ${pointer}; got ${JSON.stringify(errors, null, 1)}`).not.toEqual([]);
  return messages;
}

const evidencePointer = (sub: string) => `/evidence/6${sub}`;

/** CloudTrail records of a published example: a log file ({ Records }), a lookup result ({ Events }) or one record. */
function cloudTrailRecords(value: Record<string, unknown>): Json[] {
  if (Array.isArray(value.Records)) return value.Records;
  if (Array.isArray(value.Events)) return value.Events;
  return [value as Json];
}

describe('CloudTrail records as AWS documents them', () => {
  const corpus = files('cloudtrail');
  it('has the documented examples', () => expect(corpus.length).toBeGreaterThanOrEqual(15));

  for (const file of corpus) {
    it(`accepts ${file}`, () => {
      ok(withEvidence({ id: 'ev-real', caption: file, kind: 'cloudtrail', records: cloudTrailRecords(read('cloudtrail', file)) }));
    });
  }

  const records = corpus.flatMap((f) => cloudTrailRecords(read('cloudtrail', f))) as Array<Record<string, unknown>>;
  it('covers an empty sourceIPAddress, a failed sign-in and Insights events', () => {
    expect(records.some((r) => r.sourceIPAddress === '')).toBe(true);
    expect(records.some((r) => r.errorMessage === 'Failed authentication' && (r.responseElements as Record<string, unknown> | null)?.ConsoleLogin === 'Failure')).toBe(true);
    expect(records.some((r) => r.eventType === 'AwsCloudTrailInsight' && r.userIdentity === undefined)).toBe(true);
  });

  const apiCall = () => structuredClone(cloudTrailRecords(read('cloudtrail', 's3-entries-01.json'))[1]) as Record<string, Json>;
  const insight = () => structuredClone(cloudTrailRecords(read('cloudtrail', 'event-reference-02.json'))[0]) as Record<string, Json>;

  it('still requires the fields a responder reads, naming each', () => {
    const record = apiCall();
    delete record.userIdentity;
    delete record.eventName;
    const result = withEvidence({ id: 'ev-real', caption: 'c', kind: 'cloudtrail', records: [record] });
    expect(at(result, evidencePointer('/records/0/userIdentity'))[0]).toMatch(/is required.*Insights event/);
    expect(at(result, evidencePointer('/records/0/eventName'))[0]).toMatch(/is required/);
  });

  it('refuses an Insights event without insightDetails, and a bad insight state', () => {
    const missing = insight();
    delete missing.insightDetails;
    expect(at(withEvidence({ id: 'ev-real', caption: 'c', kind: 'cloudtrail', records: [missing] }), evidencePointer('/records/0/insightDetails'))[0]).toMatch(/Insights event/);
    const bad = insight();
    (bad.insightDetails as Record<string, Json>).state = 'Begin';
    expect(at(withEvidence({ id: 'ev-real', caption: 'c', kind: 'cloudtrail', records: [bad] }), evidencePointer('/records/0/insightDetails/state'))[0]).toMatch(/"Start", "End"/);
  });

  it('refuses a sourceIPAddress that is not a string', () => {
    const record = apiCall();
    record.sourceIPAddress = null;
    expect(at(withEvidence({ id: 'ev-real', caption: 'c', kind: 'cloudtrail', records: [record] }), evidencePointer('/records/0/sourceIPAddress'))[0]).toMatch(/string/);
  });
});

/** A GuardDuty finding of a published sample: the finding itself, or an EventBridge event's detail. */
function guardDutyFinding(value: Record<string, unknown>): Json {
  return (value['detail-type'] !== undefined || (value.detail && !value.type) ? value.detail : value) as Json;
}

describe('GuardDuty findings as published', () => {
  const corpus = files('guardduty');
  for (const file of corpus) {
    it(`accepts ${file} (service.eventFirstSeen/eventLastSeen, no top-level firstSeen)`, () => {
      const finding = guardDutyFinding(read('guardduty', file)) as Record<string, unknown>;
      expect(finding.firstSeen).toBeUndefined();
      ok(withEvidence({ id: 'ev-real', caption: file, kind: 'guardduty', finding }));
    });
  }

  const published = () => structuredClone(guardDutyFinding(read('guardduty', 'automated-response-sample-ec2.json'))) as Record<string, Json>;

  it('accepts finding types with & and ! (Backdoor:EC2/C&CActivity.B!DNS, from the GuardDuty EC2 finding types)', () => {
    for (const type of [
      'Backdoor:EC2/C&CActivity.B!DNS',
      'CryptoCurrency:EC2/BitcoinTool.B!DNS',
      'Trojan:EC2/DriveBySourceTraffic!DNS',
      'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS',
    ]) {
      ok(withEvidence({ id: 'ev-real', caption: 'c', kind: 'guardduty', finding: { ...published(), type } }));
    }
  });

  it('refuses a malformed type with a message that shows the form', () => {
    const result = withEvidence({ id: 'ev-real', caption: 'c', kind: 'guardduty', finding: { ...published(), type: 'Backdoor EC2 C&C' } });
    expect(at(result, evidencePointer('/finding/type'))[0]).toContain('Backdoor:EC2/C&CActivity.B!DNS');
  });

  it('requires when the activity was seen, naming service.eventFirstSeen', () => {
    const finding = published();
    delete (finding.service as Record<string, Json>).eventFirstSeen;
    const result = withEvidence({ id: 'ev-real', caption: 'c', kind: 'guardduty', finding });
    expect(at(result, evidencePointer('/finding/service/eventFirstSeen'))[0]).toMatch(/first seen/);
  });

  it('still accepts the format 1.0 form (top-level firstSeen/lastSeen)', () => {
    const finding = published();
    delete finding.service;
    ok(withEvidence({ id: 'ev-real', caption: 'c', kind: 'guardduty', finding: { ...finding, firstSeen: '2024-05-14T09:00:00Z', lastSeen: '2024-05-14T09:30:00Z', count: 3 } }));
  });

  it('refuses an account id that is not 12 digits', () => {
    const result = withEvidence({ id: 'ev-real', caption: 'c', kind: 'guardduty', finding: { ...published(), accountId: '1234567891234' } });
    expect(at(result, evidencePointer('/finding/accountId'))[0]).toMatch(/12-digit/);
  });
});

/** Security Hub findings of a published sample: one ASFF finding, or an EventBridge event's detail.findings. */
function securityHubFindings(value: Record<string, unknown>): Json[] {
  const detail = value.detail as { findings?: Json[] } | undefined;
  return detail?.findings ?? [value as Json];
}

describe('Security Hub findings (ASFF) as published', () => {
  const corpus = files('securityhub');
  for (const file of corpus) {
    it(`accepts ${file}`, () => {
      ok(withEvidence({ id: 'ev-real', caption: file, kind: 'securityhub', findings: securityHubFindings(read('securityhub', file)) }));
    });
  }

  const published = () => structuredClone(securityHubFindings(read('securityhub', 'sample-control-findings-01.json'))[0]) as Record<string, Json>;

  it('refuses missing required attributes and a wrong type namespace, naming each', () => {
    const finding = published();
    delete finding.Resources;
    finding.Types = ['Misconfiguration/S3'];
    (finding.Severity as Record<string, Json>).Label = 'SEVERE';
    const result = withEvidence({ id: 'ev-real', caption: 'c', kind: 'securityhub', findings: [finding] });
    expect(at(result, evidencePointer('/findings/0/Resources'))[0]).toMatch(/required/);
    expect(at(result, evidencePointer('/findings/0/Types/0'))[0]).toMatch(/namespace/);
    expect(at(result, evidencePointer('/findings/0/Severity/Label'))[0]).toMatch(/CRITICAL/);
  });
});

describe('VPC Flow Logs records as the VPC user guide shows them', () => {
  const { examples } = read('vpc-flow-logs', 'flow-logs-records-examples.json') as { examples: Array<{ fields?: string[]; records: string[] }> };
  it('has the documented examples', () => expect(examples.length).toBeGreaterThanOrEqual(10));
  examples.forEach((example, i) => {
    it(`accepts example ${i + 1} (${example.fields ? `${example.fields.length} custom fields` : 'default format'})`, () => {
      ok(withEvidence({ id: 'ev-real', caption: 'flows', kind: 'vpc-flow-logs', ...example }));
    });
  });

  it('names the field and the record at fault', () => {
    const result = withEvidence({
      id: 'ev-real',
      caption: 'flows',
      kind: 'vpc-flow-logs',
      records: [
        '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 tcp 20 4249 1418530010 1418530070 ACCEPT OK',
        '2 123456789010 eni-1235b8ca123456789 172.31.16.139',
      ],
    });
    expect(at(result, evidencePointer('/records/0'))[0]).toMatch(/field 8, "protocol", is "tcp".*IANA protocol number/);
    expect(at(result, evidencePointer('/records/1'))[0]).toMatch(/has 4 values, but the record format has 14 fields/);
  });

  it('refuses an unknown field name', () => {
    const result = withEvidence({ id: 'ev-real', caption: 'flows', kind: 'vpc-flow-logs', fields: ['version', 'src-addr'], records: ['2 10.0.0.1'] });
    expect(at(result, evidencePointer('/fields/1'))[0]).toMatch(/"src-addr" is not a flow log field/);
  });
});

describe('text evidence', () => {
  it('refuses an empty body where the format requires one', () => {
    const email = { id: 'ev-real', caption: 'c', kind: 'email', from: 'a@example.com', to: ['b@example.com'], subject: 's', sent: 'now', body: '' };
    expect(at(withEvidence(email), evidencePointer('/body'))[0]).toBe('must not be empty');
    expect(at(withEvidence({ id: 'ev-real', caption: 'c', kind: 'note', body: '' }), evidencePointer('/body'))[0]).toBe('must not be empty');
    expect(at(withEvidence({ id: 'ev-real', caption: 'c', kind: 'ticket', key: 'K-1', title: 't', status: 'open', body: '' }), evidencePointer('/body'))[0]).toBe(
      'must not be empty',
    );
    expect(at(withEvidence({ id: 'ev-real', caption: 'c', kind: 'alert', source: 's', severity: 'low', title: 't', body: '' }), evidencePointer('/body'))[0]).toBe(
      'must not be empty',
    );
  });

  it('keeps log lines to 4,000 characters', () => {
    ok(withEvidence({ id: 'ev-real', caption: 'c', kind: 'log', lines: ['x'.repeat(4_000)] }));
    expect(at(withEvidence({ id: 'ev-real', caption: 'c', kind: 'log', lines: ['x'.repeat(4_001)] }), evidencePointer('/lines/0'))[0]).toBe(
      'must be at most 4000 characters long (it has 4001)',
    );
  });
});
