/**
 * Readable labels for scenario tags, from the vocabulary the validator checks
 * against (src-main/api/vocabulary.ts). A tag it does not know is still
 * shown, as written.
 */
import {
  ATTACK_VOCABULARY,
  attackFullName,
  CSF_VOCABULARY,
  csfFullName,
  DESIGN_PRINCIPLES,
  PHASE_LABELS,
  PLAYBOOK_VOCABULARY,
  PLAYBOOKS_BY_ID,
  RESPONSIBILITY_SIDES,
  WAF_BEST_PRACTICE_TITLES,
  WAF_TAG_PATTERN,
} from '../../../../src-main/api/vocabulary.ts';

export type TagFamily = 'waf' | 'principle' | 'srm' | 'phase' | 'playbook' | 'attack' | 'csf' | 'other';

export interface TagView {
  tag: string;
  family: TagFamily;
  /** Short name of the family, shown before the label ("Best practice", "Phase"...). */
  familyLabel: string;
  /** The tag in words, e.g. "SEC10-BP01" or "Maintain traceability". */
  label: string;
  /** The shortest readable form, for a one-line summary: the framework's code ("SEC10-BP01", "T1078", "RS.MA", "IRP-CredCompromise") or, for a family without codes, the label. */
  code: string;
  /** A full sentence for a tooltip or screen reader. */
  description: string;
}

const PRINCIPLES: Readonly<Record<string, string>> = DESIGN_PRINCIPLES;
const SIDES: Readonly<Record<string, string>> = RESPONSIBILITY_SIDES;
const WAF = WAF_TAG_PATTERN;

/** A framework code with its name where the vocabulary knows it ("T1078 Valid Accounts", or with `between` " — "); the code alone otherwise. */
function named(code: string, name: string | undefined, between = ' '): string {
  return name ? `${code}${between}${name}` : code;
}

function humanise(value: string): string {
  const words = value.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Describes a tag for display; never throws, whatever the string. */
export function describeTag(tag: string): TagView {
  const waf = WAF.exec(tag);
  if (waf) {
    const [, version, area, number] = waf as unknown as [string, string, string, string];
    const practice = `${area}-BP${number}`;
    const title = WAF_BEST_PRACTICE_TITLES[version]?.[practice];
    return {
      tag,
      family: 'waf',
      familyLabel: 'Best practice',
      label: practice,
      code: practice,
      description: `Well-Architected security best practice ${practice}${title ? ` — ${title}` : ''} (framework version ${version})`,
    };
  }
  const colon = tag.indexOf(':');
  const prefix = colon > 0 ? tag.slice(0, colon) : '';
  const value = colon > 0 ? tag.slice(colon + 1) : tag;
  switch (prefix) {
    case 'principle': {
      const label = PRINCIPLES[value] ?? humanise(value);
      return { tag, family: 'principle', familyLabel: 'Principle', label, code: label, description: `Security design principle: ${label}` };
    }
    case 'srm': {
      const label = SIDES[value] ?? humanise(value);
      return { tag, family: 'srm', familyLabel: 'Responsibility', label, code: label, description: `Shared responsibility model: ${label}` };
    }
    case 'phase': {
      const label = PHASE_LABELS[value] ?? humanise(value);
      return { tag, family: 'phase', familyLabel: 'Phase', label, code: label, description: `Incident-response phase: ${label}` };
    }
    case 'playbook': {
      const playbook = PLAYBOOKS_BY_ID.get(value);
      return {
        tag,
        family: 'playbook',
        familyLabel: 'Playbook',
        label: named(value, playbook?.name),
        code: value,
        description: `AWS incident-response playbook ${value}${playbook ? ` — ${playbook.name}: ${playbook.description}` : ''} (aws-incident-response-playbooks ${PLAYBOOK_VOCABULARY.version.slice(0, 7)})`,
      };
    }
    case 'attack': {
      const name = attackFullName(value);
      const description = `MITRE ATT&CK technique ${named(value, name, ' — ')} (ATT&CK v${ATTACK_VOCABULARY.version})`;
      return { tag, family: 'attack', familyLabel: 'ATT&CK', label: named(value, name), code: value, description };
    }
    case 'csf': {
      const name = csfFullName(value);
      const description = `NIST CSF ${CSF_VOCABULARY.version} category ${named(value, name, ' — ')}`;
      return { tag, family: 'csf', familyLabel: 'CSF 2.0', label: named(value, name), code: value, description };
    }
    default:
      return { tag, family: 'other', familyLabel: 'Tag', label: tag, code: tag, description: `Tag ${tag}` };
  }
}

/** The families in the order a summary lists them (the order TagList's header names them). */
const FAMILY_ORDER: readonly TagFamily[] = ['waf', 'principle', 'srm', 'phase', 'playbook', 'attack', 'csf', 'other'];

/** One family's line of a tag summary: its first codes, how many more it has, and every one of its tags described. */
export interface TagFamilyLine {
  family: TagFamily;
  familyLabel: string;
  /** The codes shown, at most `shown` of them, in the order the tags came. */
  codes: readonly string[];
  /** How many of the family's tags are not among `codes`. */
  more: number;
  /** Every tag of the family described, one per line (for a tooltip). */
  description: string;
  /** Every tag of the family, in the order the tags came (a repeated tag once). */
  tags: readonly TagView[];
}

/**
 * The tags grouped by family, one line each in a fixed order, each naming at
 * most `shown` codes ("Best practice: SEC10-BP03 · SEC10-BP06 · +4 more"): a
 * card's coverage at a glance, whatever the number of tags. A repeated tag counts once.
 */
export function summariseTags(tags: readonly string[], shown = 3): TagFamilyLine[] {
  const byFamily = new Map<TagFamily, TagView[]>();
  for (const tag of new Set(tags)) {
    const view = describeTag(tag);
    const views = byFamily.get(view.family);
    if (views) views.push(view);
    else byFamily.set(view.family, [view]);
  }
  return FAMILY_ORDER.flatMap((family) => {
    const views = byFamily.get(family);
    if (!views) return [];
    return [
      {
        family,
        familyLabel: views[0]!.familyLabel,
        codes: views.slice(0, shown).map((view) => view.code),
        more: Math.max(0, views.length - shown),
        description: views.map((view) => view.description).join('\n'),
        tags: views,
      },
    ];
  });
}
