/**
 * AWS records as AWS publishes them, as zod schemas for scenario evidence:
 * CloudTrail records (API calls, service events, console sign-ins, failed
 * ones, and Insights events), GuardDuty findings (as GetFindings, EventBridge
 * and the console's JSON give them, and the shorter form of format 1.0),
 * Security Hub findings in the AWS Security Finding Format (ASFF) and VPC Flow
 * Logs records.
 *
 * Each schema requires the fields a responder reads first and checks their
 * form; every other field is kept exactly as written, so a record can be
 * pasted from the console or the API unchanged. Rules that depend on another
 * field (an Insights event has no userIdentity) are refinements whose issues
 * name the field at fault.
 *
 * Sources: CloudTrail record contents (userguide/cloudtrail-event-reference-record-contents),
 * Insights events (cloudtrail-insights-fields-trails), GuardDuty API Finding and Service
 * (APIReference/API_Finding, API_Service), ASFF required attributes (securityhub
 * asff-required-attributes), VPC Flow Logs records (vpc/latest/userguide/flow-log-records).
 */
import { z } from 'zod';
import { splitFlowLogRecord, VPC_FLOW_LOG_DEFAULT_FIELDS } from './flow-log-format.ts';

export { splitFlowLogRecord, VPC_FLOW_LOG_DEFAULT_FIELDS };

const JsonObject = z.record(z.string(), z.unknown());

/** An ISO 8601 time in UTC or with an offset, with optional fractions of a second. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;
const IsoTime = (example: string) => z.string().regex(ISO_TIME, `an ISO 8601 time such as ${example}`);

// ================================================================ CloudTrail

const EVENT_SOURCE = /^[a-z0-9][a-z0-9.-]*\.amazonaws\.com$/;
const EventSource = z.string().regex(EVENT_SOURCE, 'eventSource is the service endpoint, such as iam.amazonaws.com or signin.amazonaws.com.');

/** The `eventType` of a CloudTrail Insights event. */
export const CLOUDTRAIL_INSIGHT_EVENT_TYPE = 'AwsCloudTrailInsight';

/**
 * One CloudTrail record. Management, data and network-activity events need
 * `eventSource`, `eventName`, `sourceIPAddress` (which AWS leaves empty, `""`,
 * for some calls it makes for you) and `userIdentity`; an Insights event
 * (`eventType` "AwsCloudTrailInsight") has none of them and needs
 * `insightDetails` instead.
 */
export const CloudTrailRecord = z
  .looseObject({
    eventVersion: z.string().min(1),
    eventTime: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/, 'eventTime is an ISO 8601 UTC time such as 2024-05-01T12:00:00Z.'),
    awsRegion: z.string().min(1),
    eventType: z.string().min(1).optional(),
    eventCategory: z.string().min(1).optional(),
    eventSource: EventSource.optional(),
    eventName: z.string().min(1).optional(),
    /** May be empty: AWS writes `""` for some calls (e.g. its S3 PutBucketAcl example). */
    sourceIPAddress: z.string().optional(),
    userIdentity: z.looseObject({ type: z.string().min(1).optional() }).optional(),
    errorCode: z.string().optional(),
    errorMessage: z.string().optional(),
    insightDetails: z
      .looseObject({
        state: z.enum(['Start', 'End']),
        eventSource: EventSource,
        eventName: z.string().min(1),
        insightType: z.enum(['ApiCallRateInsight', 'ApiErrorRateInsight']),
        errorCode: z.string().optional(),
        insightContext: JsonObject.optional(),
      })
      .optional(),
  })
  .superRefine((record, ctx) => {
    const insight = record.eventType === CLOUDTRAIL_INSIGHT_EVENT_TYPE;
    if (insight) {
      if (record.insightDetails === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['insightDetails'],
          message: `is required in an Insights event (eventType "${CLOUDTRAIL_INSIGHT_EVENT_TYPE}"): its state, eventSource, eventName and insightType`,
        });
      }
      if (record.eventCategory !== undefined && record.eventCategory !== 'Insight') {
        ctx.addIssue({ code: 'custom', path: ['eventCategory'], message: `must be "Insight" in an Insights event, not ${JSON.stringify(record.eventCategory)}` });
      }
      return;
    }
    if (record.insightDetails !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['eventType'], message: `a record with insightDetails is an Insights event: its eventType is "${CLOUDTRAIL_INSIGHT_EVENT_TYPE}"` });
      return;
    }
    const required: Array<[keyof typeof record, string]> = [
      ['eventSource', 'the service endpoint, such as iam.amazonaws.com'],
      ['eventName', 'the API call or event, such as CreateAccessKey'],
      ['sourceIPAddress', 'a string; "" is allowed, as AWS writes it for some calls'],
      ['userIdentity', 'an object with the caller\'s "type", such as IAMUser, AssumedRole or Root'],
    ];
    for (const [field, what] of required) {
      if (record[field] === undefined) {
        ctx.addIssue({ code: 'custom', path: [field], message: `is required (${what}); only an Insights event (eventType "${CLOUDTRAIL_INSIGHT_EVENT_TYPE}") goes without it` });
      }
    }
    if (record.userIdentity !== undefined && record.userIdentity.type === undefined) {
      ctx.addIssue({ code: 'custom', path: ['userIdentity', 'type'], message: 'is required (the kind of caller, such as IAMUser, AssumedRole, Root or AWSService)' });
    }
  });

