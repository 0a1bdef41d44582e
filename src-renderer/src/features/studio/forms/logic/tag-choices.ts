/**
 * The tag vocabularies as picker choices, grouped by family, from the same
 * lists the validator checks tags against (src-main/api/vocabulary.ts and
 * api/studio-vocabulary.ts).
 */
import { ATTACK_TECHNIQUES, CSF_CATEGORIES, PLAYBOOKS } from '../../../../../../src-main/api/studio-vocabulary.ts';
import { DESIGN_PRINCIPLES, PHASES, RESPONSIBILITY_SIDES, WAF_BEST_PRACTICE_TITLES } from '../../../../../../src-main/api/vocabulary.ts';
import type { GroupedChoice } from '../model.ts';

function build(): GroupedChoice[] {
  const choices: GroupedChoice[] = [];
  for (const [version, titles] of Object.entries(WAF_BEST_PRACTICE_TITLES)) {
    for (const [practice, title] of Object.entries(titles))
      choices.push({ group: `Well-Architected best practice (${version})`, value: `WAF-${version}:${practice}`, label: `${practice} — ${title}` });
  }
  for (const [id, label] of Object.entries(DESIGN_PRINCIPLES)) choices.push({ group: 'Design principle', value: `principle:${id}`, label });
  for (const [id, label] of Object.entries(RESPONSIBILITY_SIDES)) choices.push({ group: 'Shared responsibility', value: `srm:${id}`, label });
  for (const [id, label] of Object.entries(PHASES)) choices.push({ group: 'Incident-response phase', value: `phase:${id}`, label });
  for (const p of PLAYBOOKS) choices.push({ group: 'AWS incident-response playbook', value: `playbook:${p.id}`, label: `${p.id} — ${p.name}` });
  for (const t of ATTACK_TECHNIQUES) choices.push({ group: 'MITRE ATT&CK technique', value: `attack:${t.id}`, label: `${t.id} — ${t.name}` });
  for (const c of CSF_CATEGORIES) choices.push({ group: 'NIST CSF 2.0 category', value: `csf:${c.id}`, label: `${c.id} — ${c.name}` });
  return choices;
}

let cached: GroupedChoice[] | null = null;

/** Every tag an author may pick, grouped by family. */
export function tagChoices(): readonly GroupedChoice[] {
  cached ??= build();
  return cached;
}

/** The phase tags only (a guide's phase questions are keyed by phase). */
export function phaseChoices(): readonly GroupedChoice[] {
  return tagChoices().filter((c) => c.value.startsWith('phase:'));
}

/** The tags points may be scored against: framework tags (playbooks, ATT&CK, CSF) name what is exercised and carry no points. */
export function scoreChoices(): readonly GroupedChoice[] {
  return tagChoices().filter((c) => !/^(playbook|attack|csf):/.test(c.value));
}
