/**
 * Remembering the projector windows (presenter views) between runs, so that
 * after the app restarts mid-exercise — it crashed, or was quit and started
 * again — the room's screen comes back by itself, as the web host's projector
 * tab reconnects by itself. Pure: the Electron host reads and writes the file
 * and opens the windows; this decides what is remembered and what reopens.
 */
import { z } from 'zod';
import { ROOM_IDLE_MS } from '../../app/participation.ts';
import { presenterPlacement, type DisplayArea } from './security.ts';

export const PROJECTORS_FILE = 'projectors.json';

/** At most this many projectors are remembered (the oldest are forgotten first). */
const MAX_REMEMBERED = 8;

const Remembered = z.object({
  sessionId: z.string().min(1).max(200),
  /** The team shown, or null for the room view of the whole session. */
  teamId: z.string().min(1).max(200).nullable(),
  /** The display it was opened on, or null when none was known. */
  displayId: z.number().int().nullable(),
});
export type RememberedProjector = z.output<typeof Remembered>;
const Saved = z.object({ projectors: z.array(Remembered).max(64) });

/** The projectors in a saved file; nothing when it is missing or malformed (a projector is then opened by hand, as before). */
export function rememberedProjectors(saved: unknown): RememberedProjector[] {
  const parsed = Saved.safeParse(saved);
  return parsed.success ? parsed.data.projectors.slice(-MAX_REMEMBERED) : [];
}

/** The file's content once `projector` opened (one entry per session and team: opened again, it moves to its new display). */
export function withProjector(list: readonly RememberedProjector[], projector: RememberedProjector): { projectors: RememberedProjector[] } {
  const others = list.filter((p) => p.sessionId !== projector.sessionId || p.teamId !== projector.teamId);
  return { projectors: [...others, projector].slice(-MAX_REMEMBERED) };
}

/** The file's content once the facilitator closed the projector of that session and team (not when the app quits: it reopens then). */
export function withoutProjector(list: readonly RememberedProjector[], sessionId: string, teamId: string | null): { projectors: RememberedProjector[] } {
  return { projectors: list.filter((p) => p.sessionId !== sessionId || p.teamId !== teamId) };
}

/** A projector to open at the start: its session and team, where, and whether full screen. */
export interface ProjectorToReopen {
  sessionId: string;
  teamId: string | null;
  display: DisplayArea | null;
  fullscreen: boolean;
}

/**
 * Which remembered projectors to open again at the start: those whose session
 * came back mid-exercise (running or paused: a session that was running when
 * the app stopped comes back paused), never one that ended, was not started,
 * or is gone, nor one nobody wrote to for `ROOM_IDLE_MS` (the rule by which
 * its room does not come back either: an exercise paused on another day is
 * not put back on the projector in front of whoever is in the room now). Each goes to the display it was on when that display is still
 * connected (full screen unless it is the console's), else where a new
 * projector goes (`presenterPlacement`).
 */
export function projectorsToReopen(
  saved: unknown,
  sessions: ReadonlyArray<{ id: string; status: string; updatedWallMs: number }>,
  displays: readonly DisplayArea[],
  consoleDisplayId: number,
  nowMs: number,
): ProjectorToReopen[] {
  const live = new Set(sessions.filter((s) => (s.status === 'running' || s.status === 'paused') && nowMs - s.updatedWallMs < ROOM_IDLE_MS).map((s) => s.id));
  return rememberedProjectors(saved)
    .filter((p) => live.has(p.sessionId))
    .map((p) => {
      const same = displays.find((d) => d.id === p.displayId);
      if (same) return { sessionId: p.sessionId, teamId: p.teamId, display: same, fullscreen: same.id !== consoleDisplayId };
      const placement = presenterPlacement(displays, consoleDisplayId);
      return { sessionId: p.sessionId, teamId: p.teamId, display: placement?.display ?? null, fullscreen: placement?.fullscreen ?? false };
    });
}
