/**
 * The studio's "paste a record" box: real CloudTrail, GuardDuty and Security
 * Hub JSON as AWS publishes it (tests/fixtures/real-records and
 * tests/fixtures/pasted-records, whose READMEs name every source) becomes one
 * evidence item that a scenario accepts; anything else is refused with a
 * message that says what is wrong and where.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePastedRecord, type PastedRecord } from '../../src-main/api/pasted-record.ts';
import { parseScenarioText } from '../../src-main/core/scenario/validate.ts';
import { sample, type Json } from '../fixtures/scenarios/build.ts';

const FIXTURES = join(import.meta.dirname, '../fixtures');
const text = (path: string) => readFileSync(join(FIXTURES, path), 'utf8');
const files = (folder: string) =>
  readdirSync(join(FIXTURES, folder))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => `${folder}/${f}`);

function accepted(result: PastedRecord): Extract<PastedRecord, { ok: true }> {
  expect(result.ok ? [] : result.errors).toEqual([]);
  return result as Extract<PastedRecord, { ok: true }>;
}

/** The item must be evidence a scenario accepts, as the studio would add it. */
function acceptedInAScenario(evidence: Json): void {
  const scenario = sample();
  scenario.evidence.push(evidence);
  const result = parseScenarioText(JSON.stringify(scenario));
  expect(result.ok ? [] : result.errors).toEqual([]);
}

describe('published records, pasted as they are', () => {
  const corpus = [...files('real-records/cloudtrail'), ...files('real-records/guardduty'), ...files('real-records/securityhub'), ...files('pasted-records')];
  it('has the corpus', () => expect(corpus.length).toBeGreaterThanOrEqual(30));
  for (const file of corpus) {
    it(`reads ${file} as evidence a scenario accepts`, () => {
      const result = accepted(parsePastedRecord(text(file)));
      expect(file).toContain(result.kind === 'cloudtrail' ? 'cloudtrail' : result.kind === 'guardduty' ? 'guardduty' : 'securityhub');
      expect(result.evidence.id).toMatch(/^ev-[a-z]+(-[a-z0-9]+)*$/);
      expect(result.evidence.caption.length).toBeGreaterThan(0);
      acceptedInAScenario(result.evidence);
    });
  }

  it("keeps a CloudTrail log file's records exactly as written, in order, and names what it read", () => {
    const result = accepted(parsePastedRecord(text('real-records/cloudtrail/s3-entries-01.json')));
    const published = JSON.parse(text('real-records/cloudtrail/s3-entries-01.json')) as { Records: Json[] };
    expect(result.evidence).toMatchObject({ kind: 'cloudtrail', records: published.Records });
    expect(JSON.stringify((result.evidence as Json).records)).toBe(JSON.stringify(published.Records));
    expect(result.recognised).toBe('a CloudTrail log file with 3 records');
    expect(result.evidence.caption).toBe('CloudTrail: 3 records (ListBuckets, PutBucketAcl, GetBucketVersioning)');
  });

  it('reads the records out of lookup-events output (CloudTrailEvent is a JSON string)', () => {
    const result = accepted(parsePastedRecord(text('pasted-records/cloudtrail-cli-lookup-events.json')));
    expect(result.recognised).toBe('CloudTrail lookup-events output with 1 event');
    expect((result.evidence as Json).records[0]).toMatchObject({ eventName: 'ConsoleLogin', sourceIPAddress: '72.21.198.70', eventType: 'AwsConsoleSignIn' });
    expect(result.evidence).toMatchObject({ id: 'ev-cloudtrail-consolelogin', caption: 'CloudTrail: ConsoleLogin by my-role' });
  });

  it('captions a failed sign-in and an Insights event for what they are', () => {
    expect(accepted(parsePastedRecord(text('real-records/cloudtrail/console-sign-in-03.json'))).evidence.caption).toMatch(/ConsoleLogin by .* \(failed: Failure\)$/);
    expect(accepted(parsePastedRecord(text('real-records/cloudtrail/log-file-examples-09.json'))).evidence.caption).toMatch(/\(failed: TrailNotFoundException\)$/);
    const insight = accepted(parsePastedRecord(text('real-records/cloudtrail/event-reference-02.json')));
    expect(insight.recognised).toBe('a CloudTrail Insights event');
    expect(insight.evidence.caption).toMatch(/^CloudTrail Insights: unusual \w+ activity/);
  });

  it('writes a GuardDuty finding printed by the AWS CLI with the keys the API and EventBridge use', () => {
    const result = accepted(parsePastedRecord(text('pasted-records/guardduty-cli-get-findings.json')));
    expect(result.recognised).toBe('a GuardDuty get-findings output (AWS CLI) with 1 finding');
    expect(result.evidence).toMatchObject({
      kind: 'guardduty',
      caption: 'GuardDuty: Unusual user permission reconnaissance activity by testuser.',
      finding: {
        type: 'Recon:IAMUser/UserPermissions',
        severity: 5,
        accountId: '111122223333',
        resource: { resourceType: 'AccessKey', accessKeyDetails: { userName: 'testuser' } },
        service: { eventFirstSeen: '2020-05-26T22:02:24Z', count: 5, action: { awsApiCallAction: { remoteIpDetails: { ipAddressV4: '52.94.36.7' } } } },
      },
    });
  });

  it('takes the finding out of an EventBridge event and a GetFindings response', () => {
    const gd = accepted(parsePastedRecord(text('pasted-records/guardduty-eventbridge-assembled.json')));
    expect(gd.recognised).toBe('an EventBridge GuardDuty Finding event');
    expect((gd.evidence as Json).finding).toEqual(JSON.parse(text('real-records/guardduty/automated-response-sample-iam.json')));
    const finding = JSON.parse(text('real-records/guardduty/automated-response-sample-iam.json'));
    expect(accepted(parsePastedRecord(JSON.stringify({ findings: [finding] }))).recognised).toBe('a GuardDuty GetFindings response with 1 finding');
    const sh = accepted(parsePastedRecord(text('pasted-records/securityhub-eventbridge-assembled.json')));
    expect(sh.recognised).toBe('an EventBridge event with 1 Security Hub finding');
    expect(sh.evidence.caption).toBe('Security Hub: CloudTrail.2 CloudTrail should have encryption at-rest enabled');
    const both = [
      JSON.parse(text('real-records/securityhub/sample-control-findings-01.json')),
      JSON.parse(text('real-records/securityhub/sample-control-findings-02.json')),
    ] as Json[];
    expect(accepted(parsePastedRecord(JSON.stringify(both))).evidence).toMatchObject({ kind: 'securityhub', caption: 'Security Hub: 2 findings', findings: both });
  });

  it('uses the id and caption given', () => {
    const result = accepted(parsePastedRecord(text('real-records/cloudtrail/log-file-examples-06.json'), { id: 'ev-new-user', caption: 'A user appears' }));
    expect(result.evidence).toMatchObject({ id: 'ev-new-user', caption: 'A user appears' });
  });
});

