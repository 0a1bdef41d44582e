/**
 * The timeline as a graph: THE list of a node's successors, used by
 * validation, the compiler's consumers (rehearse, the debrief's scoring, the
 * MSEL export) and the renderer's branch graph (through `api/scenario-graph.ts`).
 */
import type { Condition, DecisionOption, RandomNode, TimelineNode } from './schema.ts';

export type RandomOutcome = RandomNode['outcomes'][number];

/** One way out of a timeline node, in the order the author wrote them. */
export type Exit =
  | { kind: 'next'; next: string }
  | { kind: 'option'; option: DecisionOption; next: string }
  | { kind: 'case'; when: Condition; next: string }
  | { kind: 'otherwise'; next: string }
  | { kind: 'outcome'; outcome: RandomOutcome; next: string };

/** Every exit of a node: an inject's `next`, each option, each case then `otherwise`, each outcome; none for an end. */
export function exitsOf(node: TimelineNode): Exit[] {
  switch (node.type) {
    case 'inject':
      return [{ kind: 'next', next: node.next }];
    case 'decision':
      return node.options.map((option) => ({ kind: 'option', option, next: option.next }));
    case 'branch': {
      const exits: Exit[] = node.cases.map((c) => ({ kind: 'case', when: c.when, next: c.next }));
      exits.push({ kind: 'otherwise', next: node.otherwise });
      return exits;
    }
    case 'random':
      return node.outcomes.map((outcome) => ({ kind: 'outcome', outcome, next: outcome.next }));
    case 'end':
      return [];
  }
}

/** The ids a node leads to, in exit order (repeats kept). */
export function nextIdsOf(node: TimelineNode): string[] {
  return exitsOf(node).map((exit) => exit.next);
}
