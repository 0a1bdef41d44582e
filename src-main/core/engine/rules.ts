/**
 * Richer rules (format 1.1), as pure functions of a team's context: when a
 * contingency is due, whether it may fire (again), and which options of a
 * decision are on offer. The machine (./machine.ts) and the team engine
 * (./team.ts) both ask here, so that "is it due?" has one answer: the time
 * the runner wakes the team at is exactly the time the machine fires it.
 *
 * - A contingency's trigger is either the version-1 deadline
 *   (`{ notReached, by }`: fires at minute `by` if the milestone/objective is
 *   still not reached) or a rule (`{ condition?, after?, from? }`: fires as
 *   soon as the condition holds, no sooner than minute `from`, and no sooner
 *   than `after.minutes` after inject `after.inject` was last delivered).
 * - With `repeat`, it fires again while its trigger holds, no sooner than
 *   `cooldownMinutes` after its previous firing (automatic or by hand), up to
 *   `max` firings. Without `repeat` it fires once, as in version 1.
 * - Conditions only change when something happens (a choice, an inject's or a
 *   contingency's effects, a random outcome, a milestone marked by hand), and
 *   time alone never makes one true: so a trigger's due time is a pure
 *   function of the context, recomputed after every step.
 * - An option with `when` is on offer while its condition holds, evaluated
 *   against the team's state at every moment the decision is open (not frozen
 *   when it opens). The default option never carries `when` (the validator
 *   refuses it), so a time-out can always take it.
 */
import type { Condition, Contingency, DeadlineTrigger, DecisionNode, DecisionOption, Scalar, Scenario } from '../scenario/schema.ts';
import { evaluate } from './conditions.ts';

export const RULE_MINUTE_MS = 60_000;

/** A contingency's firings so far: the latest one, and how many. */
export interface ContingencyFiring {
  firedAt: number;
  manual: boolean;
  count: number;
}

/** The part of a team's context the rules read. */
export interface RuleScope {
  now: number;
  vars: Readonly<Record<string, Scalar>>;
  milestones: Readonly<Record<string, number | null>>;
  objectives: Readonly<Record<string, number | null>>;
  choices: Readonly<Record<string, string>>;
  /** Inject id -> scenario ms of its latest delivery. */
  delivered: Readonly<Record<string, number>>;
  contingencies: Readonly<Record<string, ContingencyFiring | null>>;
  ended: unknown;
}

export function isDeadlineTrigger(when: Contingency['when']): when is DeadlineTrigger {
  return 'notReached' in when;
}

/** True when the contingency may fire (again) at all: not yet fired, or repeating and below its `max`. */
export function mayFireAgain(contingency: Contingency, firing: ContingencyFiring | null | undefined): boolean {
  if (!firing) return true;
  if (!contingency.repeat) return false;
  return contingency.repeat.max === undefined || firing.count < contingency.repeat.max;
}

/**
 * The scenario ms from which the contingency fires by itself if nothing
 * changes meanwhile, or null when it will not (its trigger does not hold, it
 * has fired its last time, or the team has ended).
 */
export function contingencyDueAt(contingency: Contingency, scope: RuleScope): number | null {
  if (scope.ended) return null;
  const firing = scope.contingencies[contingency.id] ?? null;
  if (!mayFireAgain(contingency, firing)) return null;
  const when = contingency.when;
  let due = 0;
  if (isDeadlineTrigger(when)) {
    const target = when.notReached;
    const reached = 'milestone' in target ? scope.milestones[target.milestone] : scope.objectives[target.objective];
    if (reached != null) return null;
    due = when.by * RULE_MINUTE_MS;
  } else {
    if (when.condition && !evaluate(when.condition, scope)) return null;
    if (when.after) {
      const deliveredAt = scope.delivered[when.after.inject];
      if (deliveredAt === undefined) return null;
      due = Math.max(due, deliveredAt + when.after.minutes * RULE_MINUTE_MS);
    }
    if (when.from !== undefined) due = Math.max(due, when.from * RULE_MINUTE_MS);
  }
  if (firing && contingency.repeat) due = Math.max(due, firing.firedAt + contingency.repeat.cooldownMinutes * RULE_MINUTE_MS);
  return due;
}

