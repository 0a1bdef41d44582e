/**
 * The console's unsent drafts (lib/state/session.svelte.ts): kept per field,
 * followed by the screen as they change, and restored from this tab's
 * sessionStorage when the page is reloaded.
 */
import { flushSync } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { Drafts } from '../../src-renderer/src/lib/state/session.svelte.ts';

afterEach(() => sessionStorage.clear());

describe('Drafts', () => {
  it('keeps each field, forgets an emptied one, and clears by prefix or by what was sent', () => {
    const drafts = new Drafts('s1');
    drafts.set('team-1/d1/option', 'deactivate');
    drafts.set('team-1/d1/rationale', 'Reversible');
    drafts.set('team-2/d1/option', 'wait');
    expect(drafts.get('team-1/d1/option')).toBe('deactivate');
    expect(drafts.keys('team-1/').sort()).toEqual(['team-1/d1/option', 'team-1/d1/rationale']);

    drafts.set('team-2/d1/option', '');
    expect(drafts.keys('team-2/')).toEqual([]);

    // Text typed while the call was in flight stays.
    drafts.set('team-1/d1/rationale', 'Reversible, and quick');
    drafts.clearSent('team-1/d1/', { option: 'deactivate', rationale: 'Reversible' });
    expect(drafts.keys('team-1/')).toEqual(['team-1/d1/rationale']);

    drafts.clear('team-1/');
    expect(drafts.keys('')).toEqual([]);
  });

  it("survives a reload of the page (this tab's sessionStorage), per session", () => {
    new Drafts('s1').set('note', 'Named an incident commander');
    // Stored as a plain JSON object of field → text, as earlier versions of the page wrote it.
    expect(JSON.parse(sessionStorage.getItem('sandtable.drafts.s1') ?? 'null')).toEqual({ note: 'Named an incident commander' });
    expect(new Drafts('s1').get('note')).toBe('Named an incident commander');
    expect(new Drafts('s2').get('note')).toBe('');

    sessionStorage.setItem('sandtable.drafts.s3', '{"note": 7, "other": "kept"}');
    const restored = new Drafts('s3');
    expect(restored.keys('')).toEqual(['other']);
    sessionStorage.setItem('sandtable.drafts.s4', 'not json');
    expect(new Drafts('s4').keys('')).toEqual([]);
  });

  it('is followed by what reads it', () => {
    const drafts = new Drafts('s1');
    const seen: Array<[string, number]> = [];
    const stop = $effect.root(() => {
      $effect(() => {
        seen.push([drafts.get('note'), drafts.keys('').length]);
      });
    });
    flushSync();
    drafts.set('note', 'First');
    flushSync();
    drafts.set('note', '');
    flushSync();
    stop();
    expect(seen).toEqual([
      ['', 0],
      ['First', 1],
      ['', 0],
    ]);
  });
});
