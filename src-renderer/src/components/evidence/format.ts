/**
 * Helpers that turn loosely-typed evidence (CloudTrail records and GuardDuty
 * findings keep every field the author wrote) into short display strings.
 * They never throw on unexpected shapes and never return more than a bounded
 * amount of text.
 */
import type { SeverityLevel } from '../severity.ts';
import type { CloudTrailRecord } from './types.ts';

/** Longest text a single table cell or summary line shows; the raw JSON has the rest. */
export const CELL_LIMIT = 160;

/** Cuts text to `limit` characters, marking the cut. */
export function clip(text: string, limit = CELL_LIMIT): string {
  return text.length > limit ? `${text.slice(0, limit)}…` : text;
}

/** A field of a loose object, if it is a non-empty string. */
export function stringField(value: unknown, key: string): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const field = (value as Record<string, unknown>)[key];
  return typeof field === 'string' && field !== '' ? field : undefined;
}

/** GuardDuty's bands: low 1.0–3.9, medium 4.0–6.9, high 7.0–8.9, critical 9.0–10.0. */
export function guardDutySeverity(severity: number): Exclude<SeverityLevel, 'informational'> {
  if (severity >= 9) return 'critical';
  if (severity >= 7) return 'high';
  if (severity >= 4) return 'medium';
  return 'low';
}

/** `2024-05-01T12:00:00Z` as `2024-05-01 12:00:00Z` (the time stays UTC, as recorded). */
export function formatEventTime(iso: string): string {
  return clip(iso.replace('T', ' '), 40);
}

const RESOURCE_KEYS: ReadonlyArray<readonly [string, string]> = [
  ['userName', 'User'],
  ['accessKeyId', 'Access key'],
  ['principalId', 'Principal'],
  ['instanceId', 'Instance'],
  ['instanceType', 'Instance type'],
  ['name', 'Name'],
  ['dbInstanceIdentifier', 'DB instance'],
  ['functionName', 'Function'],
  ['arn', 'ARN'],
];

/** The resource a GuardDuty finding is about: its type and up to four identifying fields. */
export function resourceSummary(resource: Record<string, unknown>): { type: string; details: { label: string; value: string }[] } {
  const type = stringField(resource, 'resourceType') ?? 'Resource';
  const details: { label: string; value: string }[] = [];
  const visit = (value: unknown, depth: number) => {
    if (details.length >= 4 || value === null || typeof value !== 'object' || depth > 2) return;
    if (Array.isArray(value)) {
      for (const item of value.slice(0, 3)) visit(item, depth + 1);
      return;
    }
    for (const [key, label] of RESOURCE_KEYS) {
      const found = stringField(value, key);
      if (found && details.length < 4 && !details.some((d) => d.label === label)) details.push({ label, value: clip(found) });
    }
    for (const [key, child] of Object.entries(value as Record<string, unknown>).slice(0, 50)) {
      if (key.endsWith('Details') || key.endsWith('Detail')) visit(child, depth + 1);
    }
  };
  visit(resource, 0);
  return { type: clip(type, 80), details };
}

/** Text of a table cell value. */
export function cellText(value: string | number | boolean | null): string {
  if (value === null) return '—';
  return typeof value === 'string' ? clip(value, 2_000) : String(value);
}

/** A field of a loose object at a path of keys, if it is an object there. */
function objectAt(value: unknown, ...keys: string[]): Record<string, unknown> | undefined {
  let at: unknown = value;
  for (const key of keys) {
    if (at === null || typeof at !== 'object' || Array.isArray(at)) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at !== null && typeof at === 'object' && !Array.isArray(at) ? (at as Record<string, unknown>) : undefined;
}

/** A string or number field, as text. */
function textField(value: unknown, key: string): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const field = (value as Record<string, unknown>)[key];
  if (typeof field === 'number' || typeof field === 'boolean') return String(field);
  return typeof field === 'string' && field !== '' ? field : undefined;
}

/**
 * The part of an ARN after the account (`arn:aws:sts::123456789012:assumed-role/Admin/s`
 * -> `assumed-role/Admin/s`); a string that is not an ARN is returned as it is.
 */
export function shortArn(arn: string): string {
  const parts = arn.split(':');
  return parts.length >= 6 && parts[0] === 'arn' ? parts.slice(5).join(':') : arn;
}

