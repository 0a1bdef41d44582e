/**
 * The room's spotlight (projector and phones) says whom the spotlit item is
 * for, with the same "For: …" label as the evidence everywhere else: on a
 * whole item and on one CloudTrail record of it; and nothing for an item for
 * everyone. The evidence is a bundled scenario's real CloudTrail records.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { Evidence } from '../../src-main/core/scenario/schema.ts';
import Spotlight from '../../src-renderer/src/features/room/Spotlight.svelte';

const scenario = JSON.parse(readFileSync(join(process.cwd(), 'scenarios/sample-leaked-key.json'), 'utf8')) as { evidence: Evidence[] };
const trail = scenario.evidence.find((e): e is Extract<Evidence, { kind: 'cloudtrail' }> => e.kind === 'cloudtrail')!;
const note: Evidence = { id: 'ev-note', kind: 'note', caption: 'Board briefing draft', body: 'For the CISO only.' };

const mounted: ReturnType<typeof mount>[] = [];
afterEach(() => {
  for (const m of mounted.splice(0)) void unmount(m);
  document.body.innerHTML = '';
});

function render(props: { spotlight: { evidence: Evidence; record: number | null }; audience?: readonly string[] }): HTMLElement {
  const target = document.createElement('div');
  document.body.append(target);
  mounted.push(mount(Spotlight, { target, props }));
  flushSync();
  return target;
}

const label = (target: HTMLElement) => target.querySelector('[data-testid="evidence-audience"]')?.textContent ?? null;

describe('Spotlight', () => {
  it('labels a whole item addressed to some roles, in its header', () => {
    const target = render({ spotlight: { evidence: note, record: null }, audience: ['Incident commander', 'AppSec'] });
    expect(label(target)).toBe('For: Incident commander, AppSec');
    expect(target.querySelector('header')?.textContent).toContain('For: Incident commander, AppSec');
  });

  it('labels one record of a CloudTrail item the same way', () => {
    const target = render({ spotlight: { evidence: trail, record: 1 }, audience: ['Cloud platform engineer'] });
    expect(target.textContent).toContain(`record 2 of ${trail.records.length}`);
    expect(label(target)).toBe('For: Cloud platform engineer');
  });

  it('says nothing of an item for everyone', () => {
    expect(label(render({ spotlight: { evidence: trail, record: 0 } }))).toBeNull();
    expect(label(render({ spotlight: { evidence: note, record: null }, audience: [] }))).toBeNull();
  });
});
