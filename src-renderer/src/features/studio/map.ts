/**
 * The studio's map: the draft's timeline as the branch graph's steps, read
 * tolerantly (a draft may be half written: a node without a title, an option
 * without `next`), each exit with the JSON pointer of its `next`; and the
 * edits the map makes — add a node of each kind, connect an exit, move a
 * node, delete one with the references to it cleaned up or reported.
 *
 * Where a node stands with the validator (unreachable, a dead end) comes
 * from the validator's own problems, not from a second reading of the graph.
 */
import type { ExitKind, Step, StepExit } from '../scenario/graph.ts';
import type { NodeType, TimelineNode } from '../scenario/types.ts';
import type { ValidationProblem } from './editor.ts';
import type { DraftState, JsonObject } from './draft.svelte.ts';

export const NODE_TYPES: readonly NodeType[] = ['inject', 'decision', 'branch', 'random', 'end'];

/** One exit of a draft node: where its `next` is written and what it names. */
export interface DraftExit extends StepExit {
  pointer: string;
}

export interface DraftStep extends Step {
  index: number;
  exits: DraftExit[];
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The nodes of the draft's timeline (anything that is not an object is skipped). */
export function draftNodes(document: JsonObject): { node: JsonObject; index: number }[] {
  return list(document.timeline).flatMap((node, index) => (isObject(node) ? [{ node, index }] : []));
}

function typeOf(node: JsonObject): NodeType {
  return NODE_TYPES.includes(node.type as NodeType) ? (node.type as NodeType) : 'inject';
}

const plainTypeNames: Record<NodeType, string> = { inject: 'Inject', decision: 'Decision', branch: 'Branch', random: 'Random event', end: 'Ending' };

/** A node's exits, each with the pointer of its `next`. */
export function draftExits(node: JsonObject, index: number): Omit<DraftExit, 'resolved'>[] {
  const base = `/timeline/${index}`;
  const exit = (kind: ExitKind, label: string, pointer: string, target: unknown) => ({ kind, label, pointer, target: text(target) });
  switch (typeOf(node)) {
    case 'inject':
      return [exit('next', '', `${base}/next`, node.next)];
    case 'decision':
      return list(node.options).map((option, i) => {
        const o = isObject(option) ? option : {};
        return exit(o.recommended === true ? 'recommended' : 'option', text(o.label) || `Option ${i + 1}`, `${base}/options/${i}/next`, o.next);
      });
    case 'branch': {
      const cases = list(node.cases).map((c, i) => exit('case', `case ${i + 1}`, `${base}/cases/${i}/next`, isObject(c) ? c.next : undefined));
      return [...cases, exit('otherwise', 'otherwise', `${base}/otherwise`, node.otherwise)];
    }
    case 'random':
      return list(node.outcomes).map((outcome, i) => {
        const o = isObject(outcome) ? outcome : {};
        return exit('outcome', text(o.label) || `Outcome ${i + 1}`, `${base}/outcomes/${i}/next`, o.next);
      });
    case 'end':
      return [];
  }
}

function detailOf(node: JsonObject): string {
  switch (typeOf(node)) {
    case 'inject':
      return typeof node.at === 'number' ? `at ${node.at} min` : 'on arrival';
    case 'decision':
      return `${list(node.options).length} options`;
    case 'branch':
      return `${list(node.cases).length + 1} ways`;
    case 'random':
      return `${list(node.outcomes).length} outcomes`;
    case 'end':
      return text(node.result) || 'partial';
  }
}

/** The validator's verdicts on timeline nodes, by index: unreachable, or a dead end (a loop with no way out, an exit to nowhere). */
export function nodeVerdicts(problems: readonly ValidationProblem[]): { unreachable: Set<number>; deadEnd: Set<number> } {
  const unreachable = new Set<number>();
  const deadEnd = new Set<number>();
  for (const problem of problems) {
    const match = /^\/timeline\/(\d+)(\/.*)?$/.exec(problem.pointer);
    if (!match) continue;
    const index = Number(match[1]);
    const rest = match[2] ?? '';
    if (rest === '' && /can never be reached/.test(problem.message)) unreachable.add(index);
    else if (rest === '' && /no way out to an end node/.test(problem.message)) deadEnd.add(index);
    else if (/^(\/(options|cases|outcomes)\/\d+)?\/(next|otherwise)$/.test(rest)) deadEnd.add(index);
  }
  return { unreachable, deadEnd };
}

/**
 * The draft's steps in reading order: breadth-first from `start` (and each
 * track's start), then the rest. `reachable` is the validator's word when it
 * has spoken (`problems`), else this walk's.
 */
export function draftSteps(document: JsonObject, problems: readonly ValidationProblem[]): DraftStep[] {
  const nodes = draftNodes(document);
  const byId = new Map<string, { node: JsonObject; index: number }>();
  for (const entry of nodes) {
    const id = text(entry.node.id);
    if (id && !byId.has(id)) byId.set(id, entry);
  }
  const { unreachable } = nodeVerdicts(problems);
  const toStep = (node: JsonObject, index: number): DraftStep => {
    const type = typeOf(node);
    const id = text(node.id) || `#${index + 1}`;
    return {
      id,
      index,
      type,
      title: text(node.title) || `${plainTypeNames[type]} ${id}`,
      detail: detailOf(node),
      node: node as unknown as TimelineNode,
      exits: draftExits(node, index).map((exit) => ({ ...exit, resolved: byId.has(exit.target) })),
      reachable: !unreachable.has(index),
    };
  };
  const starts = [text(document.start), ...list(document.tracks).map((track) => (isObject(track) ? text(track.start) : ''))];
  const steps = new Map<number, DraftStep>();
  const queue = starts.filter((id) => byId.has(id));
  const seen = new Set<string>();
  while (queue.length > 0) {
    const id = queue.shift()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const entry = byId.get(id)!;
    const step = toStep(entry.node, entry.index);
    steps.set(entry.index, step);
    for (const exit of step.exits) if (exit.resolved && !seen.has(exit.target)) queue.push(exit.target);
  }
  for (const { node, index } of nodes) if (!steps.has(index)) steps.set(index, toStep(node, index));
  // Nodes sharing an id (a problem the validator names) are kept apart by position.
  const ids = new Set<string>();
  return [...steps.values()].map((step) => {
    if (!ids.has(step.id)) {
      ids.add(step.id);
      return step;
    }
    const id = `${step.id}#${step.index + 1}`;
    ids.add(id);
    return { ...step, id };
  });
}

/**
 * The part of a large map worth drawing: the selected step, what leads to it
 * and where it leads, `depth` steps each way. (A 2,000-node graph cannot be
 * laid out on every keystroke.)
 */
export function neighbourhood(steps: readonly DraftStep[], selectedId: string | null, depth = 2): DraftStep[] {
  const byId = new Map(steps.map((step) => [step.id, step]));
  const centre = (selectedId !== null ? byId.get(selectedId) : undefined) ?? steps[0];
  if (!centre) return [];
  const predecessors = new Map<string, string[]>();
  for (const step of steps) for (const exit of step.exits) if (exit.resolved) predecessors.set(exit.target, [...(predecessors.get(exit.target) ?? []), step.id]);
  const kept = new Set<string>([centre.id]);
  let forward = [centre.id];
  let backward = [centre.id];
  for (let level = 0; level < depth; level++) {
    forward = forward.flatMap((id) => (byId.get(id)?.exits ?? []).filter((exit) => exit.resolved).map((exit) => exit.target)).filter((id) => !kept.has(id));
    backward = backward.flatMap((id) => predecessors.get(id) ?? []).filter((id) => !kept.has(id));
    for (const id of [...forward, ...backward]) kept.add(id);
  }
  // Exits that leave the drawn part are shown as unresolved (listed, not drawn).
  return steps.filter((step) => kept.has(step.id)).map((step) => ({ ...step, exits: step.exits.map((exit) => (kept.has(exit.target) ? exit : { ...exit, resolved: false })) }));
}

// ---------------------------------------------------------------- edits

/** An id for a new node of a type that no node of the draft has yet: "inject-3". */
export function freshNodeId(document: JsonObject, type: NodeType): string {
  const taken = new Set(draftNodes(document).map(({ node }) => text(node.id)));
  for (let n = 1; ; n++) {
    const id = `${type}-${n}`;
    if (!taken.has(id)) return id;
  }
}

/** A new node of a type, its required fields filled so it reads clearly; exits lead to `next` ("" when there is none yet). */
export function nodeTemplate(type: NodeType, id: string, next: string, document: JsonObject): JsonObject {
  switch (type) {
    case 'inject':
      return { type, id, title: 'New inject', narrative: '*To be written.*', channel: 'email', next };
    case 'decision':
      return {
        type,
        id,
        title: 'New decision',
        prompt: '*To be written.*',
        options: [
          { id: 'option-1', label: 'First option', recommended: true, next },
          { id: 'option-2', label: 'Second option', next },
        ],
      };
    case 'branch': {
      const milestone = draftMilestoneIds(document)[0] ?? 'detected';
      return { type, id, title: 'New branch', cases: [{ when: { milestone, reached: true }, next }], otherwise: next };
    }
    case 'random':
      return {
        type,
        id,
        title: 'New random event',
        outcomes: [
          { id: 'outcome-1', label: 'It happens', weight: 1, next },
          { id: 'outcome-2', label: 'It does not', weight: 1, next },
        ],
      };
    case 'end':
      return { type, id, title: 'New ending', outcome: '*To be written.*', result: 'partial' };
  }
}

function draftMilestoneIds(document: JsonObject): string[] {
  return list(document.milestones).flatMap((m) => (isObject(m) && typeof m.id === 'string' ? [m.id] : []));
}

/**
 * Adds a node of `type` after the node at `afterIndex` (at the end when null)
 * and returns its id. After an inject, the new node goes into its path: it
 * takes over the inject's `next` and the inject leads to it. One undo step.
 */
export function addNode(draft: DraftState, type: NodeType, afterIndex: number | null): string {
  const document = draft.document;
  const id = freshNodeId(document, type);
  const count = list(document.timeline).length;
  const after = afterIndex !== null && afterIndex < count ? afterIndex : null;
  const previous = after !== null ? draft.get(`/timeline/${after}`) : undefined;
  const splice = after !== null && isObject(previous) && previous.type === 'inject' ? after : null;
  const next = splice !== null && isObject(previous) ? text(previous.next) : '';
  draft.batch(`Add ${plainTypeNames[type].toLowerCase()} “${id}”`, () => {
    draft.insert(`/timeline/${after === null ? '-' : after + 1}`, nodeTemplate(type, id, next, document));
    if (splice !== null) draft.set(`/timeline/${splice}/next`, id);
    if (count === 0 || !text(document.start)) draft.set('/start', id);
  });
  return id;
}

/** Points one exit (`pointer` of a `next`) at a node. */
export function connect(draft: DraftState, pointer: string, targetId: string): void {
  draft.set(pointer, targetId, `Connect to “${targetId}”`);
}

/** Moves the node at `index` by `delta` places in the timeline (the order the file lists them in). */
export function moveNode(draft: DraftState, index: number, delta: -1 | 1): number {
  const timeline = list(draft.get('/timeline'));
  const to = index + delta;
  if (index < 0 || index >= timeline.length || to < 0 || to >= timeline.length) return index;
  const node = timeline[index];
  draft.batch(`Move “${isObject(node) ? text(node.id) : index + 1}” ${delta < 0 ? 'up' : 'down'}`, () => {
    draft.remove(`/timeline/${index}`);
    draft.insert(`/timeline/${to}`, node);
  });
  return to;
}

/** Every place that names a node as where to go: exits, `start`, tracks' starts. */
export function referencesTo(document: JsonObject, id: string): string[] {
  const pointers: string[] = [];
  if (text(document.start) === id) pointers.push('/start');
  list(document.tracks).forEach((track, i) => {
    if (isObject(track) && track.start === id) pointers.push(`/tracks/${i}/start`);
  });
  for (const { node, index } of draftNodes(document)) for (const exit of draftExits(node, index)) if (exit.target === id) pointers.push(exit.pointer);
  return pointers;
}

export interface DeleteReport {
  id: string;
  /** References now leading where the deleted node led (it had one way on). */
  rewired: number;
  /** References left naming the deleted node (it had none or several ways on): the validator lists them. */
  dangling: string[];
}

/**
 * Deletes the node at `index`. What led to it leads on to where it led when
 * it had exactly one way on (an inject, or every exit to the same node);
 * otherwise the references are left for the writer to reconnect, and named.
 */
export function deleteNode(draft: DraftState, index: number): DeleteReport | null {
  const node = draft.get(`/timeline/${index}`);
  if (!isObject(node)) return null;
  const id = text(node.id);
  const onward = [...new Set(draftExits(node, index).map((exit) => exit.target))].filter((target) => target && target !== id);
  const replacement = onward.length === 1 ? onward[0]! : null;
  const report: DeleteReport = { id, rewired: 0, dangling: [] };
  draft.batch(`Delete “${id}”`, () => {
    draft.remove(`/timeline/${index}`);
    const references = id ? referencesTo(draft.document, id) : [];
    for (const pointer of references) {
      if (replacement !== null) {
        draft.set(pointer, replacement);
        report.rewired++;
      } else report.dangling.push(pointer);
    }
  });
  return report;
}