export interface CloudTrailSummary {
  time: string;
  name: string;
  source: string;
  identity: {
    type: string;
    /** The short ARN (or user name, principal) of who called. */
    principal: string | undefined;
    /** The full ARN, for a tooltip. */
    arn: string | undefined;
    /** For a role session: the role (or user) that issued it, short. */
    issuer: string | undefined;
  };
  ip: string;
  region: string;
  /**
   * Whether the call failed: an errorCode, an errorMessage (as a failed
   * console sign-in records, with no errorCode), or a ConsoleLogin "Failure".
   */
  failed: boolean;
  errorCode: string | undefined;
  errorMessage: string | undefined;
}

/** What a responder reads first in a CloudTrail record, failures flagged however the record says so. */
export function cloudTrailSummary(record: CloudTrailRecord): CloudTrailSummary {
  const fields = cloudTrailFields(record);
  const identity = fields.userIdentity;
  const arn = stringField(identity, 'arn');
  const principal = arn ? shortArn(arn) : (stringField(identity, 'userName') ?? stringField(identity, 'principalId') ?? stringField(identity, 'invokedBy'));
  const issuerObject = objectAt(identity, 'sessionContext', 'sessionIssuer');
  const issuerArn = stringField(issuerObject, 'arn');
  const issuer = issuerArn ? shortArn(issuerArn) : stringField(issuerObject, 'userName');
  return {
    time: formatEventTime(record.eventTime),
    name: clip(fields.eventName, 80),
    source: clip(fields.eventSource, 80),
    identity: {
      type: clip(stringField(identity, 'type') ?? 'Unknown', 60),
      principal: principal === undefined ? undefined : clip(principal),
      arn: arn === undefined ? undefined : clip(arn, 400),
      issuer: issuer === undefined ? undefined : clip(issuer),
    },
    ip: clip(fields.sourceIPAddress, 80),
    region: clip(record.awsRegion, 40),
    failed: fields.errorCode !== undefined || fields.errorMessage !== undefined,
    errorCode: fields.errorCode === undefined ? undefined : clip(fields.errorCode, 80),
    errorMessage: fields.errorMessage === undefined ? undefined : clip(fields.errorMessage),
  };
}

export interface CloudTrailFields {
  eventName: string;
  eventSource: string;
  sourceIPAddress: string;
  /** The userIdentity object, or a stand-in naming an Insights event's kind of caller. */
  userIdentity: unknown;
  errorCode: string | undefined;
  /** Why the call or sign-in failed; "ConsoleLogin: Failure" for a failed console sign-in that gives no message (it has no errorCode). */
  errorMessage: string | undefined;
}

/** A failed console sign-in says so in responseElements, not in errorCode. */
function failure(record: CloudTrailRecord): { errorCode: string | undefined; errorMessage: string | undefined } {
  const consoleLogin = stringField(objectAt(record, 'responseElements'), 'ConsoleLogin');
  return {
    errorCode: stringField(record, 'errorCode'),
    errorMessage: stringField(record, 'errorMessage') ?? (consoleLogin === 'Failure' ? 'ConsoleLogin: Failure' : undefined),
  };
}

/**
 * The top-level fields of a record in every shape the format accepts: taken
 * from insightDetails for a CloudTrail Insights event (no eventName,
 * eventSource, sourceIPAddress or userIdentity at the top), and "—" for an
 * empty sourceIPAddress (as AWS's own S3 examples have).
 */
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

export interface GuardDutyAction {
  /** What kind of activity: "API call", "Network connection", "DNS request", "Port probe", "Kubernetes API call"... */
  kind: string;
  /** What was done: the API and its service, the domain asked for, the ports... */
  what: string | undefined;
  /** The remote end: IP address, and its organisation and country when GuardDuty knows them. */
  remoteIp: string | undefined;
  organisation: string | undefined;
  country: string | undefined;
  /** What came of it: "Denied (AccessDenied)", "Blocked", "Not blocked", "Succeeded". */
  outcome: string | undefined;
  /** True when the outcome was a refusal (denied or blocked). */
  refused: boolean;
}

const ACTION_KINDS: Readonly<Record<string, [label: string, key: string]>> = {
  AWS_API_CALL: ['API call', 'awsApiCallAction'],
  NETWORK_CONNECTION: ['Network connection', 'networkConnectionAction'],
  DNS_REQUEST: ['DNS request', 'dnsRequestAction'],
  PORT_PROBE: ['Port probe', 'portProbeAction'],
  KUBERNETES_API_CALL: ['Kubernetes API call', 'kubernetesApiCallAction'],
  RDS_LOGIN_ATTEMPT: ['Database sign-in attempt', 'rdsLoginAttemptAction'],
};

