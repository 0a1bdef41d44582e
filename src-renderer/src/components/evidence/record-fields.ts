/**
 * What the CloudTrail table and the GuardDuty card show of records in every
 * shape the format accepts (a failed console sign-in, whose failure is in
 * responseElements.ConsoleLogin rather than errorCode, included): a CloudTrail Insights event (no eventName,
 * eventSource, sourceIPAddress or userIdentity at the top; they are in
 * insightDetails) and a GuardDuty finding as GetFindings/EventBridge give it
 * (first and last seen in `service`) or in the shorter 1.0 form.
 */
import { stringField } from './format.ts';
import type { CloudTrailRecord, GuardDutyFinding } from './types.ts';

export interface CloudTrailFields {
  eventName: string;
  eventSource: string;
  sourceIPAddress: string;
  /** The userIdentity object, or a stand-in naming an Insights event's kind of caller. */
  userIdentity: unknown;
  /** Why the call or sign-in failed: its errorCode, or "ConsoleLogin: Failure" for a failed console sign-in (which has no errorCode). */
  errorCode: string | undefined;
  errorMessage: string | undefined;
}

/** A failed console sign-in says so in responseElements, not in errorCode. */
function failure(record: CloudTrailRecord): { errorCode: string | undefined; errorMessage: string | undefined } {
  const code = stringField(record, 'errorCode') ?? (stringField(record.responseElements, 'ConsoleLogin') === 'Failure' ? 'ConsoleLogin: Failure' : undefined);
  return { errorCode: code, errorMessage: stringField(record, 'errorMessage') };
}

/** The top-level fields of a record, taken from insightDetails for an Insights event. */
export function cloudTrailFields(record: CloudTrailRecord): CloudTrailFields {
  const insight = record.insightDetails;
  if (insight && record.eventName === undefined) {
    return {
      eventName: `Insights ${insight.state}: ${insight.eventName} (${insight.insightType})`,
      eventSource: insight.eventSource,
      sourceIPAddress: '—',
      userIdentity: { type: 'CloudTrail Insights' },
      ...failure(record),
    };
  }
  return {
    eventName: record.eventName ?? '—',
    eventSource: record.eventSource ?? '—',
    sourceIPAddress: record.sourceIPAddress === undefined || record.sourceIPAddress === '' ? '—' : record.sourceIPAddress,
    userIdentity: record.userIdentity,
    ...failure(record),
  };
}

/** When a finding's activity was first and last seen, and how often. */
export function guardDutySeen(finding: GuardDutyFinding): { firstSeen: string; lastSeen: string; count: number } {
  const service = finding.service;
  return {
    firstSeen: service?.eventFirstSeen ?? finding.firstSeen ?? stringField(finding, 'createdAt') ?? '—',
    lastSeen: service?.eventLastSeen ?? finding.lastSeen ?? stringField(finding, 'updatedAt') ?? '—',
    count: service?.count ?? finding.count ?? 1,
  };
}
