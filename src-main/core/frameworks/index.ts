/**
 * The framework vocabularies that ship with Sandtable, offline, each with its
 * source, version and date: the AWS incident-response playbooks, the MITRE
 * ATT&CK techniques of the cloud matrices, and the NIST CSF 2.0 categories.
 * Scenario tags of the `playbook:`, `attack:` and `csf:` families are checked
 * against them (../scenario/tags.ts). Pure data and look-ups.
 */
import attackData from './attack-cloud.json' with { type: 'json' };
import csfData from './nist-csf-2.0.json' with { type: 'json' };
import playbookData from './aws-ir-playbooks.json' with { type: 'json' };
import { editDistance } from '../edit-distance.ts';

/** Where a vocabulary comes from: what the programme view and exports cite. */
export interface VocabularySource {
  framework: string;
  version: string;
  date: string;
  source: string;
}

export interface Playbook {
  id: string;
  name: string;
  category: string;
  description: string;
  path: string;
  /** Whether the playbook's file is in the source repository at the recorded commit. */
  fileAtCommit: boolean;
}

export interface AttackTechnique {
  /** `T1078` or a sub-technique `T1078.004`. */
  id: string;
  name: string;
  tactics: string[];
  /** The cloud platforms it applies to (a parent listed only for its sub-techniques may have none). */
  platforms: string[];
}

export interface CsfCategory {
  /** `PR.AA` */
  id: string;
  name: string;
}

const sourceOf = (data: VocabularySource): VocabularySource => ({ framework: data.framework, version: data.version, date: data.date, source: data.source });

export const PLAYBOOK_VOCABULARY: VocabularySource = sourceOf(playbookData);
export const ATTACK_VOCABULARY: VocabularySource = sourceOf(attackData);
export const CSF_VOCABULARY: VocabularySource = sourceOf(csfData);

export const PLAYBOOKS: readonly Playbook[] = playbookData.playbooks;
export const ATTACK_TECHNIQUES: readonly AttackTechnique[] = attackData.techniques;
export const CSF_FUNCTIONS: ReadonlyArray<{ id: string; name: string }> = csfData.functions;
export const CSF_CATEGORIES: readonly CsfCategory[] = csfData.categories;

const byId = <T extends { id: string }>(items: readonly T[]): ReadonlyMap<string, T> => new Map(items.map((item) => [item.id, item]));
export const PLAYBOOKS_BY_ID = byId(PLAYBOOKS);
export const ATTACK_BY_ID = byId(ATTACK_TECHNIQUES);
export const CSF_BY_ID = byId(CSF_CATEGORIES);
const CSF_FUNCTIONS_BY_ID = byId(CSF_FUNCTIONS);

/** "Valid Accounts: Cloud Accounts" for T1078.004; the technique's own name for a technique. */
export function attackFullName(id: string): string | undefined {
  const technique = ATTACK_BY_ID.get(id);
  if (!technique) return undefined;
  const dot = id.indexOf('.');
  if (dot < 0) return technique.name;
  const parent = ATTACK_BY_ID.get(id.slice(0, dot));
  return parent ? `${parent.name}: ${technique.name}` : technique.name;
}

/** "Protect: Identity Management, Authentication, and Access Control" for PR.AA. */
export function csfFullName(id: string): string | undefined {
  const category = CSF_BY_ID.get(id);
  if (!category) return undefined;
  const fn = CSF_FUNCTIONS_BY_ID.get(id.slice(0, 2));
  return fn ? `${fn.name}: ${category.name}` : category.name;
}

/**
 * The known id closest to what was written, for "did you mean": case and
 * separators forgiven first (`pr-aa` → `PR.AA`, `irp-credcompromise` →
 * `IRP-CredCompromise`), then a few typing slips (edit distance ≤ 3); for an
 * ATT&CK sub-technique that does not exist, its parent.
 */
export function closestId(written: string, ids: Iterable<string>): string | undefined {
  const fold = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  const folded = fold(written);
  let best: string | undefined;
  let bestDistance = Math.min(4, Math.ceil(written.length / 3) + 1);
  for (const id of ids) {
    if (fold(id) === folded) return id;
    const d = editDistance(folded, fold(id), bestDistance);
    if (d < bestDistance) {
      best = id;
      bestDistance = d;
    }
  }
  return best;
}
