/**
 * Lookups into the scenario a session runs (nodes, evidence, milestones,
 * objectives, contingencies by id), built once per scenario, and the words
 * the console uses for them.
 */
import type { ResultOf } from '../../../../src-main/api/contract.ts';

/** The scenario a session runs (as `sessions.scenario` returns it). */
export type Scenario = ResultOf<'sessions.scenario'>;
export type TimelineNode = Scenario['timeline'][number];
export type InjectNode = Extract<TimelineNode, { type: 'inject' }>;
export type DecisionNode = Extract<TimelineNode, { type: 'decision' }>;
export type EndNode = Extract<TimelineNode, { type: 'end' }>;
export type Contingency = Scenario['contingencies'][number];
export type Evidence = Scenario['evidence'][number];
export type Milestone = Scenario['milestones'][number];
export type Objective = Scenario['objectives'][number];

export const NODE_KIND_LABELS: Record<TimelineNode['type'], string> = {
  inject: 'inject',
  decision: 'decision',
  branch: 'branch',
  random: 'random event',
  end: 'end',
};

export const RESULT_LABELS: Record<EndNode['result'], string> = {
  success: 'Success',
  partial: 'Partial success',
  failure: 'Failure',
};

export class ScenarioIndex {
  readonly scenario: Scenario;
  readonly #nodes: Map<string, TimelineNode>;
  readonly #evidence: Map<string, Evidence>;
  readonly #contingencies: Map<string, Contingency>;
  readonly #milestones: Map<string, Milestone>;
  readonly #objectives: Map<string, Objective>;

  constructor(scenario: Scenario) {
    this.scenario = scenario;
    this.#nodes = new Map(scenario.timeline.map((n) => [n.id, n]));
    this.#evidence = new Map(scenario.evidence.map((e) => [e.id, e]));
    this.#contingencies = new Map(scenario.contingencies.map((c) => [c.id, c]));
    this.#milestones = new Map(scenario.milestones.map((m) => [m.id, m]));
    this.#objectives = new Map(scenario.objectives.map((o) => [o.id, o]));
  }

  node(id: string | null | undefined): TimelineNode | undefined {
    return id ? this.#nodes.get(id) : undefined;
  }

  inject(id: string | null | undefined): InjectNode | undefined {
    const node = this.node(id);
    return node?.type === 'inject' ? node : undefined;
  }

  decision(id: string | null | undefined): DecisionNode | undefined {
    const node = this.node(id);
    return node?.type === 'decision' ? node : undefined;
  }

  end(id: string | null | undefined): EndNode | undefined {
    const node = this.node(id);
    return node?.type === 'end' ? node : undefined;
  }

  contingency(id: string): Contingency | undefined {
    return this.#contingencies.get(id);
  }

  milestone(id: string): Milestone | undefined {
    return this.#milestones.get(id);
  }

  objective(id: string): Objective | undefined {
    return this.#objectives.get(id);
  }

  /** The evidence items an inject shows, in its order (unknown ids skipped). */
  evidenceOf(ids: readonly string[]): Evidence[] {
    return ids.map((id) => this.#evidence.get(id)).filter((e): e is Evidence => e !== undefined);
  }

  /** A node's title in words (branches may have none). */
  title(id: string | null | undefined): string {
    const node = this.node(id);
    if (!node) return id ?? '';
    if (node.type === 'branch') return node.title ?? `Branch ${node.id}`;
    return node.title;
  }

  milestoneLabel(id: string): string {
    return this.milestone(id)?.label ?? id;
  }

  /** What a contingency waits for, e.g. `“Key can no longer be used”`. */
  contingencyCondition(contingency: Contingency): string {
    if (!('notReached' in contingency.when)) return '';
    const target = contingency.when.notReached;
    if ('milestone' in target) return `milestone “${this.milestoneLabel(target.milestone)}”`;
    return `objective “${this.objective(target.objective)?.text ?? target.objective}”`;
  }
}
