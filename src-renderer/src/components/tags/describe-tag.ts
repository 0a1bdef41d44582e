/**
 * Readable labels for scenario tags (see the tag families in
 * src-main/core/scenario/tags.ts). The renderer may not import values from
 * core, so the labels are repeated here; a tag this table does not know is
 * still shown, as written.
 */

export type TagFamily = 'waf' | 'principle' | 'srm' | 'phase' | 'other';

export interface TagView {
  tag: string;
  family: TagFamily;
  /** Short name of the family, shown before the label ("Best practice", "Phase"...). */
  familyLabel: string;
  /** The tag in words, e.g. "SEC10-BP01" or "Maintain traceability". */
  label: string;
  /** A full sentence for a tooltip or screen reader. */
  description: string;
}

const PRINCIPLES: Readonly<Record<string, string>> = {
  'strong-identity-foundation': 'Implement a strong identity foundation',
  'protect-data-in-transit-and-at-rest': 'Protect data in transit and at rest',
  'security-at-all-layers': 'Apply security at all layers',
  'keep-people-away-from-data': 'Keep people away from data',
  traceability: 'Maintain traceability',
  'prepare-for-security-events': 'Prepare for security events',
  'automate-security-best-practices': 'Automate security best practices',
};

const SIDES: Readonly<Record<string, string>> = {
  customer: 'Customer (security in the cloud)',
  aws: 'AWS (security of the cloud)',
  shared: 'Shared',
};

const PHASES: Readonly<Record<string, string>> = {
  preparation: 'Preparation',
  detection: 'Detection',
  analysis: 'Analysis',
  containment: 'Containment',
  eradication: 'Eradication',
  recovery: 'Recovery',
  'post-incident': 'Post-incident activity',
  'detection-and-analysis': 'Detection and analysis',
  'containment-eradication-recovery': 'Containment, eradication and recovery',
  'post-incident-activity': 'Post-incident activity',
  identification: 'Identification',
  'lessons-learned': 'Lessons learned',
};

const WAF = /^WAF-(\d{4}-\d{2}-\d{2}):(SEC\d{2}-BP\d{2})$/;

function humanise(value: string): string {
  const words = value.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Describes a tag for display; never throws, whatever the string. */
export function describeTag(tag: string): TagView {
  const waf = WAF.exec(tag);
  if (waf) {
    const [, version, practice] = waf as unknown as [string, string, string];
    return {
      tag,
      family: 'waf',
      familyLabel: 'Best practice',
      label: practice,
      description: `Well-Architected security best practice ${practice} (framework version ${version})`,
    };
  }
  const colon = tag.indexOf(':');
  const prefix = colon > 0 ? tag.slice(0, colon) : '';
  const value = colon > 0 ? tag.slice(colon + 1) : tag;
  switch (prefix) {
    case 'principle': {
      const label = PRINCIPLES[value] ?? humanise(value);
      return { tag, family: 'principle', familyLabel: 'Principle', label, description: `Security design principle: ${label}` };
    }
    case 'srm': {
      const label = SIDES[value] ?? humanise(value);
      return { tag, family: 'srm', familyLabel: 'Responsibility', label, description: `Shared responsibility model: ${label}` };
    }
    case 'phase': {
      const label = PHASES[value] ?? humanise(value);
      return { tag, family: 'phase', familyLabel: 'Phase', label, description: `Incident-response phase: ${label}` };
    }
    default:
      return { tag, family: 'other', familyLabel: 'Tag', label: tag, description: `Tag ${tag}` };
  }
}
