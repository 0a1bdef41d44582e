/**
 * Evidence types as the renderer receives them: derived from the contract's
 * `library.get` result (the renderer may import types from src-main/api only).
 */
import type { ResultOf } from '../../../../src-main/api/contract.ts';

export type Evidence = ResultOf<'library.get'>['evidence'][number];
export type EvidenceKind = Evidence['kind'];
/** The evidence item of one kind, e.g. `EvidenceOf<'cloudtrail'>`. */
export type EvidenceOf<K extends EvidenceKind> = Extract<Evidence, { kind: K }>;
export type CloudTrailRecord = EvidenceOf<'cloudtrail'>['records'][number];
export type GuardDutyFinding = EvidenceOf<'guardduty'>['finding'];

/** Turns a bundled asset path into a URL the window may load, or undefined while assets are not served. */
export type AssetResolver = (asset: string) => string | undefined;

export const KIND_LABELS: Record<EvidenceKind, string> = {
  cloudtrail: 'CloudTrail',
  guardduty: 'GuardDuty finding',
  securityhub: 'Security Hub findings',
  'vpc-flow-logs': 'VPC Flow Logs',
  log: 'Log',
  email: 'Email',
  chat: 'Chat',
  ticket: 'Ticket',
  alert: 'Alert',
  table: 'Table',
  image: 'Image',
  note: 'Note',
};
