import { describe, expect, it } from 'vitest';
import { bringConsoleForward, type FocusableWindow } from '../../src-main/hosts/electron/single-instance.ts';

/** A window as Electron's BrowserWindow behaves for these calls, recording what was done to it. */
class Win implements FocusableWindow {
  calls: string[] = [];
  constructor(
    private destroyed = false,
    private minimized = false,
  ) {}
  isDestroyed() {
    return this.destroyed;
  }
  isMinimized() {
    return this.minimized;
  }
  restore() {
    this.minimized = false;
    this.calls.push('restore');
  }
  show() {
    this.calls.push('show');
  }
  focus() {
    this.calls.push('focus');
  }
}

describe('a second launch brings the first console forward', () => {
  it('focuses the open console', () => {
    const win = new Win();
    expect(bringConsoleForward(win, () => new Win())).toBe(win);
    expect(win.calls).toEqual(['show', 'focus']);
  });

  it('restores a minimised console first', () => {
    const win = new Win(false, true);
    bringConsoleForward(win, () => new Win());
    expect(win.calls).toEqual(['restore', 'show', 'focus']);
    expect(win.isMinimized()).toBe(false);
  });

  it('opens a new console when the old one was closed, or there was none', () => {
    const made: Win[] = [];
    const create = () => {
      const w = new Win();
      made.push(w);
      return w;
    };
    const fresh = bringConsoleForward(new Win(true), create);
    expect(made).toEqual([fresh]);
    expect(fresh.calls).toEqual(['show', 'focus']);
    expect(bringConsoleForward(undefined, create)).toBe(made[1]);
  });
});
