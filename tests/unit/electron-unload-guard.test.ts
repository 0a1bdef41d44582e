import { describe, expect, it } from 'vitest';
import { leavesAnyway, UNSAVED_CHANGES_PROMPT } from '../../src-main/hosts/electron/unload-guard.ts';

describe('closing the console while the studio has unsaved changes', () => {
  it('asks, with staying as the default and as what Escape does', () => {
    expect(UNSAVED_CHANGES_PROMPT.buttons[UNSAVED_CHANGES_PROMPT.defaultId]).toBe('Stay');
    expect(UNSAVED_CHANGES_PROMPT.buttons[UNSAVED_CHANGES_PROMPT.cancelId]).toBe('Stay');
  });

  it('lets the page go only when "Leave anyway" is pressed', () => {
    expect(UNSAVED_CHANGES_PROMPT.buttons.map((_, i) => leavesAnyway(i))).toEqual([false, true]);
    expect(leavesAnyway(-1)).toBe(false);
    expect(leavesAnyway(7)).toBe(false);
  });
});
