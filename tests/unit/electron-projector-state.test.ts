/**
 * The Electron projector windows come back after a restart mid-exercise
 * (src-main/hosts/electron/projector-state.ts, the decision; main.ts only
 * reads the file and opens the windows — Electron itself does not run here).
 * Real projector set-ups: a 1920×1080 laptop panel with a 1280×800 projector
 * to its right, and the projector unplugged after the restart.
 */
import { describe, expect, it } from 'vitest';
import { ROOM_IDLE_MS } from '../../src-main/app/participation.ts';
import { projectorsToReopen, rememberedProjectors, withoutProjector, withProjector } from '../../src-main/hosts/electron/projector-state.ts';

const NOW = Date.UTC(2026, 11, 7, 16, 0);
const laptop = { id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 }, workArea: { x: 0, y: 25, width: 1920, height: 1055 } };
const projector = { id: 7, bounds: { x: 1920, y: 0, width: 1280, height: 800 }, workArea: { x: 1920, y: 0, width: 1280, height: 800 } };

describe('the projectors remembered between runs', () => {
  it('remembers each session and team once, and forgets the one the facilitator closes', () => {
    let file = withProjector([], { sessionId: 's1', teamId: 'team-1', displayId: 7 });
    file = withProjector(file.projectors, { sessionId: 's1', teamId: null, displayId: 1 });
    file = withProjector(file.projectors, { sessionId: 's1', teamId: 'team-1', displayId: 1 }); // moved
    expect(file.projectors).toEqual([
      { sessionId: 's1', teamId: null, displayId: 1 },
      { sessionId: 's1', teamId: 'team-1', displayId: 1 },
    ]);
    expect(withoutProjector(file.projectors, 's1', 'team-1').projectors).toEqual([{ sessionId: 's1', teamId: null, displayId: 1 }]);
    expect(rememberedProjectors(JSON.parse(JSON.stringify(file)))).toEqual(file.projectors);
  });

  it('reads nothing from a missing or malformed file', () => {
    expect(rememberedProjectors(null)).toEqual([]);
    expect(rememberedProjectors({ projectors: [{ sessionId: '', teamId: null, displayId: 1 }] })).toEqual([]);
    expect(rememberedProjectors({ projectors: 'team-1' })).toEqual([]);
  });

  it('reopens the projector of a session that came back mid-exercise, on its display, full screen', () => {
    const saved = { projectors: [{ sessionId: 's1', teamId: 'team-1', displayId: 7 }] };
    // A session running when the app stopped comes back paused.
    expect(projectorsToReopen(saved, [{ id: 's1', status: 'paused', updatedWallMs: NOW - 60_000 }], [laptop, projector], 1, NOW)).toEqual([
      { sessionId: 's1', teamId: 'team-1', display: projector, fullscreen: true },
    ]);
    expect(projectorsToReopen(saved, [{ id: 's1', status: 'running', updatedWallMs: NOW - 60_000 }], [laptop, projector], 1, NOW)).toHaveLength(1);
  });

  it('does not reopen one of a session that ended, was never started, or is gone', () => {
    const saved = { projectors: [{ sessionId: 's1', teamId: null, displayId: 7 }] };
    expect(projectorsToReopen(saved, [{ id: 's1', status: 'ended', updatedWallMs: NOW - 60_000 }], [laptop, projector], 1, NOW)).toEqual([]);
    expect(projectorsToReopen(saved, [{ id: 's1', status: 'setup', updatedWallMs: NOW - 60_000 }], [laptop, projector], 1, NOW)).toEqual([]);
    expect(projectorsToReopen(saved, [], [laptop, projector], 1, NOW)).toEqual([]);
  });

  it('puts it where a new projector goes when its display was unplugged', () => {
    const saved = { projectors: [{ sessionId: 's1', teamId: null, displayId: 7 }] };
    // Only the laptop now: on the console's display, in a window (not covering the console).
    expect(projectorsToReopen(saved, [{ id: 's1', status: 'paused', updatedWallMs: NOW - 60_000 }], [laptop], 1, NOW)).toEqual([
      { sessionId: 's1', teamId: null, display: laptop, fullscreen: false },
    ]);
    // Another projector plugged in instead: there, full screen.
    const other = { ...projector, id: 9 };
    expect(projectorsToReopen(saved, [{ id: 's1', status: 'paused', updatedWallMs: NOW - 60_000 }], [laptop, other], 1, NOW)).toEqual([
      { sessionId: 's1', teamId: null, display: other, fullscreen: true },
    ]);
  });

  it('does not reopen one of a session left paused on another day (nobody wrote to it for ROOM_IDLE_MS)', () => {
    const saved = { projectors: [{ sessionId: 's1', teamId: null, displayId: 7 }] };
    expect(projectorsToReopen(saved, [{ id: 's1', status: 'paused', updatedWallMs: NOW - ROOM_IDLE_MS }], [laptop, projector], 1, NOW)).toEqual([]);
    expect(projectorsToReopen(saved, [{ id: 's1', status: 'paused', updatedWallMs: NOW - ROOM_IDLE_MS + 1 }], [laptop, projector], 1, NOW)).toHaveLength(1);
  });
});
