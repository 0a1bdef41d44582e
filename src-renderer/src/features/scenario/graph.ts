/**
 * The branch structure of a scenario as a graph: steps (timeline nodes) in
 * reading order, their exits (next, options, cases, outcomes), and a layered
 * layout computed with dagre for drawing as SVG.
 *
 * Pure functions of the scenario; references that do not resolve are kept as
 * exits to a missing step (drawn nowhere, listed in the text alternative).
 */
import dagre, { type EdgeLabel, type GraphLabel, type NodeLabel } from '@dagrejs/dagre';
import { exitsOf, tracksOf } from '../../../../src-main/api/scenario-graph.ts';
import { describeCondition, formatMinutes, nodeTitle } from './describe.ts';
import type { NodeType, Scenario, TimelineNode } from './types.ts';

export type ExitKind = 'next' | 'option' | 'recommended' | 'case' | 'otherwise' | 'outcome';

export interface StepExit {
  kind: ExitKind;
  /** The whole label ("" for an inject's plain next). */
  label: string;
  target: string;
  /** False when no step has the target id. */
  resolved: boolean;
}

export interface Step {
  id: string;
  type: NodeType;
  title: string;
  /** Short fact shown under the type, e.g. "at 15 min" or "3 options". */
  detail: string;
  node: TimelineNode;
  exits: StepExit[];
  /** False when the step cannot be reached from `start`. */
  reachable: boolean;
}

function detailOf(node: TimelineNode): string {
  switch (node.type) {
    case 'inject':
      return node.at === undefined ? 'on arrival' : `at ${formatMinutes(node.at)}`;
    case 'decision':
      return `${node.options.length} options${node.timeLimitMinutes ? `, ${node.timeLimitMinutes}-min limit` : ''}`;
    case 'branch':
      return `${node.cases.length + 1} ways`;
    case 'random':
      return `${node.outcomes.length} outcomes`;
    case 'end':
      return node.result;
  }
}

function stepExits(node: TimelineNode, scenario: Scenario, exists: (id: string) => boolean): StepExit[] {
  const total = node.type === 'random' ? node.outcomes.reduce((sum, o) => sum + o.weight, 0) : 0;
  return exitsOf(node).map((exit): StepExit => {
    const made = (kind: ExitKind, label: string): StepExit => ({ kind, label, target: exit.next, resolved: exists(exit.next) });
    switch (exit.kind) {
      case 'next':
        return made('next', '');
      case 'option':
        return made(exit.option.recommended ? 'recommended' : 'option', exit.option.label);
      case 'case':
        return made('case', `if ${describeCondition(exit.when, scenario)}`);
      case 'otherwise':
        return made('otherwise', 'otherwise');
      case 'outcome':
        return made('outcome', `${exit.outcome.label} (${Math.round((exit.outcome.weight / total) * 100)}%)`);
    }
  });
}

/** What a screen asks of the branch graph it shows (BranchGraph.svelte, bound with `bind:this`). */
export interface BranchGraphView {
  /** Moves keyboard focus to a step's node (and scrolls it into view). */
  focusStep(id: string): void;
}

/** The scenario's steps in reading order: breadth-first from `start` (from each track's start, in order), then any unreachable ones. */
export function buildSteps(scenario: Scenario): Step[] {
  const byId = new Map<string, TimelineNode>();
  for (const node of scenario.timeline) if (!byId.has(node.id)) byId.set(node.id, node);
  const exists = (id: string) => byId.has(id);
  const steps = new Map<string, Step>();
  const toStep = (node: TimelineNode, reachable: boolean): Step => ({
    id: node.id,
    type: node.type,
    title: nodeTitle(node),
    detail: detailOf(node),
    node,
    exits: stepExits(node, scenario, exists),
    reachable,
  });
  // Reading order: each track from its start, the lead track first (one track without `tracks`).
  const queue: string[] = tracksOf(scenario)
    .map((track) => track.start)
    .filter((id) => byId.has(id));
  while (queue.length > 0) {
    const id = queue.shift()!;
    const node = byId.get(id);
    if (!node || steps.has(id)) continue;
    const step = toStep(node, true);
    steps.set(id, step);
    for (const exit of step.exits) if (exit.resolved && !steps.has(exit.target)) queue.push(exit.target);
  }
  for (const node of byId.values()) if (!steps.has(node.id)) steps.set(node.id, toStep(node, false));
  return [...steps.values()];
}

// ---------------------------------------------------------------- layout

export interface LaidOutNode {
  step: Step;
  /** Top-left corner and size, in graph units (px at 100 %). */
  x: number;
  y: number;
  width: number;
  height: number;
  titleLines: string[];
}

export interface LaidOutEdge {
  key: string;
  from: string;
  to: string;
  kind: ExitKind;
  /** SVG path data. */
  path: string;
  label: { x: number; y: number; width: number; height: number; lines: string[]; full: string } | null;
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: LaidOutNode[];
  edges: LaidOutEdge[];
}

