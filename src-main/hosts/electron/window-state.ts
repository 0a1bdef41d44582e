/**
 * Remembering the console window's size and position between runs. Pure: the
 * Electron host reads and writes the file; this decides what is safe to use.
 */
import { z } from 'zod';
import type { DisplayArea, WindowBounds } from './security.ts';

export const WINDOW_STATE_FILE = 'window-state.json';

const SavedState = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  maximized: z.boolean().default(false),
});
export type SavedWindowState = z.output<typeof SavedState>;

export const DEFAULT_BOUNDS: WindowBounds = { width: 1280, height: 800 };
const MIN = { width: 960, height: 600 };
/** How much of the window must lie on a display for the saved position to be used. */
const VISIBLE = 120;

/**
 * The bounds to open with: the saved ones when they are well-formed and
 * still visible on a connected display (clamped to it), otherwise the defaults
 * (centred by Electron). A display that was unplugged never strands the window.
 */
export function restoreWindowState(saved: unknown, displays: readonly DisplayArea[]): { bounds: WindowBounds; maximized: boolean } {
  const parsed = SavedState.safeParse(saved);
  if (!parsed.success) return { bounds: DEFAULT_BOUNDS, maximized: false };
  const s = parsed.data;
  const display = displays.find((d) => overlap(s, d.workArea) >= VISIBLE * VISIBLE);
  if (!display)
    return {
      bounds: { width: clampSize(s.width, MIN.width, DEFAULT_BOUNDS.width * 4), height: clampSize(s.height, MIN.height, DEFAULT_BOUNDS.height * 4) },
      maximized: s.maximized,
    };
  const area = display.workArea;
  const width = clampSize(s.width, MIN.width, area.width);
  const height = clampSize(s.height, MIN.height, area.height);
  const x = Math.min(Math.max(s.x, area.x), area.x + area.width - width);
  const y = Math.min(Math.max(s.y, area.y), area.y + area.height - height);
  return { bounds: { x, y, width, height }, maximized: s.maximized };
}

export function windowStateToSave(bounds: { x: number; y: number; width: number; height: number }, maximized: boolean): SavedWindowState {
  return { x: Math.round(bounds.x), y: Math.round(bounds.y), width: Math.round(bounds.width), height: Math.round(bounds.height), maximized };
}

function clampSize(value: number, min: number, max: number): number {
  return Math.max(Math.min(value, Math.max(max, min)), min);
}

function overlap(a: { x: number; y: number; width: number; height: number }, b: { x: number; y: number; width: number; height: number }): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}
