import type { Condition, Scalar } from '../scenario/schema.ts';

/** What a condition may look at: variables, milestones reached, choices made. */
export interface ConditionScope {
  vars: Readonly<Record<string, Scalar>>;
  milestones: Readonly<Record<string, number | null>>;
  choices: Readonly<Record<string, string>>;
}

/** Evaluates a structured condition. Data only: nothing in a scenario is ever run as code. */
export function evaluate(condition: Condition, scope: ConditionScope): boolean {
  if ('var' in condition) {
    const left = scope.vars[condition.var];
    const right = condition.value;
    switch (condition.op) {
      case '==':
        return left === right;
      case '!=':
        return left !== right;
      case '>':
        return typeof left === 'number' && typeof right === 'number' && left > right;
      case '>=':
        return typeof left === 'number' && typeof right === 'number' && left >= right;
      case '<':
        return typeof left === 'number' && typeof right === 'number' && left < right;
      case '<=':
        return typeof left === 'number' && typeof right === 'number' && left <= right;
    }
  }
  if ('milestone' in condition) return (scope.milestones[condition.milestone] != null) === condition.reached;
  if ('chose' in condition) return scope.choices[condition.chose] === condition.option;
  if ('all' in condition) return condition.all.every((c) => evaluate(c, scope));
  if ('any' in condition) return condition.any.some((c) => evaluate(c, scope));
  return !evaluate(condition.not, scope);
}
