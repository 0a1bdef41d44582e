/**
 * What the console window does when its page refuses to unload: the studio
 * does so while a draft has changes it has not saved yet (it starts the save
 * at once, and a browser asks "Leave site?"). Electron asks nothing: without a
 * `will-prevent-unload` handler the window silently stays open and a quit
 * silently stops, so closing the window or quitting looked broken. Pure, so
 * that it is unit-tested where Electron cannot run.
 */
import type { MessageBoxSyncOptions } from 'electron';

/** The question, with "Stay" first and the default (Escape and closing the box stay too). */
export const UNSAVED_CHANGES_PROMPT = {
  type: 'warning',
  title: 'Changes not saved yet',
  message: 'The studio has not saved your last changes yet.',
  detail: 'Stay, and they are saved in a moment. Leave now, and the changes made since the last save are lost.',
  buttons: ['Stay', 'Leave anyway'],
  defaultId: 0,
  cancelId: 0,
  noLink: true,
} as const satisfies MessageBoxSyncOptions;

/** Whether the answer to `UNSAVED_CHANGES_PROMPT` (the index of the button pressed) lets the page go. */
export function leavesAnyway(response: number): boolean {
  return UNSAVED_CHANGES_PROMPT.buttons[response] === 'Leave anyway';
}