/** The earliest scenario ms at which a repeating contingency may fire again (its cooldown), or null once it cannot. */
export function nextPossibleMs(contingency: Contingency, firing: ContingencyFiring | null | undefined): number | null {
  if (!firing) return null;
  if (!contingency.repeat || !mayFireAgain(contingency, firing)) return null;
  return firing.firedAt + contingency.repeat.cooldownMinutes * RULE_MINUTE_MS;
}

/** True while the option is on offer: it has no `when`, or its condition holds now. */
export function optionAvailable(option: DecisionOption, scope: Pick<RuleScope, 'vars' | 'milestones' | 'choices'>): boolean {
  return option.when === undefined || evaluate(option.when, scope);
}

/** The options of a decision on offer now, in the decision's order. */
export function availableOptions(node: DecisionNode, scope: Pick<RuleScope, 'vars' | 'milestones' | 'choices'>): DecisionOption[] {
  return node.options.filter((option) => optionAvailable(option, scope));
}

// ---------------------------------------------------------------- in words (MSEL notes, rehearse, refusals)

type Words = Pick<Scenario, 'variables' | 'milestones' | 'objectives' | 'timeline'>;
const OPS: Readonly<Record<string, string>> = { '==': '=', '!=': '≠', '>': '>', '>=': '≥', '<': '<', '<=': '≤' };

/** A structured condition in words, e.g. `Records copied > 10000 and "Revoke keys" chosen`. */
export function describeCondition(condition: Condition, scenario: Words): string {
  const wrap = (inner: Condition) => ('all' in inner || 'any' in inner ? `(${describeCondition(inner, scenario)})` : describeCondition(inner, scenario));
  if ('var' in condition) {
    const variable = scenario.variables.find((v) => v.id === condition.var);
    const value = typeof condition.value === 'string' ? `"${condition.value}"` : String(condition.value);
    return `${variable?.label ?? condition.var} ${OPS[condition.op] ?? condition.op} ${value}`;
  }
  if ('milestone' in condition) {
    const label = scenario.milestones.find((m) => m.id === condition.milestone)?.label ?? condition.milestone;
    return `milestone "${label}" is ${condition.reached ? 'reached' : 'not reached'}`;
  }
  if ('chose' in condition) {
    const decision = scenario.timeline.find((n) => n.id === condition.chose);
    const option = decision?.type === 'decision' ? decision.options.find((o) => o.id === condition.option) : undefined;
    return `"${option?.label ?? condition.option}" was chosen`;
  }
  if ('all' in condition) return condition.all.map(wrap).join(' and ');
  if ('any' in condition) return condition.any.map(wrap).join(' or ');
  return `not ${wrap(condition.not)}`;
}

/** When a contingency fires by itself, in words (without its repeat). */
export function describeTrigger(contingency: Contingency, scenario: Words): string {
  const when = contingency.when;
  if (isDeadlineTrigger(when)) {
    const target = when.notReached;
    const what =
      'milestone' in target
        ? `milestone "${scenario.milestones.find((m) => m.id === target.milestone)?.label ?? target.milestone}" is reached`
        : `objective "${target.objective}" is demonstrated`;
    return `at minute ${when.by} unless ${what} first`;
  }
  const parts: string[] = [];
  if (when.after) {
    const inject = scenario.timeline.find((n) => n.id === when.after!.inject);
    parts.push(`${when.after.minutes} min after inject "${inject?.type === 'inject' ? inject.title : when.after.inject}" is delivered`);
  }
  if (when.from !== undefined) parts.push(`from minute ${when.from}`);
  if (when.condition) parts.push(`${when.after ? 'if ' : 'when '}${describeCondition(when.condition, scenario)}${when.after ? ' still holds' : ''}`);
  return parts.join(', ');
}

/** How a contingency repeats, in words, or '' when it fires once. */
export function describeRepeat(contingency: Contingency): string {
  const repeat = contingency.repeat;
  if (!repeat) return '';
  return `repeats while it holds, at least ${repeat.cooldownMinutes} min apart${repeat.max !== undefined ? `, ${repeat.max} times at most` : ''}`;
}
