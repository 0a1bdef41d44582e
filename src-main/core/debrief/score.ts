/**
 * Scores by best practice, design principle, shared-responsibility side and
 * incident-response phase, from the points the scenario's consequences put on
 * tags, with the most points any path through the scenario could have scored
 * (`max`, net of costs) and the most points any path could have earned
 * (`available`, counting gains only: what "points earned of points
 * available" is measured against — see ../report/wording.ts).
 */
import type { Scenario } from '../scenario/schema.ts';
import { exitsOf } from '../scenario/graph.ts';
import { tracksOf } from '../scenario/tracks.ts';
import { DESIGN_PRINCIPLES, parseTag, PHASES, RESPONSIBILITY_SIDES, WAF_BEST_PRACTICE_TITLES, WAF_TAG_PATTERN } from '../scenario/tags.ts';
import type { Score, ScoreGroup } from './model.ts';

export type ScoreGroupName = 'bestPractice' | 'principle' | 'responsibility' | 'phase';

export const SCORE_GROUPS: readonly ScoreGroupName[] = ['bestPractice', 'principle', 'responsibility', 'phase'];

export const SCORE_GROUP_LABELS: Readonly<Record<ScoreGroupName, string>> = {
  bestPractice: 'Well-Architected best practices',
  principle: 'Security design principles',
  responsibility: 'Shared responsibility',
  phase: 'Incident-response phases',
};

/** Where a tag's points count: its group, the line's key and its label. */
export interface ScoreKey {
  group: ScoreGroupName;
  key: string;
  label: string;
}

/** The group and line a tag scores on, or null if it is not a valid tag. */
export function scoreKeyOf(tag: string): ScoreKey | null {
  const parsed = parseTag(tag);
  if (!parsed.ok) return null;
  const { family, value } = parsed.tag;
  switch (family) {
    case 'waf': {
      // The tag as written names the framework version too; keep it as the key.
      const version = WAF_TAG_PATTERN.exec(tag)?.[1] ?? '';
      const title = WAF_BEST_PRACTICE_TITLES[version]?.[value];
      return { group: 'bestPractice', key: tag, label: title ? `${value} ${title}` : value };
    }
    case 'principle':
      return { group: 'principle', key: value, label: DESIGN_PRINCIPLES[value as keyof typeof DESIGN_PRINCIPLES] };
    case 'srm':
      return { group: 'responsibility', key: value, label: RESPONSIBILITY_SIDES[value as keyof typeof RESPONSIBILITY_SIDES] };
    case 'phase':
      return { group: 'phase', key: value, label: PHASES[value as keyof typeof PHASES] };
    default:
      // Framework tags (playbook:, attack:, csf:) say what a scenario exercises; they carry no points.
      return null;
  }
}

/** Lines are listed in the vocabulary's order (best practices alphabetically). */
const LINE_ORDER: Readonly<Record<ScoreGroupName, readonly string[]>> = {
  bestPractice: [],
  principle: Object.keys(DESIGN_PRINCIPLES),
  responsibility: ['customer', 'shared', 'aws'],
  phase: Object.keys(PHASES),
};

/** Points an edge of the timeline scores, with each tag already resolved to its line. */
type Points = ReadonlyArray<{ key: ScoreKey; value: number }>;
interface Edge {
  to: number;
  points: Points;
}

function resolvePoints(score: Readonly<Record<string, number>> | undefined): Points {
  const out: Array<{ key: ScoreKey; value: number }> = [];
  for (const [tag, value] of Object.entries(score ?? {})) {
    const key = scoreKeyOf(tag);
    if (key) out.push({ key, value });
  }
  return out;
}

/**
 * What a scenario can score: every line any consequence scores on, and the
 * maximum per line and per group over the paths through the timeline.
 * Computed once per scenario and shared by all teams.
 */
export class ScoreCeilings {
  readonly lines: ReadonlyMap<ScoreGroupName, ReadonlyMap<string, ScoreKey>>;
  readonly #lineMax = new Map<string, number | null>();
  readonly #groupMax = new Map<ScoreGroupName, number | null>();
  readonly #lineAvailable = new Map<string, number | null>();
  readonly #groupAvailable = new Map<ScoreGroupName, number | null>();