// ================================================================ GuardDuty

/**
 * ThreatPurpose:ResourceTypeAffected/ThreatFamilyName.DetectionMechanism!Artifact,
 * e.g. `Backdoor:EC2/C&CActivity.B!DNS` (GuardDuty finding type format).
 */
export const GUARDDUTY_TYPE = /^[A-Za-z0-9]+:[A-Za-z0-9]+\/[A-Za-z0-9.!&_:-]+$/;

/**
 * A GuardDuty finding. The form GetFindings returns, EventBridge carries as
 * an event's `detail` and the console shows as JSON keeps when the activity
 * was seen in `service.eventFirstSeen` / `service.eventLastSeen` (and the
 * count in `service.count`); the shorter form of format 1.0 has top-level
 * `firstSeen` / `lastSeen` / `count`. Either is accepted.
 */
export const GuardDutyFinding = z
  .looseObject({
    schemaVersion: z.string().min(1).optional(),
    id: z.string().min(1).max(300).optional(),
    arn: z.string().min(1).optional(),
    type: z
      .string()
      .max(100)
      .regex(
        GUARDDUTY_TYPE,
        'A GuardDuty finding type is ThreatPurpose:ResourceType/ThreatFamilyName, such as UnauthorizedAccess:IAMUser/MaliciousIPCaller or Backdoor:EC2/C&CActivity.B!DNS.',
      ),
    severity: z.number().min(0).max(10),
    title: z.string().min(1).max(2_000),
    description: z.string().min(1).max(5_000).optional(),
    accountId: z.string().regex(/^\d{12}$/, 'accountId is the 12-digit AWS account id, such as 111122223333.'),
    region: z.string().min(1),
    partition: z.string().min(1).optional(),
    resource: z.looseObject({ resourceType: z.string().min(1).optional() }),
    service: z
      .looseObject({
        eventFirstSeen: IsoTime('2024-05-01T12:00:00Z').optional(),
        eventLastSeen: IsoTime('2024-05-01T12:30:00Z').optional(),
        count: z.number().int().min(1).optional(),
        archived: z.boolean().optional(),
        resourceRole: z.string().min(1).optional(),
      })
      .optional(),
    createdAt: IsoTime('2024-05-01T12:00:00.000Z').optional(),
    updatedAt: IsoTime('2024-05-01T12:30:00.000Z').optional(),
    firstSeen: z.string().min(1).optional(),
    lastSeen: z.string().min(1).optional(),
    count: z.number().int().min(1).optional(),
  })
  .superRefine((finding, ctx) => {
    const service = finding.service;
    for (const [top, nested] of [
      ['firstSeen', 'eventFirstSeen'],
      ['lastSeen', 'eventLastSeen'],
    ] as const) {
      if (finding[top] === undefined && service?.[nested] === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: service ? ['service', nested] : [top],
          message: `is required: when the activity was ${top === 'firstSeen' ? 'first' : 'last'} seen, as service.${nested} (the form GetFindings, EventBridge and the console give) or ${top}`,
        });
      }
    }
  });

// ================================================================ Security Hub (ASFF)

/** The namespaces of the ASFF types taxonomy (Types: "namespace/category/classifier"). */
export const ASFF_TYPE_NAMESPACES = ['Software and Configuration Checks', 'TTPs', 'Effects', 'Unusual Behaviors', 'Sensitive Data Identifications'] as const;

export const ASFF_SEVERITY_LABELS = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;

const AsffType = z.string().superRefine((value, ctx) => {
  const parts = value.split('/');
  if (parts.length > 3 || parts.some((p) => p.trim() === '') || !(ASFF_TYPE_NAMESPACES as readonly string[]).includes(parts[0]!)) {
    ctx.addIssue({
      code: 'custom',
      message: `an ASFF type is "namespace/category/classifier" with the namespace one of ${ASFF_TYPE_NAMESPACES.map((n) => `"${n}"`).join(', ')} (e.g. "Software and Configuration Checks/AWS Security Best Practices"), not ${JSON.stringify(value.slice(0, 80))}`,
    });
  }
});

