/**
 * "Paste a record": JSON text copied from the AWS console, the CLI, an API
 * response or an EventBridge event, turned into one evidence item of the
 * scenario format, checked against the same schemas a scenario file meets
 * (./aws-records.ts through ./schema.ts's `Evidence`).
 *
 * Recognised, as AWS publishes them:
 * - a CloudTrail record (one event), a CloudTrail log file `{"Records": [...]}`,
 *   `aws cloudtrail lookup-events` output `{"Events": [...]}` (its
 *   `CloudTrailEvent` strings read as records), a list of records, or an
 *   EventBridge event carrying a record as its `detail`;
 * - a GuardDuty finding (GetFindings, the console's JSON), a GetFindings
 *   response `{"Findings": [one]}`, or an EventBridge "GuardDuty Finding"
 *   event (the finding is its `detail`);
 * - a Security Hub finding in ASFF, a list of them, a GetFindings /
 *   BatchImportFindings body `{"Findings": [...]}`, or an EventBridge
 *   "Security Hub Findings" event (`detail.findings`).
 *
 * Every problem names where it is in the text pasted (an RFC 6901 pointer)
 * and what is wrong. Pure: nothing here throws.
 */
import { toPointer } from '../json-pointer.ts';
import { slug } from '../slug.ts';
import { parseJsonSafely, type ValidationIssue } from './safe-json.ts';
import { Evidence } from './schema.ts';
import { CLOUDTRAIL_INSIGHT_EVENT_TYPE, GUARDDUTY_TYPE } from './aws-records.ts';

/** The most text a paste may hold (a CloudTrail log file of 500 records fits). */
export const PASTED_RECORD_MAX_BYTES = 2 * 1024 * 1024;
/** The most records of one CloudTrail evidence item and findings of one Security Hub item (./schema.ts). */
const MAX_CLOUDTRAIL_RECORDS = 500;
const MAX_SECURITYHUB_FINDINGS = 100;

export type PastedRecordKind = 'cloudtrail' | 'guardduty' | 'securityhub';

export type PastedRecord =
  | {
      ok: true;
      kind: PastedRecordKind;
      /** The evidence item, its records exactly as pasted (field order kept), with a suggested id and caption unless given. */
      evidence: Evidence;
      /** What was recognised, in words ("a CloudTrail log file with 3 records"). */
      recognised: string;
    }
  | { ok: false; errors: ValidationIssue[] };

export interface PastedRecordOptions {
  /** The evidence item's id (default: one made from the record). */
  id?: string;
  /** Its caption (default: one made from the record). */
  caption?: string;
}

type Json = Record<string, unknown>;
/** A record found in the paste, with where it was. */
interface Found {
  value: unknown;
  pointer: string;
}

type Recognised =
  | { kind: 'cloudtrail'; items: Found[]; what: string }
  | { kind: 'guardduty'; items: Found[]; what: string }
  | { kind: 'securityhub'; items: Found[]; what: string }
  | { kind: 'error'; errors: ValidationIssue[] };

const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const fail = (pointer: string, message: string): Recognised => ({ kind: 'error', errors: [{ pointer, message }] });

const WHAT_TO_PASTE =
  'paste a CloudTrail event (it has eventVersion and eventTime), a CloudTrail log file ({"Records": [...]}), a GuardDuty finding (it has type, severity, accountId and resource) or a Security Hub finding in ASFF (it has SchemaVersion, ProductArn and Types), as the console, the CLI or EventBridge give them';

function looksLikeCloudTrail(value: unknown): boolean {
  return isObject(value) && (typeof value.eventVersion === 'string' || (typeof value.eventTime === 'string' && ('eventName' in value || 'eventSource' in value)));
}

function looksLikeAsff(value: unknown): boolean {
  return isObject(value) && ('SchemaVersion' in value || 'ProductArn' in value) && ('Types' in value || 'GeneratorId' in value || 'AwsAccountId' in value);
}

function looksLikeGuardDuty(value: unknown): boolean {
  return isObject(value) && typeof value.type === 'string' && 'severity' in value && ('resource' in value || 'accountId' in value || 'service' in value);
}

/** A GuardDuty finding as the AWS CLI and SDKs print it: the API's keys with a capital first letter (`Type`, `Severity`, `Service.EventFirstSeen`). */
function looksLikeSdkGuardDuty(value: unknown): boolean {
  return (
    isObject(value) && typeof value.Type === 'string' && GUARDDUTY_TYPE.test(value.Type) && typeof value.Severity === 'number' && ('Resource' in value || 'AccountId' in value)
  );
}

