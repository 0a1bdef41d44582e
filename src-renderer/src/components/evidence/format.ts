/**
 * Helpers that turn loosely-typed evidence (CloudTrail records and GuardDuty
 * findings keep every field the author wrote) into short display strings.
 * They never throw on unexpected shapes and never return more than a bounded
 * amount of text.
 */
import type { SeverityLevel } from '../severity.ts';

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

/** Who made a CloudTrail call: the identity type and the most specific name the record gives. */
export function identitySummary(userIdentity: unknown): { type: string; principal: string | undefined } {
  const type = stringField(userIdentity, 'type') ?? 'Unknown';
  const principal =
    stringField(userIdentity, 'arn') ??
    stringField(userIdentity, 'userName') ??
    stringField(userIdentity, 'principalId') ??
    stringField(userIdentity, 'invokedBy');
  return { type: clip(type, 60), principal: principal === undefined ? undefined : clip(principal) };
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
