import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CloudTrailRecord, GuardDutyFinding } from '../../src-main/core/scenario/schema.ts';
import { cloudTrailSummary, guardDutyAction, shortArn } from '../../src-renderer/src/components/evidence/format.ts';

/** Records as the AWS CloudTrail User Guide and the GuardDuty sample findings show them. */
const fixture = (name: string): unknown => JSON.parse(readFileSync(`tests/fixtures/aws/${name}.json`, 'utf8'));
const failedLogin = CloudTrailRecord.parse(fixture('cloudtrail-console-login-failure'));
const runInstances = CloudTrailRecord.parse(fixture('cloudtrail-run-instances'));
const finding = GuardDutyFinding.parse(fixture('guardduty-malicious-ip-caller'));

describe('CloudTrail records for the room', () => {
  it('flags a failed console sign-in that has an errorMessage and ConsoleLogin "Failure" but no errorCode', () => {
    const summary = cloudTrailSummary(failedLogin);
    expect(summary).toMatchObject({
      name: 'ConsoleLogin',
      source: 'signin.amazonaws.com',
      failed: true,
      errorCode: undefined,
      errorMessage: 'Failed authentication',
      identity: { type: 'IAMUser', principal: 'JaneDoe', arn: undefined, issuer: undefined },
      ip: '192.0.2.100',
      region: 'us-east-1',
    });
    // A sign-in that only says "Failure" is still failed.
    const bare = { ...failedLogin, errorMessage: undefined };
    expect(cloudTrailSummary(bare)).toMatchObject({ failed: true, errorMessage: 'ConsoleLogin: Failure' });
    // And a success is not.
    expect(cloudTrailSummary({ ...bare, responseElements: { ConsoleLogin: 'Success' } }).failed).toBe(false);
  });

  it('names a role session by its short ARN and its session issuer', () => {
    const summary = cloudTrailSummary(runInstances);
    expect(summary).toMatchObject({
      time: '2023-05-22 13:23:51Z',
      name: 'RunInstances',
      failed: false,
      identity: {
        type: 'AssumedRole',
        principal: 'assumed-role/RoleToBeAssumed/MySessionName',
        arn: 'arn:aws:sts::123456789012:assumed-role/RoleToBeAssumed/MySessionName',
        issuer: 'role/RoleToBeAssumed',
      },
    });
    expect(cloudTrailSummary({ ...runInstances, errorCode: 'Client.UnauthorizedOperation' })).toMatchObject({ failed: true, errorCode: 'Client.UnauthorizedOperation' });
  });

  it('shortens ARNs and leaves other strings alone', () => {
    expect(shortArn('arn:aws:iam::111122223333:user/Alice')).toBe('user/Alice');
    expect(shortArn('arn:aws:s3:::bucket')).toBe('bucket');
    expect(shortArn('AIDACKCEVSQ6C2EXAMPLE')).toBe('AIDACKCEVSQ6C2EXAMPLE');
  });
});

describe('GuardDuty actions for the room', () => {
  it('says what was called, from where and by whom, and that it was denied', () => {
    expect(guardDutyAction(finding)).toEqual({
      kind: 'API call',
      what: 'GeneratedFindingAPIName on GeneratedFindingAPIServiceName',
      remoteIp: '198.51.100.0',
      organisation: 'GeneratedFindingORG',
      country: 'GeneratedFindingCountryName',
      outcome: 'Denied (AccessDenied)',
      refused: true,
    });
  });

  it('reads network connections, DNS requests and port probes, and findings without an action', () => {
    expect(
      guardDutyAction({
        service: {
          action: {
            actionType: 'NETWORK_CONNECTION',
            networkConnectionAction: {
              blocked: false,
              connectionDirection: 'INBOUND',
              localPortDetails: { port: 22, portName: 'SSH' },
              protocol: 'TCP',
              remoteIpDetails: { ipAddressV4: '203.0.113.9', organization: { asn: '64500', asnOrg: 'EXAMPLE-AS' } },
            },
          },
        },
      }),
    ).toEqual({
      kind: 'Network connection',
      what: 'inbound TCP local port 22',
      remoteIp: '203.0.113.9',
      organisation: 'EXAMPLE-AS (AS64500)',
      country: undefined,
      outcome: 'Not blocked',
      refused: false,
    });
    expect(guardDutyAction({ service: { action: { actionType: 'DNS_REQUEST', dnsRequestAction: { domain: 'pool.example.net', protocol: 'UDP', blocked: true } } } })).toMatchObject(
      {
        kind: 'DNS request',
        what: 'pool.example.net',
        outcome: 'Blocked',
        refused: true,
      },
    );
    expect(
      guardDutyAction({
        service: {
          action: {
            actionType: 'PORT_PROBE',
            portProbeAction: { blocked: false, portProbeDetails: [{ localPortDetails: { port: 3389 }, remoteIpDetails: { ipAddressV4: '198.51.100.5' } }] },
          },
        },
      }),
    ).toMatchObject({ kind: 'Port probe', what: 'port 3389', remoteIp: '198.51.100.5' });
    expect(guardDutyAction({ resource: {} })).toBeNull();
    expect(guardDutyAction({ service: { action: 'nonsense' } })).toBeNull();
  });
});