/** Writes every key as the GuardDuty API and EventBridge write it: the SDK's name with a small first letter ("IpAddressV4" → "ipAddressV4"). */
function apiKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(apiKeys);
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key.charAt(0).toLowerCase() + key.slice(1), apiKeys(item)]));
}

/** What kind of AWS record a parsed paste is, and where its records are. */
function recognise(value: unknown): Recognised {
  if (Array.isArray(value)) {
    if (value.length === 0) return fail('', `is an empty list; ${WHAT_TO_PASTE}`);
    const items = value.map((item: unknown, i): Found => ({ value: item, pointer: `/${i}` }));
    if (value.every(looksLikeCloudTrail)) return { kind: 'cloudtrail', items, what: `a list of ${plural(value.length, 'CloudTrail record')}` };
    if (value.every(looksLikeAsff)) return { kind: 'securityhub', items, what: `a list of ${plural(value.length, 'Security Hub finding')}` };
    if (value.every(looksLikeGuardDuty)) return { kind: 'guardduty', items, what: `a list of ${plural(value.length, 'GuardDuty finding')}` };
    const odd = value.findIndex((item) => !looksLikeCloudTrail(item) && !looksLikeAsff(item) && !looksLikeGuardDuty(item));
    return fail(odd >= 0 ? `/${odd}` : '', `is a list whose items are not all records of one kind; ${WHAT_TO_PASTE}`);
  }
  if (!isObject(value)) return fail('', `is ${value === null ? 'null' : `a ${typeof value}`}, not a record; ${WHAT_TO_PASTE}`);

  // A CloudTrail log file as delivered to S3.
  if (Array.isArray(value.Records)) {
    const items = (value.Records as unknown[]).map((item, i): Found => ({ value: item, pointer: `/Records/${i}` }));
    return { kind: 'cloudtrail', items, what: `a CloudTrail log file with ${plural(items.length, 'record')}` };
  }
  // `aws cloudtrail lookup-events`: each event's record is the JSON string CloudTrailEvent (Insights lookups give the records themselves).
  if (Array.isArray(value.Events)) {
    const items: Found[] = [];
    for (const [i, event] of value.Events.entries()) {
      if (isObject(event) && typeof event.CloudTrailEvent === 'string') {
        const inner = parseJsonSafely(event.CloudTrailEvent, { maxBytes: PASTED_RECORD_MAX_BYTES, noun: 'a pasted record' });
        if (!inner.ok) return fail(`/Events/${i}/CloudTrailEvent`, `is not a CloudTrail record in JSON: ${inner.issues[0]?.message ?? 'it could not be read'}`);
        items.push({ value: inner.value, pointer: `/Events/${i}/CloudTrailEvent` });
      } else items.push({ value: event, pointer: `/Events/${i}` });
    }
    return { kind: 'cloudtrail', items, what: `CloudTrail lookup-events output with ${plural(items.length, 'event')}` };
  }
  // GetFindings (GuardDuty or Security Hub; the CLI writes "Findings", GuardDuty's API "findings") and BatchImportFindings bodies.
  const key = Array.isArray(value.Findings) ? 'Findings' : Array.isArray(value.findings) ? 'findings' : null;
  if (key !== null) {
    const findings = value[key] as unknown[];
    const items = findings.map((item, i): Found => ({ value: item, pointer: `/${key}/${i}` }));
    if (items.length === 0) return fail(`/${key}`, `is empty: there is no finding to show; ${WHAT_TO_PASTE}`);
    if (findings.every(looksLikeAsff)) return { kind: 'securityhub', items, what: `a Security Hub GetFindings response with ${plural(items.length, 'finding')}` };
    if (findings.every(looksLikeGuardDuty)) return { kind: 'guardduty', items, what: `a GuardDuty GetFindings response with ${plural(items.length, 'finding')}` };
    if (findings.every(looksLikeSdkGuardDuty)) {
      return {
        kind: 'guardduty',
        items: items.map((f) => ({ ...f, value: apiKeys(f.value) })),
        what: `a GuardDuty get-findings output (AWS CLI) with ${plural(items.length, 'finding')}`,
      };
    }
    return fail(`/${key}`, `holds findings that are neither all GuardDuty findings nor all Security Hub (ASFF) findings; ${WHAT_TO_PASTE}`);
  }
  // An EventBridge event: the record or finding is its `detail`.
  if (isObject(value.detail) && ('detail-type' in value || 'source' in value)) {
    const detail = value.detail;
    if (value.source === 'aws.securityhub' || Array.isArray(detail.findings)) {
      if (!Array.isArray(detail.findings) || detail.findings.length === 0) return fail('/detail/findings', 'should list the Security Hub findings of this EventBridge event');
      const items = (detail.findings as unknown[]).map((item, i): Found => ({ value: item, pointer: `/detail/findings/${i}` }));
      return { kind: 'securityhub', items, what: `an EventBridge event with ${plural(items.length, 'Security Hub finding')}` };
    }
    if (value.source === 'aws.guardduty' || looksLikeGuardDuty(detail))
      return { kind: 'guardduty', items: [{ value: detail, pointer: '/detail' }], what: 'an EventBridge GuardDuty Finding event' };
    if (looksLikeCloudTrail(detail)) return { kind: 'cloudtrail', items: [{ value: detail, pointer: '/detail' }], what: 'an EventBridge event carrying a CloudTrail record' };
    return fail('/detail', `is an EventBridge event whose detail is not a CloudTrail record, a GuardDuty finding or Security Hub findings; ${WHAT_TO_PASTE}`);
  }
  if (looksLikeAsff(value)) return { kind: 'securityhub', items: [{ value, pointer: '' }], what: 'a Security Hub finding (ASFF)' };
  if (looksLikeGuardDuty(value)) return { kind: 'guardduty', items: [{ value, pointer: '' }], what: 'a GuardDuty finding' };
  if (looksLikeSdkGuardDuty(value)) return { kind: 'guardduty', items: [{ value: apiKeys(value), pointer: '' }], what: 'a GuardDuty finding as the AWS CLI prints it' };
  if (looksLikeCloudTrail(value)) {
    const insight = value.eventType === CLOUDTRAIL_INSIGHT_EVENT_TYPE;
    return { kind: 'cloudtrail', items: [{ value, pointer: '' }], what: insight ? 'a CloudTrail Insights event' : 'a CloudTrail record' };
  }
  return fail('', `is not a record the studio recognises; ${WHAT_TO_PASTE}`);
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

/** Who made a CloudTrail call, in a few words. */
function callerOf(record: Json): string | undefined {
  const identity = isObject(record.userIdentity) ? record.userIdentity : undefined;
  if (!identity) return undefined;
  const session = isObject(identity.sessionContext) && isObject(identity.sessionContext.sessionIssuer) ? identity.sessionContext.sessionIssuer : undefined;
  return str(identity.userName) ?? str(session?.userName) ?? str(identity.arn)?.replace(/^.*[:/]/, '') ?? str(identity.invokedBy) ?? str(identity.type);
}

function cloudTrailCaption(records: Json[]): string {
  if (records.length === 1) {
    const record = records[0]!;
    if (record.eventType === CLOUDTRAIL_INSIGHT_EVENT_TYPE && isObject(record.insightDetails)) {
      return `CloudTrail Insights: unusual ${str(record.insightDetails.eventName) ?? 'API'} activity (${str(record.insightDetails.state) ?? 'Start'})`;
    }
    const failed = str(record.errorCode) ?? (isObject(record.responseElements) && record.responseElements.ConsoleLogin === 'Failure' ? 'Failure' : undefined);
    const caller = callerOf(record);
    return `CloudTrail: ${str(record.eventName) ?? 'event'}${caller ? ` by ${caller}` : ''}${failed ? ` (failed: ${failed})` : ''}`;
  }
  const names = [...new Set(records.map((r) => str(r.eventName) ?? (isObject(r.insightDetails) ? str(r.insightDetails.eventName) : undefined)).filter((n) => n !== undefined))];
  const shown = names.slice(0, 3).join(', ') + (names.length > 3 ? ', …' : '');
  return `CloudTrail: ${plural(records.length, 'record')}${shown ? ` (${shown})` : ''}`;
}

function captionOf(kind: PastedRecordKind, items: unknown[]): string {
  const objects = items.filter(isObject);
  if (kind === 'cloudtrail') return cloudTrailCaption(objects);
  if (kind === 'guardduty') return `GuardDuty: ${str(objects[0]?.title) ?? str(objects[0]?.type) ?? 'finding'}`;
  if (objects.length === 1) return `Security Hub: ${str(objects[0]?.Title) ?? 'finding'}`;
  return `Security Hub: ${plural(objects.length, 'finding')}`;
}

function idOf(kind: PastedRecordKind, items: unknown[]): string {
  const first = items.find(isObject);
  const stem =
    kind === 'cloudtrail'
      ? (str(first?.eventName) ?? (isObject(first?.insightDetails) ? str(first.insightDetails.eventName) : undefined) ?? 'cloudtrail')
      : kind === 'guardduty'
        ? (str(first?.type)?.replace(/^.*\//, '') ?? 'guardduty')
        : (str(first?.Title) ?? 'securityhub');
  const prefix = kind === 'cloudtrail' ? 'ev-cloudtrail' : kind === 'guardduty' ? 'ev-guardduty' : 'ev-securityhub';
  const tail = slug(stem, 64 - prefix.length - 1).replace(/-+$/, '');
  return tail === '' || tail === kind ? prefix : `${prefix}-${tail}`;
}

const KIND_NAMES: Readonly<Record<PastedRecordKind, string>> = { cloudtrail: 'CloudTrail record', guardduty: 'GuardDuty finding', securityhub: 'Security Hub finding' };

/** Reads pasted JSON text as one evidence item of the scenario format. */
export function parsePastedRecord(text: string, options: PastedRecordOptions = {}): PastedRecord {
  if (text.trim() === '') return { ok: false, errors: [{ pointer: '', message: `Nothing was pasted; ${WHAT_TO_PASTE}.` }] };
  const parsed = parseJsonSafely(text, { maxBytes: PASTED_RECORD_MAX_BYTES, noun: 'a pasted record' });
  if (!parsed.ok) return { ok: false, errors: parsed.issues.map((i) => ({ pointer: i.pointer, message: `The text pasted is not JSON that can be read: ${i.message}` })) };
  const found = recognise(parsed.value);
  if (found.kind === 'error') return { ok: false, errors: found.errors.map((e) => ({ pointer: e.pointer, message: `The text pasted ${e.message}.` })) };
  const { kind, items, what } = found;
  if (kind === 'cloudtrail' && items.length === 0) return { ok: false, errors: [{ pointer: '', message: `The text pasted is ${what}: there is no record to show.` }] };
  if (kind === 'cloudtrail' && items.length > MAX_CLOUDTRAIL_RECORDS) {
    return { ok: false, errors: [{ pointer: '', message: `The text pasted is ${what}; one evidence item shows ${MAX_CLOUDTRAIL_RECORDS} records at most: paste fewer.` }] };
  }
  if (kind === 'securityhub' && items.length > MAX_SECURITYHUB_FINDINGS) {
    return { ok: false, errors: [{ pointer: '', message: `The text pasted is ${what}; one evidence item shows ${MAX_SECURITYHUB_FINDINGS} findings at most: paste fewer.` }] };
  }
  if (kind === 'guardduty' && items.length !== 1) {
    return { ok: false, errors: [{ pointer: '', message: `The text pasted is ${what}; a GuardDuty evidence item shows one finding: paste one finding at a time.` }] };
  }
  const values = items.map((i) => i.value);
  const id = options.id ?? idOf(kind, values);
  const caption = options.caption ?? captionOf(kind, values).slice(0, 300);
  const item: Json =
    kind === 'cloudtrail' ? { id, caption, kind, records: values } : kind === 'guardduty' ? { id, caption, kind, finding: values[0] } : { id, caption, kind, findings: values };
  const checked = Evidence.safeParse(item);
  if (!checked.success) {
    const errors = checked.error.issues.map((issue): ValidationIssue => {
      const [field, index, ...rest] = issue.path.map((p) => (typeof p === 'symbol' ? String(p.description) : p));
      // The issue's place in the item (records/3/eventTime) is its place in the text pasted (/Records/3/eventTime).
      if (field === 'records' || field === 'findings') {
        const base = typeof index === 'number' ? items[index]?.pointer : undefined;
        if (base !== undefined) {
          const pointer = base + toPointer(rest);
          return { pointer, message: `${KIND_NAMES[kind]}${items.length > 1 ? ` ${Number(index) + 1}` : ''}, ${toPointer(rest) || 'the record'}: ${issue.message}` };
        }
      }
      if (field === 'finding') {
        const tail = [index, ...rest].filter((p) => p !== undefined);
        return { pointer: items[0]!.pointer + toPointer(tail), message: `${KIND_NAMES[kind]}, ${toPointer(tail) || 'the finding'}: ${issue.message}` };
      }
      // The id or caption given.
      return { pointer: '', message: `The evidence item's ${toPointer(issue.path.map((p) => (typeof p === 'symbol' ? String(p.description) : p)))}: ${issue.message}` };
    });
    return { ok: false, errors };
  }
  return { ok: true, kind, evidence: item as Evidence, recognised: what };
}
