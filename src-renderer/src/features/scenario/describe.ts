/**
 * Words for the parts of a scenario the preview shows: node titles,
 * structured conditions, consequences, minutes. Pure functions of the
 * scenario; they never throw on references that do not resolve (the preview
 * also shows scenarios that fail semantic validation).
 */
import { formatMinutes } from '../../../../src-main/api/time-format.ts';
import type { Condition, Consequences, NodeType, Scenario, TimelineNode } from './types.ts';

export const NODE_TYPE_LABELS: Record<NodeType, string> = {
  inject: 'Inject',
  decision: 'Decision',
  branch: 'Branch',
  random: 'Random event',
  end: 'End',
};

/** Scenario minutes as short text: "0 min", "95 min" (worded once, src-main/core/time-format.ts). */
export { formatMinutes };

/** Scenario minutes with hours spelled out past the first: "45 min", "95 min (1 h 35)". */
export function formatMinutesLong(minutes: number): string {
  const rounded = Math.round(minutes * 10) / 10;
  if (rounded < 60) return formatMinutes(rounded);
  const hours = Math.floor(rounded / 60);
  const rest = Math.round((rounded - hours * 60) * 10) / 10;
  return `${rounded} min (${hours} h${rest ? ` ${rest}` : ''})`;
}

/** A node's title; branches may have none, so their id stands in. */
export function nodeTitle(node: TimelineNode): string {
  if (node.type === 'branch') return node.title ?? `Branch ${node.id}`;
  return node.title;
}

function scalar(value: number | boolean | string): string {
  return typeof value === 'string' ? `"${value}"` : String(value);
}

/** The parts of a scenario the words need (the library's and a session's scenario both have them). */
type Words = Pick<Scenario, 'variables' | 'milestones' | 'objectives' | 'timeline'>;
type Contingency = Scenario['contingencies'][number];

const OPS: Record<string, string> = { '==': '=', '!=': '≠', '>': '>', '>=': '≥', '<': '<', '<=': '≤' };

/** A structured condition in words, e.g. `Data exfiltrated (GB) > 10 and "Revoke keys" chosen`. */
export function describeCondition(condition: Condition, scenario: Words): string {
  if ('var' in condition) {
    const variable = scenario.variables.find((v) => v.id === condition.var);
    const unit = variable?.type === 'number' && variable.unit ? ` ${variable.unit}` : '';
    return `${variable?.label ?? condition.var} ${OPS[condition.op] ?? condition.op} ${scalar(condition.value)}${unit}`;
  }
  if ('milestone' in condition) {
    const milestone = scenario.milestones.find((m) => m.id === condition.milestone);
    return `${milestone?.label ?? condition.milestone} ${condition.reached ? 'reached' : 'not reached'}`;
  }
  if ('chose' in condition) {
    const decision = scenario.timeline.find((n) => n.id === condition.chose);
    const option = decision?.type === 'decision' ? decision.options.find((o) => o.id === condition.option) : undefined;
    return `chose "${option?.label ?? condition.option}"`;
  }
  if ('all' in condition) return condition.all.map((c) => wrap(c, scenario)).join(' and ');
  if ('any' in condition) return condition.any.map((c) => wrap(c, scenario)).join(' or ');
  return `not ${wrap(condition.not, scenario)}`;
}

function wrap(condition: Condition, scenario: Words): string {
  const text = describeCondition(condition, scenario);
  return 'all' in condition || 'any' in condition ? `(${text})` : text;
}

/** What choosing an option (or rolling an outcome) changes, one phrase per effect. */
export function describeConsequences(consequences: Consequences, scenario: Scenario): string[] {
  const label = (id: string) => scenario.variables.find((v) => v.id === id)?.label ?? id;
  const unit = (id: string) => {
    const variable = scenario.variables.find((v) => v.id === id);
    return variable?.type === 'number' && variable.unit ? ` ${variable.unit}` : '';
  };
  const parts: string[] = [];
  for (const [id, value] of Object.entries(consequences.set ?? {})) parts.push(`${label(id)} = ${scalar(value)}${typeof value === 'number' ? unit(id) : ''}`);
  for (const [id, value] of Object.entries(consequences.add ?? {})) parts.push(`${label(id)} ${value < 0 ? '−' : '+'}${Math.abs(value)}${unit(id)}`);
  for (const id of consequences.milestones ?? []) {
    parts.push(`reaches milestone “${scenario.milestones.find((m) => m.id === id)?.label ?? id}”`);
  }
  for (const id of consequences.objectives ?? []) {
    const text = scenario.objectives.find((o) => o.id === id)?.text ?? id;
    parts.push(`demonstrates objective “${text.length > 80 ? `${text.slice(0, 80)}…` : text}”`);
  }
  return parts;
}

/**
 * When a contingency fires by itself, in words: "at 30 min if milestone “Contained” is not reached yet"
 * (version 1), or the format-1.1 rule ("when Records copied > 10000", "10 min after “Ransom note”").
 */
export function describeTrigger(contingency: Contingency, scenario: Words): string {
  const repeat = contingency.repeat;
  const again = repeat ? `; again while it holds, at least ${formatMinutes(repeat.cooldownMinutes)} apart${repeat.max !== undefined ? `, ${repeat.max} times at most` : ''}` : '';
  return `${firstTrigger(contingency.when, scenario)}${again}`;
}

function firstTrigger(when: Contingency['when'], scenario: Words): string {
  if ('notReached' in when) {
    const target = when.notReached;
    const what =
      'milestone' in target
        ? `milestone “${scenario.milestones.find((m) => m.id === target.milestone)?.label ?? target.milestone}”`
        : `objective “${scenario.objectives.find((o) => o.id === target.objective)?.text ?? target.objective}”`;
    return `at ${formatMinutesLong(when.by)} if ${what} is not reached yet`;
  }
  const parts: string[] = [];
  if (when.after) {
    const inject = scenario.timeline.find((n) => n.id === when.after!.inject);
    parts.push(`${formatMinutes(when.after.minutes)} after “${inject ? nodeTitle(inject) : when.after.inject}” is delivered`);
  }
  if (when.from !== undefined) parts.push(`from ${formatMinutesLong(when.from)}`);
  if (when.condition) parts.push(`${when.after ? 'if' : 'when'} ${describeCondition(when.condition, scenario)}${when.after ? ' still holds' : ''}`);
  return parts.join(', ');
}
