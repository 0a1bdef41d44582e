/**
 * The timeline as a graph, for validation: every node reachable (from the
 * start, or from exactly one track's start), every node able to reach an end,
 * no loop without a way out or without a decision in it, and inject times
 * that never go backwards along a path.
 */
import { exitsOf } from './graph.ts';
import { scc, search } from './graph-algorithms.ts';
import type { IdIndex, Report } from './ids.ts';
import type { Scenario, Track } from './schema.ts';

/** Checks the timeline as a graph of node indices; `nodes` indexes the timeline by id. */
export function checkTimeline(scenario: Scenario, nodes: IdIndex, report: Report): void {
  const { timeline, start } = scenario;
  const count = timeline.length;
  const successors: number[][] = timeline.map((node) => {
    const indices: number[] = [];
    for (const exit of exitsOf(node)) {
      const index = nodes.ids.get(exit.next);
      if (index !== undefined && !indices.includes(index)) indices.push(index);
    }
    return indices;
  });

  // Nodes that can reach an end: a backwards search from every end node.
  const predecessors: number[][] = timeline.map(() => []);
  successors.forEach((targets, from) => targets.forEach((to) => predecessors[to]!.push(from)));
  const ends = timeline.flatMap((node, i) => (node.type === 'end' ? [i] : []));
  if (ends.length === 0) report(['timeline'], 'has no "end" node; every path through the timeline must finish at one');
  const canEnd = search(ends, predecessors, count);

  // Loops that nothing leads out of. Successors of a node that cannot end cannot end either,
  // so the loops to report are the closed ones (no way out at all); fixing them fixes the rest.
  const stuck = scc(successors, (i) => !canEnd[i]);
  for (const component of stuck.components) {
    const closed = component.every((i) => successors[i]!.every((j) => stuck.component[j] === stuck.component[component[0]!]));
    const loops = component.length > 1 || successors[component[0]!]!.includes(component[0]!);
    if (!closed || !loops) continue;
    const first = Math.min(...component);
    const names = component
      .sort((x, y) => x - y)
      .slice(0, 6)
      .map((i) => `"${timeline[i]!.id}"`);
    const more = component.length > 6 ? ` and ${component.length - 6} more` : '';
    const message =
      component.length === 1
        ? `node ${names[0]!} leads only back to itself: a loop with no way out to an end node`
        : `nodes ${names.join(', ')}${more} form a loop with no way out to an end node`;
    report(['timeline', first], message);
  }

  // Loops that never wait for the team: injects, branches and random events resolve at once, so a
  // loop made only of them would spin forever. Every loop must pass through a decision.
  const instant = scc(successors, (i) => timeline[i]!.type !== 'decision' && canEnd[i] === true);
  for (const component of instant.components) {
    const loops = component.length > 1 || successors[component[0]!]!.includes(component[0]!);
    if (!loops) continue;
    const sorted = [...component].sort((x, y) => x - y);
    const names = sorted.slice(0, 6).map((i) => `"${timeline[i]!.id}"`);
    const more = component.length > 6 ? ` and ${component.length - 6} more` : '';
    report(
      ['timeline', sorted[0]!],
      `${component.length === 1 ? `node ${names[0]!} leads back to itself` : `nodes ${names.join(', ')}${more} form a loop`} with no decision in it: the engine would go round it without waiting for the team; put a decision in the loop`,
    );
  }

  const tracks = scenario.tracks;
  if (!tracks) {
    const startIndex = nodes.ids.get(start);
    if (startIndex === undefined) return;
    const reachable = search([startIndex], successors, count);
    timeline.forEach((node, i) => {
      if (!reachable[i]) report(['timeline', i], `node "${node.id}" can never be reached: no path from the start node "${start}" leads to it`);
    });
    checkInjectTimes(scenario, successors, reachable, report);
    return;
  }
  const starts = tracks.map((track) => nodes.ids.get(track.start));
  if (!starts.every((index) => index !== undefined)) return;
  const reachable = checkTrackReach(scenario, tracks, starts, successors, predecessors, report);
  checkInjectTimes(scenario, successors, reachable, report);
}

/**
 * Parallel tracks: every node is reached from exactly one track's start. A
 * node two tracks reach is reported where the tracks first meet (not at
 * every node after it). Returns the nodes some track reaches.
 */
function checkTrackReach(scenario: Scenario, tracks: readonly Track[], starts: readonly number[], successors: number[][], predecessors: number[][], report: Report): boolean[] {
  const { timeline } = scenario;
  const count = timeline.length;
  const perTrack = starts.map((index) => search([index], successors, count));
  const reachable = new Array<boolean>(count);
  const shared = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    let owners = 0;
    for (const reached of perTrack) if (reached[i]) owners++;
    reachable[i] = owners > 0;
    if (owners > 1) shared[i] = 1;
  }
  const startNames = tracks.map((track) => `"${track.start}"`).join(', ');
  for (let i = 0; i < count; i++) {
    const node = timeline[i]!;
    if (!reachable[i]) {
      report(['timeline', i], `node "${node.id}" can never be reached: no path from the start of any track (${startNames}) leads to it`);
      continue;
    }
    if (!shared[i] || (!starts.includes(i) && predecessors[i]!.some((p) => shared[p]))) continue;
    const names = tracks.flatMap((track, t) => (perTrack[t]![i] ? [`"${track.id}" (from "${track.start}")`] : []));
    const list = `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}`;
    report(
      ['timeline', i],
      `node "${node.id}" is reached from ${names.length === 2 ? 'two' : names.length} tracks, ${list}; every node belongs to exactly one track, so no track may lead into another's nodes`,
    );
  }
  return reachable;
}

/**
 * `at` must never decrease along a path from the start. For each inject,
 * the latest `at` of any inject that can come before it is propagated over
 * the strongly connected components in topological order (inside a loop,
 * every node can come before every other one).
 */
function checkInjectTimes(scenario: Scenario, successors: number[][], reachable: boolean[], report: Report): void {
  const { timeline } = scenario;
  const atOf = (i: number): number | undefined => {
    const node = timeline[i]!;
    return node.type === 'inject' ? node.at : undefined;
  };
  interface Latest {
    at: number;
    node: number;
  }
  const later = (x: Latest | undefined, y: Latest | undefined) => (!x ? y : !y ? x : y.at > x.at ? y : x);

  const { components, component: componentOf } = scc(successors, (i) => reachable[i]!);
  const inherited = new Array<Latest | undefined>(components.length);
  // Tarjan's algorithm yields components sinks first: walk them backwards for topological order.
  for (let c = components.length - 1; c >= 0; c--) {
    const members = components[c]!;
    const looping = members.length > 1 || successors[members[0]!]!.includes(members[0]!);
    let inside: Latest | undefined;
    for (const i of members) {
      const at = atOf(i);
      if (at !== undefined) inside = later(inside, { at, node: i });
    }
    const before = looping ? later(inherited[c], inside) : inherited[c];
    for (const i of members) {
      const at = atOf(i);
      if (at !== undefined && before && at < before.at) {
        const earlier = timeline[before.node]!;
        report(
          ['timeline', i, 'at'],
          `inject "${timeline[i]!.id}" is due at minute ${at}, but inject "${earlier.id}" (due at minute ${before.at}) can come before it; "at" must never decrease along a path from the start`,
        );
      }
    }
    const out = later(inherited[c], inside);
    for (const i of members) {
      for (const j of successors[i]!) {
        const target = componentOf[j]!;
        if (target !== c) inherited[target] = later(inherited[target], out);
      }
    }
  }
}