/** Box and text metrics shared by the layout and the SVG drawing (px at 100 %). */
export const METRICS = {
  nodeWidth: 220,
  nodePadding: 10,
  headerHeight: 26,
  titleLineHeight: 17,
  titleChars: 26,
  titleLines: 3,
  labelChars: 26,
  labelLines: 2,
  labelLineHeight: 15,
  labelCharWidth: 6.6,
} as const;

/** Greedy word wrap to at most `maxLines` lines of `maxChars`, with an ellipsis when cut. */
export function wrapText(text: string, maxChars: number, maxLines: number): string[] {
  const words = text.replace(/\s+/g, ' ').trim().split(' ');
  const lines: string[] = [];
  let current = '';
  for (let word of words) {
    while (word.length > maxChars) {
      if (current) {
        lines.push(current);
        current = '';
      }
      lines.push(word.slice(0, maxChars));
      word = word.slice(maxChars);
    }
    if (!current) current = word;
    else if (current.length + 1 + word.length <= maxChars) current += ` ${word}`;
    else {
      lines.push(current);
      current = word;
    }
  }
  if (current) lines.push(current);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  const last = kept[maxLines - 1] ?? '';
  kept[maxLines - 1] = `${last.slice(0, Math.max(0, maxChars - 1))}…`;
  return kept;
}

function pathThrough(points: readonly { x: number; y: number }[]): string {
  const [first, ...rest] = points;
  if (!first) return '';
  if (rest.length === 0) return `M${first.x},${first.y}`;
  let d = `M${first.x},${first.y}`;
  // Smooth corners: a quadratic curve through each bend, ending on the midpoint to the next.
  for (let i = 0; i < rest.length - 1; i++) {
    const p = rest[i]!;
    const q = rest[i + 1]!;
    d += ` Q${p.x},${p.y} ${(p.x + q.x) / 2},${(p.y + q.y) / 2}`;
  }
  const last = rest[rest.length - 1]!;
  return `${d} L${last.x},${last.y}`;
}

/** Lays the steps out top to bottom; labels sit on their edges. */
export function layoutSteps(steps: readonly Step[]): GraphLayout {
  // dagre's own label types: what layout writes on them (x, y, points) is typed, no casts.
  const g = new dagre.graphlib.Graph<GraphLabel, NodeLabel, EdgeLabel>({ directed: true, multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 28, edgesep: 14, ranksep: 36, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));

  const titles = new Map<string, string[]>();
  for (const step of steps) {
    const titleLines = wrapText(step.title, METRICS.titleChars, METRICS.titleLines);
    titles.set(step.id, titleLines);
    g.setNode(step.id, {
      width: METRICS.nodeWidth,
      height: METRICS.headerHeight + titleLines.length * METRICS.titleLineHeight + METRICS.nodePadding,
    });
  }
  const edgeKeys: { key: string; from: string; to: string; kind: ExitKind; lines: string[]; full: string }[] = [];
  for (const step of steps) {
    step.exits.forEach((exit, index) => {
      if (!exit.resolved) return;
      const key = `${step.id}#${index}`;
      const lines = exit.label ? wrapText(exit.label, METRICS.labelChars, METRICS.labelLines) : [];
      const longest = lines.reduce((max, line) => Math.max(max, line.length), 0);
      g.setEdge(
        step.id,
        exit.target,
        lines.length > 0 ? { width: Math.ceil(longest * METRICS.labelCharWidth) + 12, height: lines.length * METRICS.labelLineHeight + 6, labelpos: 'c' } : {},
        key,
      );
      edgeKeys.push({ key, from: step.id, to: exit.target, kind: exit.kind, lines, full: exit.label });
    });
  }

  dagre.layout(g);

  const nodes: LaidOutNode[] = steps.map((step) => {
    const n = g.node(step.id);
    const width = n.width;
    const height = n.height;
    return { step, x: (n.x ?? 0) - width / 2, y: (n.y ?? 0) - height / 2, width, height, titleLines: titles.get(step.id) ?? [] };
  });
  const edges: LaidOutEdge[] = edgeKeys.map(({ key, from, to, kind, lines, full }) => {
    const e = g.edge(from, to, key);
    const label =
      lines.length > 0 && e.x !== undefined && e.y !== undefined
        ? { x: e.x - (e.width ?? 0) / 2, y: e.y - (e.height ?? 0) / 2, width: e.width ?? 0, height: e.height ?? 0, lines, full }
        : null;
    return { key, from, to, kind, path: pathThrough(e.points ?? []), label };
  });
  const graph = g.graph();
  return { width: Math.ceil(graph.width ?? METRICS.nodeWidth), height: Math.ceil(graph.height ?? 100), nodes, edges };
}
