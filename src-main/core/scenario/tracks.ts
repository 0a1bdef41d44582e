/**
 * Parallel tracks within a team (format 1.1), as the engine and every view
 * read them.
 *
 * - A scenario without `tracks` has one implicit track, `main`, starting at
 *   `start` and holding every node: it runs, and is shown, exactly as before.
 * - With `tracks`, every timeline node belongs to the one track whose start
 *   reaches it (validation refuses a node two tracks reach), so a node's track
 *   is derived from its id: nothing in the log names a track.
 * - The first track is the lead track. The team ends when the lead track
 *   reaches an end node, and that end's `result` is the team's result. Another
 *   track reaching an end node finishes that track only (`track.ended`, with
 *   its end's result, shown per track in the debrief); it then waits, idle.
 *   When the lead track ends first, the other tracks stop where they are.
 */
import { exitsOf } from './graph.ts';
import type { Scenario } from './schema.ts';

/** The id of the one track of a scenario that declares none. */
export const IMPLICIT_TRACK_ID = 'main';

export interface TrackInfo {
  id: string;
  /** Null for the implicit track of a scenario without tracks (views show no track heading then). */
  title: string | null;
  /** Id of the track's first node. */
  start: string;
  roles: string[];
  /** The first track: the team ends when it does. */
  lead: boolean;
}

export interface TrackLayout {
  /** The tracks in the author's order; the lead track first. Never empty. */
  tracks: TrackInfo[];
  /** True when the scenario declares tracks (views then show one heading per track). */
  declared: boolean;
  /** The track a node belongs to (undefined for an id no track reaches). */
  trackOf(nodeId: string): string | undefined;
}

type TrackedScenario = Pick<Scenario, 'start' | 'timeline' | 'tracks'>;

const layouts = new WeakMap<TrackedScenario, TrackLayout>();

/** The tracks of a scenario and the track of each node (computed once per scenario object). */
export function trackLayout(scenario: TrackedScenario): TrackLayout {
  let layout = layouts.get(scenario);
  if (!layout) {
    layout = computeLayout(scenario);
    layouts.set(scenario, layout);
  }
  return layout;
}

/** The tracks of a scenario, the lead track first (one implicit track without `tracks`). */
export function tracksOf(scenario: TrackedScenario): TrackInfo[] {
  return trackLayout(scenario).tracks;
}

/** The id of the track a node belongs to. */
export function trackOf(scenario: TrackedScenario, nodeId: string): string | undefined {
  return trackLayout(scenario).trackOf(nodeId);
}

function computeLayout(scenario: TrackedScenario): TrackLayout {
  if (!scenario.tracks) {
    const ids = new Set(scenario.timeline.map((node) => node.id));
    return {
      tracks: [{ id: IMPLICIT_TRACK_ID, title: null, start: scenario.start, roles: [], lead: true }],
      declared: false,
      trackOf: (nodeId) => (ids.has(nodeId) ? IMPLICIT_TRACK_ID : undefined),
    };
  }
  const tracks = scenario.tracks.map((t, i) => ({ id: t.id, title: t.title, start: t.start, roles: [...t.roles], lead: i === 0 }));
  const byId = new Map(scenario.timeline.map((node) => [node.id, node]));
  const owner = new Map<string, string>();
  for (const track of tracks) {
    const queue = [track.start];
    while (queue.length > 0) {
      const id = queue.pop()!;
      const node = byId.get(id);
      if (!node || owner.has(id)) continue;
      owner.set(id, track.id);
      for (const exit of exitsOf(node)) if (!owner.has(exit.next)) queue.push(exit.next);
    }
  }
  return { tracks, declared: true, trackOf: (nodeId) => owner.get(nodeId) };
}
