/**
 * Single-key shortcuts for screens that are driven from the keyboard (the
 * facilitator console). A shortcut never fires while the person is typing:
 * not in a text field, a text area, a select or an editable element, not with
 * Ctrl / Alt / Meta held, not on auto-repeat, and not while a modal dialog is
 * open (the dialog owns the keyboard then), and not within a moment of the
 * last key typed into a field (focus can leave a field under the person's
 * fingers, e.g. when the panel holding it closes, and the next keys of a word
 * must not become commands).
 *
 * The same list of shortcuts drives the handler and the help overlay, so the
 * help can never disagree with what the keys do.
 */

/** One shortcut: the keys (as `KeyboardEvent.key`, compared case-insensitively) and what it does. */
export interface Shortcut<A extends string = string> {
  /** An identifier the screen acts on. */
  action: A;
  /** The `KeyboardEvent.key` values that trigger it, e.g. `[' ']`, `['n']`, `['?']`. */
  keys: readonly string[];
  /** How the key is written in the help, e.g. "Space", "N", "1 – 9". */
  label: string;
  /** What it does, in a few words. */
  description: string;
}

const TEXT_INPUT_TYPES = new Set(['text', 'search', 'email', 'url', 'tel', 'password', 'number', 'date', 'time', 'datetime-local', 'month', 'week']);

/** True when keys typed now go into a field (so they must not trigger shortcuts). */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) return TEXT_INPUT_TYPES.has(target.type);
  return false;
}

/**
 * True when Space on this element already means "press it" (a button, a link,
 * a tab, a checkbox, a radio, a disclosure), so a Space shortcut must leave it alone.
 */
export function spaceActivates(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target instanceof HTMLButtonElement || target instanceof HTMLAnchorElement || target.tagName === 'SUMMARY') return true;
  if (target instanceof HTMLInputElement) return target.type === 'checkbox' || target.type === 'radio' || target.type === 'button' || target.type === 'submit';
  const role = target.getAttribute('role');
  return role === 'button' || role === 'tab' || role === 'radio' || role === 'checkbox' || role === 'switch' || role === 'option';
}

/** How long after the last key typed into a field single-key shortcuts (and Ctrl+Z) stay off. */
export const TYPING_GRACE_MS = 1500;

let lastTypedAt = Number.NEGATIVE_INFINITY;

if (typeof window !== 'undefined') {
  // Capture phase: seen before any handler, whatever the target does with the key.
  window.addEventListener(
    'keydown',
    (event) => {
      if (isTypingTarget(event.target)) lastTypedAt = performance.now();
    },
    true,
  );
}

/**
 * True when a key was typed into a field within the last `TYPING_GRACE_MS`
 * (handlers run as the event is dispatched, so now is the event's time; read
 * from `performance.now()`, which a test's fake clock controls, unlike `event.timeStamp`).
 */
export function typedRecently(): boolean {
  return performance.now() - lastTypedAt < TYPING_GRACE_MS;
}

/** True while a modal dialog is open in the document. */
export function modalOpen(doc: Document = document): boolean {
  return doc.querySelector('dialog[open]') !== null;
}

/**
 * The shortcut a key press triggers, or null when it triggers none (typing,
 * modifiers held, auto-repeat, a modal open, or an unbound key).
 */
export function matchShortcut<A extends string>(event: KeyboardEvent, shortcuts: readonly Shortcut<A>[]): { shortcut: Shortcut<A>; key: string } | null {
  if (event.defaultPrevented || event.repeat || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return null;
  if (isTypingTarget(event.target) || typedRecently()) return null;
  if (modalOpen()) return null;
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  if (key === ' ' && spaceActivates(event.target)) return null;
  const shortcut = shortcuts.find((s) => s.keys.some((k) => (k.length === 1 ? k.toLowerCase() : k) === key));
  return shortcut ? { shortcut, key } : null;
}
