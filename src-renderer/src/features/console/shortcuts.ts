/**
 * The console's keyboard shortcuts: one list drives both the key handler and
 * the help overlay (see lib/keyboard.ts for when keys are ignored).
 */
import type { Shortcut } from '../../lib/keyboard.ts';

export type ConsoleAction = 'toggleClock' | 'nextInject' | 'chooseOption' | 'milestone' | 'note' | 'help';

/** The milestone each letter marks (after a confirmation). */
export const MILESTONE_KEYS: Readonly<Record<string, string>> = { d: 'detected', c: 'contained', e: 'eradicated', r: 'recovered' };

export const CONSOLE_SHORTCUTS: readonly Shortcut<ConsoleAction>[] = [
  { action: 'toggleClock', keys: [' '], label: 'Space', description: 'Pause or resume the exercise clock' },
  { action: 'nextInject', keys: ['n'], label: 'N', description: 'Next inject: move the clock on to the next pending inject' },
  {
    action: 'chooseOption',
    keys: ['1', '2', '3', '4', '5', '6', '7', '8', '9'],
    label: '1 – 9',
    description: 'Choose that option of the open decision (then add the rationale and press Record); with parallel tracks, of the decision you last worked in',
  },
  {
    action: 'milestone',
    keys: Object.keys(MILESTONE_KEYS),
    label: 'D, C, E, R',
    description: 'Mark detected, contained, eradicated or recovered for this team (asks you to confirm)',
  },
  { action: 'note', keys: ['o'], label: 'O', description: 'Write a note or observation: puts the cursor in the note box of this team' },
  { action: 'help', keys: ['?'], label: '?', description: 'Show these shortcuts' },
];

/**
 * The decision the number keys choose in, among a team's open decisions (the
 * lead track's first): the one whose form the facilitator last worked in while
 * it is still open, else the first. Null when none is open.
 */
export function numberKeyDecision(open: readonly string[], lastWorkedIn: string | undefined): string | null {
  if (lastWorkedIn !== undefined && open.includes(lastWorkedIn)) return lastWorkedIn;
  return open[0] ?? null;
}

/**
 * Undo takes a modifier (Ctrl+Z, or ⌘Z on a Mac), as everywhere else, so it
 * is handled apart from the single keys above (see UndoLast.svelte); listed
 * here for the help. Like them, it never acts while typing in a field.
 */
export const UNDO_SHORTCUT = {
  label: 'Ctrl+Z / ⌘Z',
  description: "Undo the selected team's last action (decision, milestone, contingency or note) while nothing has happened to the team since",
} as const;

/** True for Ctrl+Z or ⌘Z (without Shift or Alt: Ctrl+Shift+Z is "redo" elsewhere). */
export function isUndoKey(event: KeyboardEvent): boolean {
  return (event.ctrlKey || event.metaKey) && !event.shiftKey && !event.altKey && event.key.toLowerCase() === 'z';
}