/**
 * A Security Hub finding in the AWS Security Finding Format: the attributes
 * ASFF requires (SchemaVersion, Id, ProductArn, GeneratorId, AwsAccountId,
 * Types, CreatedAt, UpdatedAt, Severity, Title, Description, Resources) and
 * the form of the optional ones a responder reads.
 */
export const SecurityHubFinding = z.looseObject({
  SchemaVersion: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'SchemaVersion is the ASFF version, "2018-10-08".'),
  Id: z.string().min(1).max(512),
  ProductArn: z.string().regex(/^arn:aws[a-z-]*:securityhub:/, 'ProductArn is the ARN of the product, such as arn:aws:securityhub:us-east-1::product/aws/guardduty.'),
  GeneratorId: z.string().min(1).max(512),
  AwsAccountId: z.string().regex(/^\d{12}$/, 'AwsAccountId is the 12-digit AWS account id, such as 111122223333.'),
  Types: z.array(AsffType).min(1).max(50),
  CreatedAt: IsoTime('2024-05-01T12:00:00.000Z'),
  UpdatedAt: IsoTime('2024-05-01T12:30:00.000Z'),
  FirstObservedAt: IsoTime('2024-05-01T12:00:00.000Z').optional(),
  LastObservedAt: IsoTime('2024-05-01T12:30:00.000Z').optional(),
  Severity: z
    .looseObject({
      Label: z.enum(ASFF_SEVERITY_LABELS).optional(),
      Normalized: z.number().int().min(0).max(100).optional(),
      Product: z.number().optional(),
      Original: z.string().optional(),
    })
    .superRefine((severity, ctx) => {
      if (severity.Label === undefined && severity.Normalized === undefined) {
        ctx.addIssue({ code: 'custom', path: ['Label'], message: `is required (one of ${ASFF_SEVERITY_LABELS.join(', ')}), unless Normalized (0–100) is given` });
      }
    }),
  Title: z.string().min(1).max(256),
  Description: z.string().min(1).max(1_024),
  Resources: z
    .array(
      z.looseObject({
        Type: z.string().min(1).max(256),
        Id: z.string().min(1).max(512),
        Partition: z.enum(['aws', 'aws-cn', 'aws-us-gov']).optional(),
        Region: z.string().min(1).optional(),
        Details: JsonObject.optional(),
      }),
    )
    .min(1)
    .max(32),
  Region: z.string().min(1).optional(),
  ProductName: z.string().min(1).optional(),
  CompanyName: z.string().min(1).optional(),
  Compliance: z.looseObject({ Status: z.enum(['PASSED', 'WARNING', 'FAILED', 'NOT_AVAILABLE']).optional() }).optional(),
  Workflow: z.looseObject({ Status: z.enum(['NEW', 'NOTIFIED', 'RESOLVED', 'SUPPRESSED']).optional() }).optional(),
  RecordState: z.enum(['ACTIVE', 'ARCHIVED']).optional(),
  Remediation: z.looseObject({ Recommendation: z.looseObject({ Text: z.string().optional(), Url: z.string().optional() }).optional() }).optional(),
});

// ================================================================ VPC Flow Logs

const digits = (max: number) => (v: string) => /^\d+$/.test(v) && Number(v) <= max;
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const isIp = (v: string) => IPV4.test(v) || (/^[0-9a-fA-F:.]+$/.test(v) && v.includes(':') && v.length <= 45);
const matches = (pattern: RegExp) => (v: string) => pattern.test(v);

/**
 * Every field a flow log record may carry, with what a value looks like
 * (checked unless the value is "-", which flow logs write for "no value").
 */
