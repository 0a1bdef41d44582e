/**
 * A library card shows its scenario's tags as TagSummary: one line per family
 * with its first codes and "+N more", every tag described in the line's
 * tooltip, and one button (aria-expanded) that shows every tag in place with
 * its description as text and folds them back. Read on a bundled scenario's real tags.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import TagSummary from '../../src-renderer/src/components/tags/TagSummary.svelte';
import { describeTag, summariseTags } from '../../src-renderer/src/components/tags/describe-tag.ts';

interface ScenarioFile {
  meta: { tags: string[] };
  timeline: { tags?: string[]; options?: { tags?: string[] }[] }[];
}
const scenario = JSON.parse(readFileSync(join(process.cwd(), 'scenarios/04-ransomware-backup-destruction.json'), 'utf8')) as ScenarioFile;
// The scenario's own tags and its steps' (as the library lists them): many best practices, phases, playbooks.
const tags = [...new Set([...scenario.meta.tags, ...scenario.timeline.flatMap((node) => [...(node.tags ?? []), ...(node.options ?? []).flatMap((o) => o.tags ?? [])])])];

const mounted: ReturnType<typeof mount>[] = [];
afterEach(() => {
  for (const m of mounted.splice(0)) void unmount(m);
  document.body.innerHTML = '';
});

function render(props: { tags: readonly string[]; of: string; shown?: number }): HTMLElement {
  const target = document.createElement('div');
  document.body.append(target);
  mounted.push(mount(TagSummary, { target, props }));
  flushSync();
  return target;
}

const lines = (target: HTMLElement) => [...target.querySelectorAll('ul[aria-label] > li')].map((li) => li.textContent);

describe('summariseTags', () => {
  it('gives one line per family in a fixed order, at most `shown` codes each, the rest counted and described', () => {
    const summary = summariseTags(
      ['phase:containment', 'WAF-2024-06-27:SEC10-BP03', 'WAF-2024-06-27:SEC10-BP06', 'WAF-2024-06-27:SEC10-BP02', 'csf:RS.MA', 'phase:containment'],
      2,
    );
    expect(summary.map((line) => [line.familyLabel, line.codes, line.more])).toEqual([
      ['Best practice', ['SEC10-BP03', 'SEC10-BP06'], 1],
      ['Phase', ['Containment'], 0],
      ['CSF 2.0', ['RS.MA'], 0],
    ]);
    // The tooltip names every tag of the family, the ones not shown too.
    expect(summary[0]!.description.split('\n')).toEqual(['SEC10-BP03', 'SEC10-BP06', 'SEC10-BP02'].map((bp) => describeTag(`WAF-2024-06-27:${bp}`).description));
    expect(summariseTags([])).toEqual([]);
  });

  it('codes are the frameworks’ short forms', () => {
    expect(['attack:T1078', 'csf:RS.MA', 'playbook:IRP-CredCompromise', 'WAF-2024-06-27:SEC10-BP03', 'odd'].map((tag) => describeTag(tag).code)).toEqual([
      'T1078',
      'RS.MA',
      'IRP-CredCompromise',
      'SEC10-BP03',
      'odd',
    ]);
  });
});

describe('TagSummary', () => {
  it('shows a line per family, and every tag as a chip in place with one button, and back', () => {
    const target = render({ tags, of: 'Ransomware' });
    const list = target.querySelector('ul');
    expect(list?.getAttribute('aria-label')).toBe('Tags of Ransomware');
    const summary = summariseTags(tags);
    expect(lines(target)).toHaveLength(summary.length);
    const waf = summary.find((line) => line.family === 'waf')!;
    expect(waf.more).toBeGreaterThan(0);
    expect(lines(target)).toContain(`Best practice ${waf.codes.join(' · ')} · +${waf.more} more`);
    expect(target.querySelector('li.family-waf')?.getAttribute('title')).toBe(waf.description);

    const button = target.querySelector('button')!;
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(button.textContent).toBe(`All ${tags.length} tags of Ransomware`);
    expect(document.getElementById(button.getAttribute('aria-controls')!)?.contains(list)).toBe(true);

    button.click();
    flushSync();
    expect(button.getAttribute('aria-expanded')).toBe('true');
    expect(button.textContent).toBe('Fewer tags of Ransomware');
    // Every tag with its description as text, not only in a tooltip: grouped by family as the lines are.
    const described = [...target.querySelectorAll('ul[aria-label="Tags of Ransomware"] > li')].map((li) => li.textContent);
    expect(described).toHaveLength(tags.length);
    expect(described).toEqual(summary.flatMap((line) => line.tags.map((view) => view.description)));
    expect(new Set(described)).toEqual(new Set(tags.map((tag) => describeTag(tag).description)));
    expect(document.getElementById(button.getAttribute('aria-controls')!)?.querySelector('ul[aria-label="Tags of Ransomware"]')).not.toBeNull();

    button.click();
    flushSync();
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(lines(target)).toHaveLength(summary.length);
  });

  it('draws nothing for no tags, and puts tag text in as text only', () => {
    expect(render({ tags: [], of: 'Nothing' }).innerHTML).not.toContain('<ul');
    const hostile = '<img src=x onerror="globalThis.hit=1">';
    const target = render({ tags: [hostile], of: 'Hostile' });
    expect(target.querySelector('img')).toBeNull();
    expect(lines(target)[0]).toBe(`Tag ${hostile}`);
  });
});