  static readonly #known = new WeakMap<Scenario, ScoreCeilings>();

  /**
   * The ceilings of a scenario, worked out once per scenario object: the
   * debriefs of many sessions of one scenario (programme, trends, bench) share
   * them. Safe because the ceilings never change once made and a validated
   * scenario is not changed after it is parsed.
   */
  static for(scenario: Scenario): ScoreCeilings {
    let ceilings = ScoreCeilings.#known.get(scenario);
    if (!ceilings) ScoreCeilings.#known.set(scenario, (ceilings = new ScoreCeilings(scenario)));
    return ceilings;
  }

  constructor(scenario: Scenario) {
    const lines = new Map<ScoreGroupName, Map<string, ScoreKey>>(SCORE_GROUPS.map((g) => [g, new Map()]));
    const consequences = scenario.timeline.flatMap((n) =>
      n.type === 'decision' ? n.options.map((o) => o.consequences) : n.type === 'random' ? n.outcomes.map((o) => o.consequences) : [],
    );
    for (const c of consequences) {
      for (const tag of Object.keys(c.score ?? {})) {
        const key = scoreKeyOf(tag);
        if (key) lines.get(key.group)!.set(key.key, key);
      }
    }
    this.lines = lines;

    const order = topologicalOrder(scenario);
    for (const group of SCORE_GROUPS) {
      this.#groupMax.set(
        group,
        longestPath(order, (points) => sumWhere(points, (k) => k.group === group)),
      );
      this.#groupAvailable.set(
        group,
        longestPath(order, (points) => sumWhere(points, (k) => k.group === group, true)),
      );
      for (const line of lines.get(group)!.values()) {
        const id = `${group}\u0000${line.key}`;
        this.#lineMax.set(
          id,
          longestPath(order, (points) => sumWhere(points, (k) => k.group === group && k.key === line.key)),
        );
        this.#lineAvailable.set(
          id,
          longestPath(order, (points) => sumWhere(points, (k) => k.group === group && k.key === line.key, true)),
        );
      }
    }
  }

  lineMax(group: ScoreGroupName, key: string): number | null {
    return this.#lineMax.get(`${group}\u0000${key}`) ?? null;
  }

  groupMax(group: ScoreGroupName): number | null {
    return this.#groupMax.get(group) ?? null;
  }

  /** The most points any path can earn on a line, counting gains only. */
  lineAvailable(group: ScoreGroupName, key: string): number | null {
    return this.#lineAvailable.get(`${group}\u0000${key}`) ?? null;
  }

  groupAvailable(group: ScoreGroupName): number | null {
    return this.#groupAvailable.get(group) ?? null;
  }

  /** A team's score: its points per tag, grouped, with the maxima. */
  score(byTag: Readonly<Record<string, number>>): Score {
    const points = new Map<string, number>();
    const extra = new Map<ScoreGroupName, Map<string, ScoreKey>>(SCORE_GROUPS.map((g) => [g, new Map()]));
    for (const [tag, value] of Object.entries(byTag)) {
      const key = scoreKeyOf(tag);
      if (!key) continue;
      const id = `${key.group}\u0000${key.key}`;
      points.set(id, (points.get(id) ?? 0) + value);
      if (!this.lines.get(key.group)!.has(key.key)) extra.get(key.group)!.set(key.key, key);
    }
    const group = (name: ScoreGroupName): ScoreGroup => {
      const keys = [...this.lines.get(name)!.values(), ...extra.get(name)!.values()];
      const order = LINE_ORDER[name];
      keys.sort((a, b) => rank(order, a.key) - rank(order, b.key) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      const lines = keys.map((k) => ({
        key: k.key,
        label: k.label,
        points: points.get(`${name}\u0000${k.key}`) ?? 0,
        max: this.lineMax(name, k.key),
        available: this.lineAvailable(name, k.key),
      }));
      return { points: lines.reduce((sum, l) => sum + l.points, 0), max: this.groupMax(name), available: this.groupAvailable(name), lines };
    };
    return {
      byTag: { ...byTag },
      bestPractice: group('bestPractice'),
      principle: group('principle'),
      responsibility: group('responsibility'),
      phase: group('phase'),
    };
  }
}

