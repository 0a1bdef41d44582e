import { describe, expect, it } from 'vitest';
import { parseTag, WAF_BEST_PRACTICE_TITLES, WAF_BEST_PRACTICES } from '../../src-main/core/scenario/tags.ts';

describe('tag vocabulary', () => {
  it('has a title for every best practice it accepts, and no more', () => {
    for (const [version, areas] of Object.entries(WAF_BEST_PRACTICES)) {
      const expected = Object.entries(areas).flatMap(([area, count]) => Array.from({ length: count }, (_, i) => `${area}-BP${String(i + 1).padStart(2, '0')}`));
      expect(Object.keys(WAF_BEST_PRACTICE_TITLES[version]!).sort()).toEqual(expected.sort());
    }
  });

  it('parses each family and explains what is wrong otherwise', () => {
    expect(parseTag('WAF-2024-06-27:SEC02-BP02')).toEqual({ ok: true, tag: { family: 'waf', tag: 'WAF-2024-06-27:SEC02-BP02', value: 'SEC02-BP02' } });
    expect(parseTag('phase:identification')).toMatchObject({ ok: true, tag: { family: 'phase', value: 'detection' } });
    expect(parseTag('srm:aws')).toMatchObject({ ok: true, tag: { family: 'srm', value: 'aws' } });
    expect(parseTag('principle:traceability')).toMatchObject({ ok: true });
    expect(parseTag('WAF-2024-06-27:SEC02-BP07')).toMatchObject({ ok: false, message: expect.stringContaining('not a security best practice') });
    expect(parseTag('WAF-2019-01-01:SEC02-BP01')).toMatchObject({ ok: false, message: expect.stringContaining('Unknown Well-Architected framework version') });
    expect(parseTag('srm:vendor')).toMatchObject({ ok: false });
    expect(parseTag('phase:panic')).toMatchObject({ ok: false });
    expect(parseTag('hello')).toMatchObject({ ok: false });
  });
});
