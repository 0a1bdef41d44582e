/**
 * Tag vocabulary shared by objectives, injects, options and scores.
 *
 * Tags are plain strings so that authors can write them quickly, each in one
 * of four families:
 *  - `WAF-2024-06-27:SEC02-BP02`  a Well-Architected best practice, with the framework version
 *  - `principle:traceability`      a security-pillar design principle
 *  - `srm:customer`                a side of the shared responsibility model (customer / aws / shared)
 *  - `phase:containment`           an incident-response phase, in the AWS, NIST SP 800-61 or PICERL vocabulary
 * and, from format 1.1, three framework families checked against the
 * vocabularies shipped in ../frameworks (each with its source and version):
 *  - `playbook:IRP-CredCompromise` an AWS incident-response playbook (aws-samples/aws-incident-response-playbooks)
 *  - `attack:T1078.004`            a MITRE ATT&CK technique or sub-technique of the cloud matrices
 *  - `csf:PR.AA`                   a NIST CSF 2.0 category
 */
import { ATTACK_BY_ID, ATTACK_VOCABULARY, closestId, CSF_BY_ID, CSF_VOCABULARY, PLAYBOOKS_BY_ID, PLAYBOOK_VOCABULARY } from '../frameworks/index.ts';

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

/** How each phase name an author may write reads in words (canonical names and aliases). */
export const PHASE_LABELS: Readonly<Record<string, string>> = {
  ...PHASES,
  'detection-and-analysis': 'Detection and analysis',
  'containment-eradication-recovery': 'Containment, eradication and recovery',
  'post-incident-activity': 'Post-incident activity',
  identification: 'Identification',
  'lessons-learned': 'Lessons learned',
};

/** Titles of the Well-Architected security best practices, framework 2024-06-27. */
export const WAF_BEST_PRACTICE_TITLES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  '2024-06-27': {
    'SEC01-BP01': 'Separate workloads using accounts',
    'SEC01-BP02': 'Secure account root user and properties',
    'SEC01-BP03': 'Identify and validate control objectives',
    'SEC01-BP04': 'Stay up to date with security threats and recommendations',
    'SEC01-BP05': 'Reduce security management scope',
    'SEC01-BP06': 'Automate deployment of standard security controls',
    'SEC01-BP07': 'Identify threats and prioritize mitigations using a threat model',
    'SEC01-BP08': 'Evaluate and implement new security services and features regularly',
    'SEC02-BP01': 'Use strong sign-in mechanisms',
    'SEC02-BP02': 'Use temporary credentials',
    'SEC02-BP03': 'Store and use secrets securely',
    'SEC02-BP04': 'Rely on a centralized identity provider',
    'SEC02-BP05': 'Audit and rotate credentials periodically',
    'SEC02-BP06': 'Employ user groups and attributes',
    'SEC03-BP01': 'Define access requirements',
    'SEC03-BP02': 'Grant least privilege access',
    'SEC03-BP03': 'Establish emergency access process',
    'SEC03-BP04': 'Reduce permissions continuously',
    'SEC03-BP05': 'Define permission guardrails for your organization',
    'SEC03-BP06': 'Manage access based on lifecycle',
    'SEC03-BP07': 'Analyze public and cross-account access',
    'SEC03-BP08': 'Share resources securely within your organization',
    'SEC03-BP09': 'Share resources securely with a third party',
    'SEC04-BP01': 'Configure service and application logging',
    'SEC04-BP02': 'Capture logs, findings, and metrics in standardized locations',
    'SEC04-BP03': 'Correlate and enrich security alerts',
    'SEC04-BP04': 'Initiate remediation for non-compliant resources',
    'SEC05-BP01': 'Create network layers',
    'SEC05-BP02': 'Control traffic flow within your network layers',
    'SEC05-BP03': 'Implement inspection-based protection',
    'SEC05-BP04': 'Automate network protection',
    'SEC06-BP01': 'Perform vulnerability management',
    'SEC06-BP02': 'Provision compute from hardened images',
    'SEC06-BP03': 'Reduce manual management and interactive access',
    'SEC06-BP04': 'Validate software integrity',
    'SEC06-BP05': 'Automate compute protection',
    'SEC07-BP01': 'Understand your data classification scheme',
    'SEC07-BP02': 'Apply data protection controls based on data sensitivity',
    'SEC07-BP03': 'Automate identification and classification',
    'SEC07-BP04': 'Define scalable data lifecycle management',
    'SEC08-BP01': 'Implement secure key management',
    'SEC08-BP02': 'Enforce encryption at rest',
    'SEC08-BP03': 'Automate data at rest protection',
    'SEC08-BP04': 'Enforce access control',
    'SEC09-BP01': 'Implement secure key and certificate management',
    'SEC09-BP02': 'Enforce encryption in transit',
    'SEC09-BP03': 'Authenticate network communications',
    'SEC10-BP01': 'Identify key personnel and external resources',
    'SEC10-BP02': 'Develop incident management plans',
    'SEC10-BP03': 'Prepare forensic capabilities',
    'SEC10-BP04': 'Develop and test security incident response playbooks',
    'SEC10-BP05': 'Pre-provision access',
    'SEC10-BP06': 'Pre-deploy tools',
    'SEC10-BP07': 'Run simulations',
    'SEC10-BP08': 'Establish a framework for learning from incidents',
    'SEC11-BP01': 'Train for application security',
    'SEC11-BP02': 'Automate testing throughout the development and release lifecycle',
    'SEC11-BP03': 'Perform regular penetration testing',
    'SEC11-BP04': 'Conduct code reviews',
    'SEC11-BP05': 'Centralize services for packages and dependencies',
    'SEC11-BP06': 'Deploy software programmatically',
    'SEC11-BP07': 'Regularly assess security properties of the pipelines',
    'SEC11-BP08': 'Build a program that embeds security ownership in workload teams',
  },
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
export const TAG_PATTERN =
  /^(WAF-\d{4}-\d{2}-\d{2}:SEC\d{2}-BP\d{2}|principle:[a-z-]+|srm:(customer|aws|shared)|phase:[a-z-]+|playbook:IRP-[A-Za-z0-9_-]+|attack:T\d{4}(\.\d{3})?|csf:(GV|ID|PR|DE|RS|RC)\.[A-Z]{2})$/;