/**
 * The most points any one path can earn over every group together, gains
 * only; null when the timeline loops. Not the sum of the groups' `available`:
 * each group's most may lie on a different path, and no team can take them all.
 */
export function totalAvailable(scenario: Scenario): number | null {
  return longestPath(topologicalOrder(scenario), (points) => sumWhere(points, () => true, true));
}

function rank(order: readonly string[], key: string): number {
  const i = order.indexOf(key);
  return i < 0 ? order.length : i;
}

/** The points on the lines `include` selects; with `gainsOnly`, costs count as 0. */
function sumWhere(points: Points, include: (key: ScoreKey) => boolean, gainsOnly = false): number {
  let sum = 0;
  for (const { key, value } of points) if (include(key) && (!gainsOnly || value > 0)) sum += value;
  return sum;
}

interface Graph {
  /** Node indices reachable from the start, every node after all its successors (reverse topological order). */
  order: number[];
  edges: Edge[][];
  isEnd: boolean[];
  /** Each track's first node (the one `start` without tracks): tracks are disjoint, so their maxima add up. */
  starts: number[];
}

/** The timeline as a graph; null if a cycle is reachable from the start (no maximum then). */
function topologicalOrder(scenario: Scenario): Graph | null {
  const index = new Map(scenario.timeline.map((n, i) => [n.id, i]));
  const edges: Edge[][] = scenario.timeline.map((node) => {
    const to = (id: string, score?: Readonly<Record<string, number>>): Edge[] => {
      const i = index.get(id);
      return i === undefined ? [] : [{ to: i, points: resolvePoints(score) }];
    };
    return exitsOf(node).flatMap((exit) =>
      to(exit.next, exit.kind === 'option' ? exit.option.consequences.score : exit.kind === 'outcome' ? exit.outcome.consequences.score : undefined),
    );
  });
  const starts: number[] = [];
  for (const track of tracksOf(scenario)) {
    const start = index.get(track.start);
    if (start === undefined) return null;
    starts.push(start);
  }
  // Iterative depth-first search: 0 unseen, 1 on the stack, 2 done.
  const state = new Uint8Array(scenario.timeline.length);
  const order: number[] = [];
  for (const start of starts) {
    if (state[start] !== 0) continue;
    if (!visitFrom(start, edges, state, order)) return null;
  }
  return { order, edges, isEnd: scenario.timeline.map((n) => n.type === 'end'), starts };
}

/** Depth-first from `start`, appending finished nodes to `order`; false when a cycle is found. */
function visitFrom(start: number, edges: Edge[][], state: Uint8Array, order: number[]): boolean {
  const stack: Array<{ node: number; next: number }> = [{ node: start, next: 0 }];
  state[start] = 1;
  while (stack.length) {
    const top = stack.at(-1)!;
    const out = edges[top.node]!;
    if (top.next < out.length) {
      const to = out[top.next++]!.to;
      if (state[to] === 1) return false;
      if (state[to] === 0) {
        state[to] = 1;
        stack.push({ node: to, next: 0 });
      }
    } else {
      state[top.node] = 2;
      order.push(top.node);
      stack.pop();
    }
  }
  return true;
}

/** The largest total weight over paths from the start to an end; null if there is none or the graph loops. */
function longestPath(graph: Graph | null, weight: (points: Points) => number): number | null {
  if (!graph) return null;
  const best = new Map<number, number>();
  for (const node of graph.order) {
    let value = graph.isEnd[node] ? 0 : -Infinity;
    for (const edge of graph.edges[node]!) {
      const rest = best.get(edge.to) ?? -Infinity;
      if (rest === -Infinity) continue;
      value = Math.max(value, weight(edge.points) + rest);
    }
    best.set(node, value);
  }
  let result = 0;
  for (const start of graph.starts) result += best.get(start) ?? -Infinity;
  return result === -Infinity ? null : result;
}
