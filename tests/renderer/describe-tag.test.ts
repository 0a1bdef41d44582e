/**
 * The renderer words tags (describe-tag.ts) for display, whatever the string;
 * core reads and checks them (parseTag). Both take the vocabulary from core:
 * this holds them to one reading — every tag core accepts is shown in the
 * family core reads it in, with the vocabulary's words.
 */
import { describe, expect, it } from 'vitest';
import { DESIGN_PRINCIPLES, PHASE_ALIASES, PHASE_LABELS, RESPONSIBILITY_SIDES, WAF_BEST_PRACTICE_TITLES } from '../../src-main/api/vocabulary.ts';
import { parseTag } from '../../src-main/core/scenario/tags.ts';
import { describeTag } from '../../src-renderer/src/components/tags/describe-tag.ts';

const accepted = [
  ...Object.keys(DESIGN_PRINCIPLES).map((p) => `principle:${p}`),
  ...Object.keys(RESPONSIBILITY_SIDES).map((s) => `srm:${s}`),
  ...Object.keys(PHASE_ALIASES).map((p) => `phase:${p}`),
  ...Object.entries(WAF_BEST_PRACTICE_TITLES).flatMap(([version, practices]) => Object.keys(practices).map((bp) => `WAF-${version}:${bp}`)),
];

describe('describeTag and parseTag read tags alike', () => {
  it.each(accepted)('%s', (tag) => {
    const parsed = parseTag(tag);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const view = describeTag(tag);
    expect(view.family).toBe(parsed.tag.family);
    if (parsed.tag.family === 'waf') expect(view.label).toBe(parsed.tag.value);
    if (parsed.tag.family === 'principle') expect(view.label).toBe(DESIGN_PRINCIPLES[parsed.tag.value as keyof typeof DESIGN_PRINCIPLES]);
    if (parsed.tag.family === 'phase') expect(view.label).toBe(PHASE_LABELS[tag.slice('phase:'.length)]);
  });

  it('still shows what core refuses, as written', () => {
    for (const tag of ['nonsense', 'x:y', '']) {
      expect(parseTag(tag).ok).toBe(false);
      expect(describeTag(tag)).toMatchObject({ tag, family: 'other', label: tag });
    }
  });
});
