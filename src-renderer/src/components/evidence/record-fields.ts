/**
 * When a GuardDuty finding's activity was seen, in either shape the format
 * accepts: GetFindings/EventBridge/console (first and last seen in `service`)
 * or the shorter 1.0 form (top-level firstSeen/lastSeen).
 */
import { stringField } from './format.ts';
import type { GuardDutyFinding } from './types.ts';

/** When a finding's activity was first and last seen, and how often. */
export function guardDutySeen(finding: GuardDutyFinding): { firstSeen: string; lastSeen: string; count: number } {
  const service = finding.service;
  return {
    firstSeen: service?.eventFirstSeen ?? finding.firstSeen ?? stringField(finding, 'createdAt') ?? '—',
    lastSeen: service?.eventLastSeen ?? finding.lastSeen ?? stringField(finding, 'updatedAt') ?? '—',
    count: service?.count ?? finding.count ?? 1,
  };
}
