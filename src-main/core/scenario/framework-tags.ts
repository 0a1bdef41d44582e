/**
 * Where a scenario uses the framework constructs of format 1.1: tags of the
 * `playbook:`, `attack:` and `csf:` families (wherever a tag may be written)
 * and `meta.critical`. semantic-checks.ts (through version-gate.ts) refuses them in a file that declares
 * version 1, and refuses framework tags as score keys (they name what a
 * scenario exercises; points are scored on the pillar, principles, sides and
 * phases). Pure.
 */
import type { Scenario } from './schema.ts';
import { isFrameworkFamily, parseTag } from './tags.ts';

type Segment = string | number;

export interface FrameworkUse {
  path: Segment[];
  construct: string;
}

const FAMILY_NAMES = { playbook: 'An AWS incident-response playbook tag', attack: 'A MITRE ATT&CK technique tag', csf: 'A NIST CSF 2.0 category tag' } as const;

function frameworkConstruct(tag: string): string | null {
  const parsed = parseTag(tag);
  if (!parsed.ok || !isFrameworkFamily(parsed.tag.family)) return null;
  return `${FAMILY_NAMES[parsed.tag.family]} ("${tag}")`;
}

/** Every tag a scenario writes, with its path (meta, objectives, timeline nodes and options, contingencies, the guide). */
export function* scenarioTags(scenario: Scenario): Generator<{ path: Segment[]; tag: string }> {
  const list = function* (tags: readonly string[], base: Segment[]) {
    for (let i = 0; i < tags.length; i++) yield { path: [...base, i], tag: tags[i]! };
  };
  yield* list(scenario.meta.tags, ['meta', 'tags']);
  for (let i = 0; i < scenario.objectives.length; i++) yield* list(scenario.objectives[i]!.tags, ['objectives', i, 'tags']);
  for (let i = 0; i < scenario.timeline.length; i++) {
    const node = scenario.timeline[i]!;
    if (node.type === 'inject' || node.type === 'decision') yield* list(node.tags, ['timeline', i, 'tags']);
    if (node.type === 'decision') {
      for (let k = 0; k < node.options.length; k++) yield* list(node.options[k]!.tags, ['timeline', i, 'options', k, 'tags']);
    }
  }
  for (let i = 0; i < scenario.contingencies.length; i++) yield* list(scenario.contingencies[i]!.tags, ['contingencies', i, 'tags']);
  for (let i = 0; i < scenario.guide.phaseQuestions.length; i++) yield { path: ['guide', 'phaseQuestions', i, 'phase'], tag: scenario.guide.phaseQuestions[i]!.phase };
  for (let i = 0; i < scenario.guide.debrief.preventedBy.length; i++)
    yield { path: ['guide', 'debrief', 'preventedBy', i, 'tag'], tag: scenario.guide.debrief.preventedBy[i]!.tag };
}

/** The 1.1 framework constructs a scenario uses, each with its path. */
export function frameworkUses(scenario: Scenario): FrameworkUse[] {
  const uses: FrameworkUse[] = [];
  if (scenario.meta.critical !== undefined) uses.push({ path: ['meta', 'critical'], construct: 'A critical scenario ("critical")' });
  for (const { path, tag } of scenarioTags(scenario)) {
    const construct = frameworkConstruct(tag);
    if (construct) uses.push({ path, construct });
  }
  return uses;
}

/** Framework tags written as score keys (options' and random outcomes' consequences), which carry no points. */
export function frameworkScoreKeys(scenario: Scenario): Array<{ path: Segment[]; tag: string }> {
  const found: Array<{ path: Segment[]; tag: string }> = [];
  const check = (score: Readonly<Record<string, number>> | undefined, base: Segment[]) => {
    for (const tag of Object.keys(score ?? {})) if (frameworkConstruct(tag)) found.push({ path: [...base, 'score', tag], tag });
  };
  scenario.timeline.forEach((node, i) => {
    if (node.type === 'decision') node.options.forEach((o, k) => check(o.consequences.score, ['timeline', i, 'options', k, 'consequences']));
    if (node.type === 'random') node.outcomes.forEach((o, k) => check(o.consequences.score, ['timeline', i, 'outcomes', k, 'consequences']));
  });
  return found;
}
