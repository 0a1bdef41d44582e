/**
 * TagList draws its chips itself (an attachment, not an each-block): it must
 * redraw them when the list changes while it stays mounted (the console's
 * step, a studio edit), and put tag text into the page as text only.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import TagList from '../../src-renderer/src/components/tags/TagList.svelte';

// A bundled scenario's own tags: every family the chips colour.
const bundled = (JSON.parse(readFileSync(join(process.cwd(), 'scenarios/01-leaked-access-keys.json'), 'utf8')) as { meta: { tags: string[] } }).meta.tags;

const mounted: ReturnType<typeof mount>[] = [];
afterEach(() => {
  for (const m of mounted.splice(0)) void unmount(m);
  document.body.innerHTML = '';
});

function render(props: { tags: readonly string[]; label?: string }): HTMLElement {
  const target = document.createElement('div');
  document.body.append(target);
  mounted.push(mount(TagList, { target, props }));
  flushSync();
  return target;
}

const chips = (target: HTMLElement) =>
  [...target.querySelectorAll('li')].map((li) => ({
    className: li.className,
    family: li.querySelector('.family')?.textContent,
    label: li.querySelector('.label')?.textContent,
    title: li.title,
    text: li.textContent,
  }));

describe('TagList', () => {
  it('draws one chip per tag, family written out, the list named', () => {
    const target = render({ tags: bundled, label: 'Tags of Leaked keys' });
    expect(target.querySelector('ul')?.getAttribute('aria-label')).toBe('Tags of Leaked keys');
    const drawn = chips(target);
    expect(drawn).toHaveLength(bundled.length);
    expect(drawn[0]).toMatchObject({ className: 'chip family-srm', family: 'Responsibility' });
    expect(drawn.find((c) => c.label === 'SEC02-BP02')).toMatchObject({ className: 'chip family-waf', family: 'Best practice', text: 'Best practice SEC02-BP02' });
    expect(drawn.find((c) => c.className === 'chip family-csf')?.title).toContain('RS.MA');
  });

  it('redraws when the list changes in place or is replaced, and is gone when empty', () => {
    const props = $state({ tags: ['phase:containment'] });
    const target = render(props);
    expect(chips(target).map((c) => c.family)).toEqual(['Phase']);

    props.tags.push('srm:customer');
    flushSync();
    expect(chips(target).map((c) => c.family)).toEqual(['Phase', 'Responsibility']);

    props.tags.splice(0, 1);
    flushSync();
    expect(chips(target).map((c) => c.family)).toEqual(['Responsibility']);

    props.tags = [];
    flushSync();
    expect(target.querySelector('ul')).toBeNull();

    props.tags = ['csf:RS.MA', 'csf:RS.MA'];
    flushSync();
    expect(target.querySelectorAll('ul')).toHaveLength(1);
    expect(chips(target)).toHaveLength(2);
  });

  it('puts imported tag text in as text, never as markup', () => {
    const hostile = '<img src=x onerror="globalThis.hit=1">"><b>bold</b>';
    const target = render({ tags: [hostile] });
    expect(target.querySelector('img, b')).toBeNull();
    expect(chips(target)[0]).toMatchObject({ label: hostile, title: expect.stringContaining(hostile) as string });
  });
});