export type TagFamily = 'waf' | 'principle' | 'srm' | 'phase' | FrameworkTagFamily;

/** The tag families added in format 1.1, checked against the shipped framework vocabularies. */
export const FRAMEWORK_TAG_FAMILIES = ['playbook', 'attack', 'csf'] as const;
export type FrameworkTagFamily = (typeof FRAMEWORK_TAG_FAMILIES)[number];

export function isFrameworkFamily(family: TagFamily): family is FrameworkTagFamily {
  return (FRAMEWORK_TAG_FAMILIES as readonly string[]).includes(family);
}

const didYouMean = (written: string, ids: Iterable<string>, prefix: string) => {
  const best = closestId(written, ids);
  return best === undefined ? '' : ` (did you mean "${prefix}:${best}"?)`;
};

/** A framework tag's id looked up in its shipped vocabulary; the message names the vocabulary's version. */
function parseFrameworkTag(prefix: FrameworkTagFamily, tag: string, value: string): { ok: true; tag: ParsedTag } | { ok: false; message: string } {
  switch (prefix) {
    case 'playbook':
      return PLAYBOOKS_BY_ID.has(value)
        ? { ok: true, tag: { family: 'playbook', tag, value } }
        : {
            ok: false,
            message: `Unknown AWS incident-response playbook "${value}" (playbooks of aws-incident-response-playbooks at ${PLAYBOOK_VOCABULARY.version.slice(0, 7)}, e.g. IRP-CredCompromise)${didYouMean(value, PLAYBOOKS_BY_ID.keys(), 'playbook')}.`,
          };
    case 'attack':
      if (ATTACK_BY_ID.has(value)) return { ok: true, tag: { family: 'attack', tag, value } };
      if (!/^T\d{4}(\.\d{3})?$/.test(value)) {
        return { ok: false, message: `"${value}" is not an ATT&CK technique id: write attack:T1234 or attack:T1234.001${didYouMean(value, ATTACK_BY_ID.keys(), 'attack')}.` };
      }
      return {
        ok: false,
        message: `${value} is not a technique of ATT&CK v${ATTACK_VOCABULARY.version}'s cloud matrices (IaaS, SaaS, Office Suite, Identity Provider)${didYouMean(value, ATTACK_BY_ID.keys(), 'attack')}.`,
      };
    case 'csf':
      return CSF_BY_ID.has(value)
        ? { ok: true, tag: { family: 'csf', tag, value } }
        : { ok: false, message: `Unknown NIST CSF ${CSF_VOCABULARY.version} category "${value}" (GV.OC … RC.CO)${didYouMean(value, CSF_BY_ID.keys(), 'csf')}.` };
  }
}

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
    case 'playbook':
    case 'attack':
    case 'csf':
      return parseFrameworkTag(prefix, tag, value);
    default:
      return {
        ok: false,
        message: `"${tag}" is not a tag: write WAF-<version>:SECnn-BPnn, principle:<name>, srm:<customer|aws|shared>, phase:<name>, playbook:IRP-<name>, attack:T<nnnn>[.nnn] or csf:<XX.YY>.`,
      };
  }
}

/**
 * The tag under which points and phases are counted: a phase alias folds into
 * its canonical phase (`phase:containment-eradication-recovery` →
 * `phase:containment`, `phase:identification` → `phase:detection`); every
 * other tag is returned as written (a Well-Architected tag keeps its framework
 * version). Uses `parseTag`, the one reading of tags.
 */
export function canonicalTag(tag: string): string {
  const parsed = parseTag(tag);
  return parsed.ok && parsed.tag.family === 'phase' ? `phase:${parsed.tag.value}` : tag;
}
