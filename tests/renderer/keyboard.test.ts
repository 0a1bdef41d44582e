import { afterEach, describe, expect, it, vi } from 'vitest';
import { isTypingTarget, matchShortcut, spaceActivates, TYPING_GRACE_MS, type Shortcut } from '../../src-renderer/src/lib/keyboard.ts';

const SHORTCUTS: Shortcut<'next' | 'pause' | 'help'>[] = [
  { action: 'next', keys: ['n'], label: 'N', description: 'Next inject' },
  { action: 'pause', keys: [' '], label: 'Space', description: 'Pause or resume' },
  { action: 'help', keys: ['?'], label: '?', description: 'Shortcuts' },
];

afterEach(() => {
  document.body.innerHTML = '';
});

function element<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  document.body.append(el);
  return el;
}

/** Dispatches a real keydown on `target` and returns what matchShortcut made of it. */
function press(target: EventTarget, key: string, init: KeyboardEventInit = {}) {
  let matched: ReturnType<typeof matchShortcut> = null;
  const listener = (event: Event) => {
    matched = matchShortcut(event as KeyboardEvent, SHORTCUTS);
  };
  window.addEventListener('keydown', listener);
  target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init }));
  window.removeEventListener('keydown', listener);
  return matched as ReturnType<typeof matchShortcut>;
}

describe('keyboard shortcuts', () => {
  it('knows where keys are typing: text fields, text areas, selects and editable elements, not buttons or checkboxes', () => {
    expect(isTypingTarget(element('input'))).toBe(true);
    expect(isTypingTarget(element('input', { type: 'search' }))).toBe(true);
    expect(isTypingTarget(element('textarea'))).toBe(true);
    expect(isTypingTarget(element('select'))).toBe(true);
    expect(isTypingTarget(element('input', { type: 'checkbox' }))).toBe(false);
    expect(isTypingTarget(element('button'))).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });

  it('leaves Space to what it already presses', () => {
    expect(spaceActivates(element('button'))).toBe(true);
    expect(spaceActivates(element('div', { role: 'tab' }))).toBe(true);
    expect(spaceActivates(element('input', { type: 'checkbox' }))).toBe(true);
    expect(spaceActivates(element('div'))).toBe(false);
  });

  it('fires on the page, case-insensitively, and not with modifiers, on auto-repeat, in a field or under a modal dialog', () => {
    const page = element('div');
    expect(press(page, 'n')?.shortcut.action).toBe('next');
    expect(press(page, 'N')?.shortcut.action).toBe('next');
    expect(press(page, '?')?.shortcut.action).toBe('help');
    expect(press(page, 'x')).toBeNull();
    expect(press(page, 'n', { ctrlKey: true })).toBeNull();
    expect(press(page, 'n', { metaKey: true })).toBeNull();
    expect(press(page, 'n', { repeat: true })).toBeNull();
    expect(press(element('button'), ' ')).toBeNull();
    expect(press(page, ' ')?.shortcut.action).toBe('pause');
    const dialog = element('dialog');
    dialog.setAttribute('open', '');
    expect(press(page, 'n')).toBeNull();
    dialog.remove();
    expect(press(page, 'n')?.shortcut.action).toBe('next');
  });

  it('stays off for a moment after a key typed into a field, so the rest of a word does not become commands', () => {
    const now = vi.spyOn(performance, 'now');
    try {
      const field = element('input');
      const page = element('div');
      now.mockReturnValue(10_000);
      field.dispatchEvent(new KeyboardEvent('keydown', { key: 'a', bubbles: true }));
      expect(press(field, 'n')).toBeNull();
      // The same key on the page within the grace period, then after it.
      now.mockReturnValue(10_000 + TYPING_GRACE_MS / 2);
      expect(press(page, 'n')).toBeNull();
      now.mockReturnValue(10_000 + TYPING_GRACE_MS + 50);
      expect(press(page, 'n')?.shortcut.action).toBe('next');
    } finally {
      now.mockRestore();
    }
  });
});
