/**
 * What the converters from peer formats share: the outcome type, ids made
 * valid and unique, placeholder texts and milestones.
 */
import { REQUIRED_MILESTONES, type Scenario } from '../scenario/schema.ts';
import type { ValidationIssue } from '../scenario/safe-json.ts';
import { idFromName } from '../slug.ts';

/** The formats a file can be converted from. */
export type PeerFormat = 'icebergttx' | 't3sf-msel';

/** A converted draft, with what could not be carried over; or why the file could not be converted. */
export type Conversion = { ok: true; format: PeerFormat; draft: Scenario; notes: string[] } | { ok: false; format: PeerFormat; problems: ValidationIssue[]; notes?: string[] };

export const TO_BE_WRITTEN = '*To be written.*';

const ID = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

/**
 * Valid, unique Sandtable ids for the ids of another format: kept as they are
 * when valid, otherwise reduced to letters, digits, "_", "." and "-" (a
 * leading "x-" when they do not start with a letter), with -2, -3… on a clash.
 * The same key always gets the same id.
 */
export function safeIds() {
  const byKey = new Map<string, string>();
  const used = new Set<string>();
  return {
    of(key: string, raw: string): string {
      const known = byKey.get(key);
      if (known) return known;
      let base = raw
        .normalize('NFKD')
        .replace(/[\u0300-\u036f]/g, '')
        .replace(/[^A-Za-z0-9_.-]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, 56);
      if (!/^[A-Za-z]/.test(base)) base = `x-${base}`.replace(/-+$/, '') || 'x';
      let id = base;
      for (let n = 2; used.has(id) || !ID.test(id); n++) id = `${base.slice(0, 56)}-${n}`;
      used.add(id);
      byKey.set(key, id);
      return id;
    },
  };
}

/** A scenario id from a file name or title ("Ransomware Response.json" → "ransomware-response"). */
export function draftId(name: string, fallback: string): string {
  return idFromName(name.replace(/^.*[\\/]/, '').replace(/\.json$/i, ''), fallback, 'x');
}

/** The four required milestones, with targets spread over the exercise and a description that says they are placeholders. */
export function placeholderMilestones(minutes: number) {
  const span = Math.max(20, Math.min(480, minutes));
  const labels: Record<(typeof REQUIRED_MILESTONES)[number], string> = {
    detected: 'Incident detected',
    contained: 'Incident contained',
    eradicated: 'Threat eradicated',
    recovered: 'Operations recovered',
  };
  return REQUIRED_MILESTONES.map((id, i) => ({
    id,
    label: labels[id],
    targetMinutes: Math.round((span * (i + 1)) / REQUIRED_MILESTONES.length),
    description: 'Placeholder target, to be written: the scenario time by which a well-prepared team reaches this.',
  }));
}
