/**
 * Tag vocabulary shared by objectives, injects, options and scores.
 *
 * Tags are plain strings so that authors can write them quickly, each in one
 * of four families:
 *  - `WAF-2024-06-27:SEC02-BP02`  a Well-Architected best practice, with the framework version
 *  - `principle:traceability`      a security-pillar design principle
 *  - `srm:customer`                a side of the shared responsibility model (customer / aws / shared)
 *  - `phase:containment`           an incident-response phase, in the AWS, NIST SP 800-61 or PICERL vocabulary
 */

export const DESIGN_PRINCIPLES = {
  'strong-identity-foundation': 'Implement a strong identity foundation',
  'protect-data-in-transit-and-at-rest': 'Protect data in transit and at rest',
  'security-at-all-layers': 'Apply security at all layers',
  'keep-people-away-from-data': 'Keep people away from data',
  traceability: 'Maintain traceability',
  'prepare-for-security-events': 'Prepare for security events',
  'automate-security-best-practices': 'Automate security best practices',
} as const;
export type DesignPrinciple = keyof typeof DESIGN_PRINCIPLES;

export const RESPONSIBILITY_SIDES = {
  customer: 'Customer (security in the cloud)',
  aws: 'AWS (security of the cloud)',
  shared: 'Shared',
} as const;
export type ResponsibilitySide = keyof typeof RESPONSIBILITY_SIDES;

/** The canonical phases (AWS incident response guide). */
export const PHASES = {
  preparation: 'Preparation',
  detection: 'Detection',
  analysis: 'Analysis',
  containment: 'Containment',
  eradication: 'Eradication',
  recovery: 'Recovery',
  'post-incident': 'Post-incident activity',
} as const;
export type Phase = keyof typeof PHASES;

/**
 * Every phase name an author may write, mapped to the canonical phase.
 * NIST SP 800-61r2 and PICERL names are accepted; combined NIST phases map to
 * their first AWS phase.
 */
export const PHASE_ALIASES: Readonly<Record<string, Phase>> = {
  // AWS
  preparation: 'preparation',
  detection: 'detection',
  analysis: 'analysis',
  containment: 'containment',
  eradication: 'eradication',
  recovery: 'recovery',
  'post-incident': 'post-incident',
  // NIST SP 800-61 rev. 2
  'detection-and-analysis': 'detection',
  'containment-eradication-recovery': 'containment',
  'post-incident-activity': 'post-incident',
  // SANS PICERL
  identification: 'detection',
  'lessons-learned': 'post-incident',
};

/** Well-Architected security best practices per framework version: pillar area -> number of best practices. */
export const WAF_BEST_PRACTICES: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  '2024-06-27': {
    SEC01: 8,
    SEC02: 6,
    SEC03: 9,
    SEC04: 4,
    SEC05: 4,
    SEC06: 5,
    SEC07: 4,
    SEC08: 4,
    SEC09: 3,
    SEC10: 8,
    SEC11: 8,
  },
};

export const WAF_TAG_PATTERN = /^WAF-(\d{4}-\d{2}-\d{2}):(SEC\d{2})-BP(\d{2})$/;
export const TAG_PATTERN = /^(WAF-\d{4}-\d{2}-\d{2}:SEC\d{2}-BP\d{2}|principle:[a-z-]+|srm:(customer|aws|shared)|phase:[a-z-]+)$/;

export type TagFamily = 'waf' | 'principle' | 'srm' | 'phase';

export interface ParsedTag {
  family: TagFamily;
  /** The tag as written. */
  tag: string;
  /** For phases, the canonical phase; otherwise the part after the prefix (or the best-practice ID). */
  value: string;
}

/** Parses a tag, or explains why it is not one. */
export function parseTag(tag: string): { ok: true; tag: ParsedTag } | { ok: false; message: string } {
  const waf = WAF_TAG_PATTERN.exec(tag);
  if (waf) {
    const [, version, area, bp] = waf as unknown as [string, string, string, string];
    const known = WAF_BEST_PRACTICES[version];
    if (!known) return { ok: false, message: `Unknown Well-Architected framework version ${version} (known: ${Object.keys(WAF_BEST_PRACTICES).join(', ')}).` };
    const count = known[area];
    const n = Number(bp);
    if (!count || n < 1 || n > count) return { ok: false, message: `${area}-BP${bp} is not a security best practice in the ${version} framework.` };
    return { ok: true, tag: { family: 'waf', tag, value: `${area}-BP${bp}` } };
  }
  const [prefix, value = ''] = tag.split(/:(.*)/s);
  switch (prefix) {
    case 'principle':
      return value in DESIGN_PRINCIPLES
        ? { ok: true, tag: { family: 'principle', tag, value } }
        : { ok: false, message: `Unknown design principle "${value}" (expected one of ${Object.keys(DESIGN_PRINCIPLES).join(', ')}).` };
    case 'srm':
      return value in RESPONSIBILITY_SIDES
        ? { ok: true, tag: { family: 'srm', tag, value } }
        : { ok: false, message: `Unknown shared-responsibility side "${value}" (expected customer, aws or shared).` };
    case 'phase': {
      const phase = PHASE_ALIASES[value];
      return phase
        ? { ok: true, tag: { family: 'phase', tag, value: phase } }
        : { ok: false, message: `Unknown incident-response phase "${value}" (expected one of ${Object.keys(PHASE_ALIASES).join(', ')}).` };
    }
    default:
      return {
        ok: false,
        message: `"${tag}" is not a tag: write WAF-<version>:SECnn-BPnn, principle:<name>, srm:<customer|aws|shared> or phase:<name>.`,
      };
  }
}
