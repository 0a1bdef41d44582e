/**
 * A second launch of Sandtable (same data folder) quits at once and brings the
 * first one's console forward: restored if minimised, shown, focused, or made
 * anew if it was closed (macOS keeps the app running with no window).
 * Electron-free, so it is unit-tested where Electron cannot run.
 */
export interface FocusableWindow {
  isDestroyed(): boolean;
  isMinimized(): boolean;
  restore(): void;
  show(): void;
  focus(): void;
}

/** Brings the console forward, creating it if there is none; returns the window now in use. */
export function bringConsoleForward<W extends FocusableWindow>(current: W | undefined, create: () => W): W {
  const win = current && !current.isDestroyed() ? current : create();
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
  return win;
}