const FLOW_LOG_FIELDS: Readonly<Record<string, { check: (value: string) => boolean; expected: string }>> = {
  version: { check: digits(99), expected: 'a format version number such as 2' },
  'account-id': { check: matches(/^\d{12}$/), expected: 'a 12-digit account id' },
  'interface-id': { check: matches(/^eni-[0-9a-z]+$/), expected: 'a network interface id such as eni-1235b8ca123456789' },
  srcaddr: { check: isIp, expected: 'an IPv4 or IPv6 address' },
  dstaddr: { check: isIp, expected: 'an IPv4 or IPv6 address' },
  srcport: { check: digits(65_535), expected: 'a port number 0–65535' },
  dstport: { check: digits(65_535), expected: 'a port number 0–65535' },
  protocol: { check: digits(255), expected: 'an IANA protocol number such as 6 (TCP), 17 (UDP) or 1 (ICMP)' },
  packets: { check: digits(Number.MAX_SAFE_INTEGER), expected: 'a whole number of packets' },
  bytes: { check: digits(Number.MAX_SAFE_INTEGER), expected: 'a whole number of bytes' },
  start: { check: digits(99_999_999_999), expected: 'a time in Unix seconds such as 1418530010' },
  end: { check: digits(99_999_999_999), expected: 'a time in Unix seconds such as 1418530070' },
  action: { check: matches(/^(ACCEPT|REJECT)$/), expected: 'ACCEPT or REJECT' },
  'log-status': { check: matches(/^(OK|NODATA|SKIPDATA)$/), expected: 'OK, NODATA or SKIPDATA' },
  'vpc-id': { check: matches(/^vpc-[0-9a-z]+$/), expected: 'a VPC id such as vpc-abcdefab012345678' },
  'subnet-id': { check: matches(/^subnet-[0-9a-z]+$/), expected: 'a subnet id such as subnet-aaaaaaaa012345678' },
  'instance-id': { check: matches(/^i-[0-9a-z]+$/), expected: 'an instance id such as i-01234567890123456' },
  'tcp-flags': { check: digits(255), expected: 'the TCP flags as a number such as 2 (SYN) or 18 (SYN-ACK)' },
  type: { check: matches(/^(IPv4|IPv6|EFA)$/), expected: 'IPv4, IPv6 or EFA' },
  'pkt-srcaddr': { check: isIp, expected: 'an IPv4 or IPv6 address' },
  'pkt-dstaddr': { check: isIp, expected: 'an IPv4 or IPv6 address' },
  region: { check: matches(/^[a-z]{2}(-[a-z]+)+-\d+$/), expected: 'a region such as us-east-1' },
  'az-id': { check: matches(/^[a-z]{2,6}\d?-az\d+$/), expected: 'an Availability Zone id such as use1-az1' },
  'sublocation-type': { check: matches(/^(wavelength|outpost|localzone)$/), expected: 'wavelength, outpost or localzone' },
  'sublocation-id': { check: matches(/^\S+$/), expected: 'a sublocation id' },
  'pkt-src-aws-service': { check: matches(/^[A-Z0-9_]+$/), expected: 'an AWS service name such as S3 or EC2' },
  'pkt-dst-aws-service': { check: matches(/^[A-Z0-9_]+$/), expected: 'an AWS service name such as S3 or EC2' },
  'flow-direction': { check: matches(/^(ingress|egress)$/), expected: 'ingress or egress' },
  'traffic-path': { check: digits(8), expected: 'a traffic path number 1–8' },
  'ecs-cluster-arn': { check: matches(/^arn:\S+$/), expected: 'an ARN' },
  'ecs-cluster-name': { check: matches(/^\S+$/), expected: 'a cluster name' },
  'ecs-container-instance-arn': { check: matches(/^arn:\S+$/), expected: 'an ARN' },
  'ecs-container-instance-id': { check: matches(/^\S+$/), expected: 'an id' },
  'ecs-container-id': { check: matches(/^\S+$/), expected: 'an id' },
  'ecs-second-container-id': { check: matches(/^\S+$/), expected: 'an id' },
  'ecs-service-name': { check: matches(/^\S+$/), expected: 'a service name' },
  'ecs-task-definition-arn': { check: matches(/^arn:\S+$/), expected: 'an ARN' },
  'ecs-task-arn': { check: matches(/^arn:\S+$/), expected: 'an ARN' },
  'ecs-task-id': { check: matches(/^\S+$/), expected: 'an id' },
  'reject-reason': { check: matches(/^[A-Za-z]+$/), expected: 'a reason such as BPA' },
};

export const VPC_FLOW_LOG_FIELDS: readonly string[] = Object.keys(FLOW_LOG_FIELDS);

/** Problems with one record against the record format `fields`, each naming the field. */
export function checkFlowLogRecord(record: string, fields: readonly string[]): string[] {
  const values = splitFlowLogRecord(record);
  if (values.length !== fields.length) {
    return [`has ${values.length} value${values.length === 1 ? '' : 's'}, but the record format has ${fields.length} field${fields.length === 1 ? '' : 's'} (${fields.join(' ')})`];
  }
  const problems: string[] = [];
  values.forEach((value, i) => {
    const field = fields[i]!;
    const spec = FLOW_LOG_FIELDS[field];
    if (!spec || value === '-' || spec.check(value)) return;
    problems.push(`field ${i + 1}, "${field}", is ${JSON.stringify(value.slice(0, 60))}, but it is ${spec.expected} (or "-")`);
  });
  return problems;
}

export const FlowLogField = z.string().superRefine((name, ctx) => {
  if (!Object.hasOwn(FLOW_LOG_FIELDS, name)) {
    ctx.addIssue({ code: 'custom', message: `${JSON.stringify(name.slice(0, 60))} is not a flow log field (the fields are ${VPC_FLOW_LOG_FIELDS.join(', ')})` });
  }
});
