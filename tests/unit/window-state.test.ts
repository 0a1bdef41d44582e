import { describe, expect, it } from 'vitest';
import { DEFAULT_BOUNDS, restoreWindowState, windowStateToSave } from '../../src-main/hosts/electron/window-state.ts';

const display = (id: number, x: number, width = 1920, height = 1080) => ({
  id,
  bounds: { x, y: 0, width, height },
  workArea: { x, y: 0, width, height: height - 40 },
});

describe('restoreWindowState', () => {
  it('uses saved bounds that are on a connected display', () => {
    const saved = windowStateToSave({ x: 100, y: 50, width: 1400, height: 900 }, false);
    expect(restoreWindowState(saved, [display(1, 0)])).toEqual({ bounds: { x: 100, y: 50, width: 1400, height: 900 }, maximized: false });
  });

  it('keeps the window on its second display, and remembers maximised', () => {
    expect(restoreWindowState({ x: 2000, y: 10, width: 1200, height: 800, maximized: true }, [display(1, 0), display(2, 1920)])).toEqual({
      bounds: { x: 2000, y: 10, width: 1200, height: 800 },
      maximized: true,
    });
  });

  it('does not strand the window on a display that was unplugged', () => {
    const restored = restoreWindowState({ x: 2000, y: 10, width: 1200, height: 800 }, [display(1, 0)]);
    expect(restored.bounds.x).toBeUndefined();
    expect(restored.bounds.width).toBe(1200);
  });

  it('clamps to the display and to the minimum size', () => {
    const restored = restoreWindowState({ x: -50, y: 900, width: 5000, height: 100 }, [display(1, 0)]);
    expect(restored.bounds).toEqual({ x: 0, y: 440, width: 1920, height: 600 });
  });

  it('falls back to the defaults for anything malformed', () => {
    for (const bad of [null, 'x', {}, { x: 1, y: 2, width: -5, height: 10 }, { x: 'a', y: 0, width: 1, height: 1 }, { __proto__: { x: 1 } }]) {
      expect(restoreWindowState(bad, [display(1, 0)])).toEqual({ bounds: DEFAULT_BOUNDS, maximized: false });
    }
  });
});