describe('what is refused, and how it is said', () => {
  const errors = (input: string, options = {}) => {
    const result = parsePastedRecord(input, options);
    if (result.ok) throw new Error('accepted');
    return result.errors;
  };

  it('nothing, and text that is not JSON', () => {
    expect(errors('   ')[0]!.message).toMatch(/^Nothing was pasted; paste a CloudTrail event/);
    expect(errors('{"eventVersion": "1.08",')[0]!.message).toMatch(/^The text pasted is not JSON that can be read: .*line 1/);
  });

  it('JSON that is no AWS record', () => {
    expect(errors('{"hello": "world"}')).toEqual([
      { pointer: '', message: expect.stringMatching(/^The text pasted is not a record the studio recognises; paste a CloudTrail event .* Security Hub finding in ASFF/) },
    ]);
    expect(errors('42')[0]!.message).toMatch(/^The text pasted is a number, not a record/);
    expect(errors('[]')[0]!.message).toMatch(/^The text pasted is an empty list/);
    expect(errors('{"Records": []}')[0]!.message).toMatch(/CloudTrail log file with 0 records: there is no record to show/);
  });

  it('a record with a field at fault names the field where it is in the text pasted', () => {
    const file = JSON.parse(text('real-records/cloudtrail/s3-entries-01.json')) as { Records: Json[] };
    file.Records[1].eventTime = 'yesterday';
    expect(errors(JSON.stringify(file))).toEqual([
      { pointer: '/Records/1/eventTime', message: 'CloudTrail record 2, /eventTime: eventTime is an ISO 8601 UTC time such as 2024-05-01T12:00:00Z.' },
    ]);
    file.Records[1].eventTime = '2024-05-01T12:00:00Z';
    delete file.Records[1].userIdentity;
    expect(errors(JSON.stringify(file))).toEqual([{ pointer: '/Records/1/userIdentity', message: expect.stringMatching(/^CloudTrail record 2, \/userIdentity: is required/) }]);
    const finding = JSON.parse(text('real-records/guardduty/automated-response-sample-iam.json'));
    finding.accountId = '123';
    expect(errors(JSON.stringify({ 'detail-type': 'GuardDuty Finding', source: 'aws.guardduty', detail: finding }))).toEqual([
      { pointer: '/detail/accountId', message: 'GuardDuty finding, /accountId: accountId is the 12-digit AWS account id, such as 111122223333.' },
    ]);
    const asff = JSON.parse(text('real-records/securityhub/sample-control-findings-01.json'));
    asff.Types = ['Made up/Thing'];
    expect(errors(JSON.stringify({ Findings: [asff] }))[0]).toMatchObject({
      pointer: '/Findings/0/Types/0',
      message: expect.stringMatching(/^Security Hub finding, \/Types\/0: an ASFF type is/),
    });
  });

  it('a record inside a lookup-events string that is not JSON', () => {
    expect(errors('{"Events": [{"EventId": "x", "CloudTrailEvent": "{not json"}]}')[0]).toMatchObject({
      pointer: '/Events/0/CloudTrailEvent',
      message: expect.stringMatching(/is not a CloudTrail record in JSON/),
    });
  });

  it('more than one evidence item can show', () => {
    const finding = JSON.parse(text('real-records/guardduty/automated-response-sample-iam.json'));
    expect(errors(JSON.stringify({ findings: [finding, finding] }))[0]!.message).toMatch(/a GuardDuty evidence item shows one finding: paste one finding at a time/);
    const record = (JSON.parse(text('real-records/cloudtrail/log-file-examples-06.json')) as { Records: Json[] }).Records[0];
    expect(errors(JSON.stringify({ Records: Array.from({ length: 501 }, () => record) }))[0]!.message).toMatch(/shows 500 records at most/);
  });

  it('an id the format does not allow', () => {
    expect(errors(text('real-records/cloudtrail/log-file-examples-06.json'), { id: '1 bad' })[0]!.message).toMatch(/^The evidence item's \/id: An id starts with a letter/);
  });

  it('a paste that tampers with prototypes or is too large', () => {
    expect(errors('{"__proto__": {"eventVersion": "1"}}')[0]!.message).toMatch(/is not allowed anywhere/);
    expect(errors(`{"Records": [], "pad": "${'x'.repeat(2 * 1024 * 1024)}"}`)[0]!.message).toMatch(/larger than the 2 MiB a pasted record may have/);
  });
});
