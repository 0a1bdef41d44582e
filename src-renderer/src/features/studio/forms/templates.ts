/**
 * New items as the forms add them: each starts with what the format requires
 * filled in with words that say what to write, so that a new item is shown
 * with its fields rather than as a wall of problems.
 */
import { KIND_LABELS, type EvidenceKind } from '../../../components/evidence/types.ts';
import type { DraftEditor } from '../editor.ts';
import { arrayAt, freshId, idsAt, isRecord, nodeChoices } from './model.ts';

/** The kinds of evidence the format knows (the contract's), offered in the words the evidence view heads them with. */
export const EVIDENCE_KINDS = (Object.keys(KIND_LABELS) as EvidenceKind[]).map((value) => ({ value, label: KIND_LABELS[value] }));

/** What each kind of evidence is, for an author choosing one to create (docs/scenario-format.md, "evidence"). */
const KIND_DESCRIPTIONS: Record<EvidenceKind, string> = {
  cloudtrail: 'AWS API calls and sign-ins, as CloudTrail records them',
  guardduty: 'a threat finding as GuardDuty reports it',
  securityhub: 'findings in the AWS Security Finding Format (ASFF)',
  'vpc-flow-logs': 'network flow records of a VPC, field by field',
  log: 'lines of any other log: application, shell history, web server',
  email: 'a message with its sender, recipients and subject',
  chat: 'messages of a chat channel',
  ticket: 'an issue from a service desk or tracker',
  alert: 'a monitoring, AWS Health or cost anomaly alert',
  table: 'rows and columns: query results, an inventory',
  image: 'a diagram or screenshot from the scenario’s folder',
  note: 'free text: a briefing paper, a runbook extract',
};

/** The kinds offered to create new evidence, each saying what it is ("Chat — messages of a chat channel"). */
export const NEW_EVIDENCE_KINDS = EVIDENCE_KINDS.map(({ value, label }) => ({ value, label: `${label} — ${KIND_DESCRIPTIONS[value]}` }));

/** The fields a piece of evidence of this kind needs besides id and caption. */
export function evidenceBody(kind: EvidenceKind): Record<string, unknown> {
  switch (kind) {
    case 'cloudtrail':
      return {
        records: [
          {
            eventVersion: '1.09',
            eventTime: '2026-01-01T00:00:00Z',
            eventSource: 'iam.amazonaws.com',
            eventName: 'ListUsers',
            awsRegion: 'us-east-1',
            sourceIPAddress: '203.0.113.10',
            userIdentity: { type: 'IAMUser', accountId: '111122223333', userName: 'example' },
          },
        ],
      };
    case 'guardduty':
      return {
        finding: {
          schemaVersion: '2.0',
          type: 'UnauthorizedAccess:IAMUser/MaliciousIPCaller',
          severity: 5,
          title: 'API ListUsers was invoked from a known malicious IP address.',
          accountId: '111122223333',
          region: 'us-east-1',
          resource: { resourceType: 'AccessKey' },
          service: { eventFirstSeen: '2026-01-01T00:00:00Z', eventLastSeen: '2026-01-01T00:05:00Z', count: 1 },
        },
      };
    case 'securityhub':
      return {
        findings: [
          {
            SchemaVersion: '2018-10-08',
            Id: 'example-finding-1',
            ProductArn: 'arn:aws:securityhub:us-east-1::product/aws/securityhub',
            GeneratorId: 'example-generator',
            AwsAccountId: '111122223333',
            Types: ['Software and Configuration Checks/Industry and Regulatory Standards'],
            CreatedAt: '2026-01-01T00:00:00.000Z',
            UpdatedAt: '2026-01-01T00:00:00.000Z',
            Severity: { Label: 'MEDIUM' },
            Title: 'Finding title',
            Description: 'What the finding says.',
            Resources: [{ Type: 'AwsAccount', Id: 'AWS::::Account:111122223333' }],
          },
        ],
      };
    case 'vpc-flow-logs':
      return { records: ['2 111122223333 eni-0123456789abcdef0 198.51.100.7 10.0.1.5 44321 22 6 10 840 1767225600 1767225660 REJECT OK'] };
    case 'log':
      return { lines: ['Write the log lines here'] };
    case 'email':
      return { from: 'someone@example.com', to: ['soc@example.com'], subject: 'Subject', sent: 'Monday 09:12', body: 'Write the e-mail here.' };
    case 'chat':
      return { messages: [{ from: 'Name', at: '09:12', text: 'Write the message here.' }] };
    case 'ticket':
      return { key: 'INC-1', title: 'Ticket title', status: 'Open', body: 'Write the ticket here.' };
    case 'alert':
      return { source: 'Monitoring', severity: 'medium', title: 'Alert title', body: 'Write the alert here.' };
    case 'table':
      return { columns: ['Column'], rows: [['Value']] };
    case 'image':
      return { asset: 'assets/image.png', alt: 'Describe the image' };
    case 'note':
      return { body: 'Write the note here.' };
  }
}

export function newEvidence(editor: DraftEditor, kind: EvidenceKind): Record<string, unknown> {
  return { id: freshId(idsAt(editor, '/evidence'), kind.replace(/[^A-Za-z0-9]/g, '-')), kind, caption: KIND_LABELS[kind], ...evidenceBody(kind) };
}

/** Every id the timeline and contingencies use (node ids and contingency ids share one namespace in messages). */
export function takenNodeIds(editor: DraftEditor): string[] {
  return [...idsAt(editor, '/timeline'), ...idsAt(editor, '/contingencies')];
}

/** Some node to point a new `next` at: the first end, else the first node. */
export function someTarget(editor: DraftEditor): string {
  const ends = nodeChoices(editor, 'end');
  return ends[0]?.value ?? nodeChoices(editor)[0]?.value ?? '';
}

export function newOption(editor: DraftEditor, options: readonly unknown[]): Record<string, unknown> {
  const taken = options.filter(isRecord).map((o) => o.id);
  return { id: freshId(taken, `option-${options.length + 1}`), label: 'Describe this option', recommended: false, consequences: {}, tags: [], next: someTarget(editor) };
}

export function newOutcome(editor: DraftEditor, outcomes: readonly unknown[]): Record<string, unknown> {
  const taken = outcomes.filter(isRecord).map((o) => o.id);
  return { id: freshId(taken, `outcome-${outcomes.length + 1}`), label: 'Describe this outcome', weight: 1, consequences: {}, next: someTarget(editor) };
}

export function newEnding(editor: DraftEditor): Record<string, unknown> {
  return { type: 'end', id: freshId(takenNodeIds(editor), 'end'), title: 'Ending', outcome: 'What happened in the end.', result: 'partial' };
}

export function newContingency(editor: DraftEditor): Record<string, unknown> {
  const milestone = arrayAt(editor, '/milestones').filter(isRecord)[0]?.id ?? 'detected';
  return {
    id: freshId(takenNodeIds(editor), 'contingency'),
    when: { notReached: { milestone }, by: 30 },
    title: 'Contingency',
    narrative: 'What the room is told.',
    channel: 'email',
    evidence: [],
    questions: [],
    expectedActions: [],
    tags: [],
  };
}