function remoteOf(details: Record<string, unknown> | undefined): Pick<GuardDutyAction, 'remoteIp' | 'organisation' | 'country'> {
  const organization = objectAt(details, 'organization');
  const org = stringField(organization, 'org') ?? stringField(organization, 'asnOrg') ?? stringField(organization, 'isp');
  const asn = textField(organization, 'asn');
  const organisation = org ? `${org}${asn && asn !== '-1' ? ` (AS${asn})` : ''}` : undefined;
  const ip = stringField(details, 'ipAddressV4') ?? stringField(details, 'ipAddressV6');
  const country = stringField(objectAt(details, 'country'), 'countryName');
  return {
    remoteIp: ip === undefined ? undefined : clip(ip, 80),
    organisation: organisation === undefined ? undefined : clip(organisation, 120),
    country: country === undefined ? undefined : clip(country, 80),
  };
}

/** What a GuardDuty finding says was done (`service.action`): the call, from where, and whether it was denied. Null when the finding has no action. */
export function guardDutyAction(finding: unknown): GuardDutyAction | null {
  const action = objectAt(finding, 'service', 'action');
  if (!action) return null;
  const actionType = stringField(action, 'actionType');
  const known = actionType ? ACTION_KINDS[actionType] : undefined;
  const key = known?.[1] ?? Object.keys(action).find((k) => k.endsWith('Action'));
  const body = key ? objectAt(action, key) : undefined;
  const kind = known?.[0] ?? (actionType ? clip(actionType.replace(/_/g, ' ').toLowerCase(), 60) : 'Action');
  if (!body) return { kind, what: undefined, remoteIp: undefined, organisation: undefined, country: undefined, outcome: undefined, refused: false };
  let what: string | undefined;
  let outcome: string | undefined;
  let refused = false;
  let remote = remoteOf(objectAt(body, 'remoteIpDetails'));
  const blocked = body.blocked;
  if (typeof blocked === 'boolean') {
    outcome = blocked ? 'Blocked' : 'Not blocked';
    refused = blocked;
  }
  switch (key) {
    case 'awsApiCallAction': {
      const api = stringField(body, 'api');
      const service = stringField(body, 'serviceName');
      what = api ? `${api}${service ? ` on ${service}` : ''}` : service;
      const errorCode = stringField(body, 'errorCode');
      outcome = errorCode ? `Denied (${errorCode})` : 'Succeeded';
      refused = errorCode !== undefined;
      break;
    }
    case 'networkConnectionAction': {
      const direction = stringField(body, 'connectionDirection');
      const protocol = stringField(body, 'protocol');
      const port = textField(objectAt(body, 'localPortDetails'), 'port');
      const remotePort = textField(objectAt(body, 'remotePortDetails'), 'port');
      what =
        [direction?.toLowerCase(), protocol, port ? `local port ${port}` : undefined, remotePort ? `remote port ${remotePort}` : undefined].filter(Boolean).join(' ') || undefined;
      break;
    }
    case 'dnsRequestAction':
      what = stringField(body, 'domain');
      break;
    case 'portProbeAction': {
      const probes = Array.isArray(body.portProbeDetails) ? (body.portProbeDetails as unknown[]) : [];
      const ports = probes.map((p) => textField(objectAt(p, 'localPortDetails'), 'port')).filter((p): p is string => p !== undefined);
      what = ports.length > 0 ? `port${ports.length > 1 ? 's' : ''} ${ports.slice(0, 6).join(', ')}` : undefined;
      remote = remoteOf(objectAt(probes[0], 'remoteIpDetails'));
      break;
    }
    case 'kubernetesApiCallAction': {
      const verb = stringField(body, 'verb');
      const uri = stringField(body, 'requestUri');
      what = [verb, uri].filter(Boolean).join(' ') || undefined;
      const status = textField(body, 'statusCode');
      if (status) {
        outcome = `HTTP ${status}`;
        refused = status === '401' || status === '403';
      }
      break;
    }
    default:
      what = stringField(body, 'api') ?? stringField(body, 'domain');
  }
  return { kind, what: what === undefined ? undefined : clip(what, 200), ...remote, outcome, refused };
}
