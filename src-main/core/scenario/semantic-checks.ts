/**
 * The whole-document rules of scenario validation, for a document that
 * already fits the schema: unique ids, references that resolve, typed
 * conditions and consequences, the required milestones, audiences, living
 * text, image assets that exist, format-1.1 constructs only in 1.1 files
 * (./version-gate.ts) and the timeline as a graph (./timeline-checks.ts).
 */
import { toPointer } from '../json-pointer.ts';
import { frameworkScoreKeys } from './framework-tags.ts';
import { indexIds, resolveId, suggest, type IdIndex, type Report, type Segment } from './ids.ts';
import { withArticle } from './issue-wording.ts';
import { checkLivingText, evidenceTextFields } from './living-text.ts';
import type { ValidationIssue } from './safe-json.ts';
import { REQUIRED_MILESTONES, type Condition, type Consequences, type RuleTrigger, type Scenario, type Track, type Variable } from './schema.ts';
import { checkTimeline } from './timeline-checks.ts';
import { allowsVersion11, checkFrameworkVersion, livingTextInVersion1, requireVersion11 } from './version-gate.ts';

export interface SemanticOptions {
  /** Says whether an asset path (relative to the scenario file) exists; assets are not checked without it. */
  assetExists?: (relativePath: string) => boolean;
}

export class SemanticChecker {
  readonly issues: ValidationIssue[] = [];
  private readonly report: Report = (path, message) => {
    this.issues.push({ pointer: toPointer(path), message });
  };
  private readonly objectives: IdIndex;
  private readonly roles: IdIndex;
  private readonly variables: IdIndex;
  private readonly milestones: IdIndex;
  private readonly evidence: IdIndex;
  private readonly nodes: IdIndex;

  constructor(
    private readonly scenario: Scenario,
    private readonly options: SemanticOptions,
  ) {
    this.objectives = this.index(scenario.objectives, ['objectives'], 'objective');
    this.roles = this.index(scenario.roles, ['roles'], 'role');
    this.variables = this.index(scenario.variables, ['variables'], 'variable');
    this.milestones = this.index(scenario.milestones, ['milestones'], 'milestone');
    this.evidence = this.index(scenario.evidence, ['evidence'], 'evidence item');
    this.nodes = this.index(scenario.timeline, ['timeline'], 'timeline node');
    this.index(scenario.contingencies, ['contingencies'], 'contingency');
  }

  run(): ValidationIssue[] {
    const { scenario } = this;
    for (const id of REQUIRED_MILESTONES) {
      if (!this.milestones.ids.has(id)) {
        this.report(['milestones'], `the milestone "${id}" is missing; every scenario has the milestones ${REQUIRED_MILESTONES.map((m) => `"${m}"`).join(', ')}`);
      }
    }
    this.reference(['start'], scenario.start, this.nodes);
    if (scenario.tracks) this.checkTracks(scenario.tracks);
    scenario.evidence.forEach((item, i) => {
      if (item.kind === 'image' && this.options.assetExists && !this.assetExists(item.asset)) {
        this.report(['evidence', i, 'asset'], `the image "${item.asset}" was not found (the path is relative to the scenario file's folder)`);
      }
    });
    scenario.evidence.forEach((item, i) => {
      const base: Segment[] = ['evidence', i];
      if (item.audience) this.checkAudience(item.audience, [...base, 'audience']);
      if (item.onRequest) this.requireVersion11([...base, 'onRequest'], 'evidence on request ("onRequest")');
      for (const [path, text] of evidenceTextFields(item)) this.checkText(text, [...base, ...path]);
    });
    scenario.timeline.forEach((node, i) => this.checkNode(node, ['timeline', i]));
    scenario.contingencies.forEach((contingency, i) => {
      const base: Segment[] = ['contingencies', i];
      const when = contingency.when;
      if ('notReached' in when) {
        const target = when.notReached;
        if ('milestone' in target) this.reference([...base, 'when', 'notReached', 'milestone'], target.milestone, this.milestones);
        else this.reference([...base, 'when', 'notReached', 'objective'], target.objective, this.objectives);
      } else {
        this.checkRuleTrigger(when, [...base, 'when']);
      }
      if (contingency.repeat) this.requireVersion11([...base, 'repeat'], 'A repeating contingency ("repeat")');
      this.checkEffects(contingency.effects, [...base, 'effects']);
      contingency.evidence.forEach((id, k) => this.reference([...base, 'evidence', k], id, this.evidence));
      this.checkInjectText(contingency, base);
    });
    checkTimeline(this.scenario, this.nodes, this.report);
    this.checkFrameworkConstructs();
    return this.issues;
  }

  /** Parallel tracks (1.1): unique ids, starts and roles that resolve, the lead track starting at `start`. */
  private checkTracks(tracks: readonly Track[]): void {
    this.requireVersion11(['tracks'], 'Parallel tracks ("tracks")');
    this.index(tracks, ['tracks'], 'track');
    tracks.forEach((track, i) => {
      this.reference(['tracks', i, 'start'], track.start, this.nodes);
      track.roles.forEach((id, k) => this.reference(['tracks', i, 'roles', k], id, this.roles));
    });
    const lead = tracks[0]!;
    if (lead.start !== this.scenario.start) {
      this.report(
        ['tracks', 0, 'start'],
        `the first track ("${lead.id}") is the lead track and begins where the scenario begins: its "start" must be "${this.scenario.start}" (the scenario's "start"), not "${lead.start}"`,
      );
    }
  }

  /** Framework tags and `meta.critical` are format 1.1; framework tags carry no points. */
  private checkFrameworkConstructs(): void {
    checkFrameworkVersion(this.scenario, this.report);
    for (const { path, tag } of frameworkScoreKeys(this.scenario)) {
      this.report(
        path,
        `"${tag}" names what the scenario exercises and carries no points: score on a best practice, principle, shared-responsibility side or phase, and put the framework tag on the option's "tags"`,
      );
    }
  }

  private checkNode(node: Scenario['timeline'][number], base: Segment[]): void {
    switch (node.type) {
      case 'inject':
        this.checkEffects(node.effects, [...base, 'effects']);
        node.evidence.forEach((id, k) => this.reference([...base, 'evidence', k], id, this.evidence));
        this.reference([...base, 'next'], node.next, this.nodes);
        this.checkInjectText(node, base);
        break;
      case 'decision': {
        node.owners.forEach((id, k) => this.reference([...base, 'owners', k], id, this.roles));
        const options = this.index(node.options, [...base, 'options'], `option of decision "${node.id}"`);
        if (node.defaultOption !== undefined && !options.ids.has(node.defaultOption)) {
          this.report([...base, 'defaultOption'], `refers to "${node.defaultOption}", but decision "${node.id}" has no option with that id${suggest(node.defaultOption, options)}`);
        }
        this.checkText(node.prompt, [...base, 'prompt']);
        const fallback = node.defaultOption ?? node.options.find((o) => o.recommended)?.id ?? node.options[0]!.id;
        node.options.forEach((option, k) => {
          if (option.outcome !== undefined) this.checkText(option.outcome, [...base, 'options', k, 'outcome']);
          if (option.when !== undefined) {
            const path = [...base, 'options', k, 'when'];
            this.requireVersion11(path, 'A conditional option ("when")');
            this.checkCondition(option.when, path);
            if (option.id === fallback) {
              this.report(
                path,
                `option "${option.id}" is the default of decision "${node.id}" (${node.defaultOption !== undefined ? 'its "defaultOption"' : option.recommended ? 'the recommended option, taken when no "defaultOption" is given' : 'the first option, taken when no "defaultOption" or recommended option is given'}), so it must always be on offer and cannot have "when"; make another option the default`,
              );
            }
          }
          this.checkConsequences(option.consequences, [...base, 'options', k, 'consequences']);
          this.reference([...base, 'options', k, 'next'], option.next, this.nodes);
          if (option.next === node.id) {
            this.report(
              [...base, 'options', k, 'next'],
              `option "${option.id}" leads straight back to decision "${node.id}": the decision would close and never open again, and the team would wait forever; to ask again, lead to an inject or a branch that leads back to it`,
            );
          }
        });
        break;
      }
      case 'branch':
        node.cases.forEach((branchCase, k) => {
          this.checkCondition(branchCase.when, [...base, 'cases', k, 'when']);
          this.reference([...base, 'cases', k, 'next'], branchCase.next, this.nodes);
        });
        this.reference([...base, 'otherwise'], node.otherwise, this.nodes);
        break;
      case 'random':
        this.index(node.outcomes, [...base, 'outcomes'], `outcome of random event "${node.id}"`);
        node.outcomes.forEach((outcome, k) => {
          this.checkConsequences(outcome.consequences, [...base, 'outcomes', k, 'consequences']);
          this.reference([...base, 'outcomes', k, 'next'], outcome.next, this.nodes);
        });
        break;
      case 'end':
        this.checkText(node.outcome, [...base, 'outcome']);
        break;
    }
  }

  /** Format 1.1: what delivering an inject (or firing a contingency) changes. */
  private checkEffects(effects: Consequences | undefined, base: Segment[]): void {
    if (effects === undefined) return;
    this.requireVersion11(base, 'Inject effects ("effects")');
    this.checkConsequences(effects, base);
  }

  /** Format 1.1: a contingency that fires on a condition and/or some minutes after an inject. */
  private checkRuleTrigger(when: RuleTrigger, base: Segment[]): void {
    this.requireVersion11(base, 'A contingency triggered by a condition or an inject ("condition", "after", "from")');
    if (when.condition === undefined && when.after === undefined) {
      this.report(
        base,
        'says neither when it fires: give "condition" (fire while it holds), "after" (some minutes after an inject), or both — or the version-1 form { "notReached", "by" }',
      );
    }
    if (when.condition !== undefined) this.checkCondition(when.condition, [...base, 'condition']);
    if (when.after !== undefined) {
      const index = this.reference([...base, 'after', 'inject'], when.after.inject, this.nodes);
      const node = index === undefined ? undefined : this.scenario.timeline[index];
      if (node && node.type !== 'inject') this.report([...base, 'after', 'inject'], `refers to "${node.id}", which is ${withArticle(node.type)} node, not an inject`);
    }
  }

  /** An inject's or contingency's audience and living text. */
  private checkInjectText(node: { narrative: string; subject?: string | undefined; audience?: string[] | undefined }, base: Segment[]): void {
    if (node.audience) this.checkAudience(node.audience, [...base, 'audience']);
    this.checkText(node.narrative, [...base, 'narrative']);
    if (node.subject !== undefined) this.checkText(node.subject, [...base, 'subject']);
  }

  /** Audiences (1.1): role ids from `roles`, each once. */
  private checkAudience(audience: readonly string[], base: Segment[]): void {
    this.requireVersion11(base, 'an audience ("audience")');
    const seen = new Set<string>();
    audience.forEach((id, k) => {
      if (seen.has(id)) this.report([...base, k], `names the role "${id}" twice`);
      seen.add(id);
      this.reference([...base, k], id, this.roles);
    });
  }

  /**
   * Living text (1.1). In a version-1 file `{{…}}` is ordinary text, as it
   * always was, unless it names a declared variable: then the author meant
   * living text, which needs 1.1.
   */
  private checkText(text: string, path: Segment[]): void {
    if (!text.includes('{{')) return;
    if (!allowsVersion11(this.scenario.formatVersion)) {
      const construct = livingTextInVersion1(text, (name) => this.variables.ids.has(name));
      if (construct !== undefined) this.requireVersion11(path, construct);
      return;
    }
    for (const issue of checkLivingText(text, this.scenario.variables, (name) => suggest(name, this.variables))) this.report(path, issue.message);
  }

  private checkConsequences(consequences: Consequences, base: Segment[]): void {
    for (const [id, value] of Object.entries(consequences.set ?? {})) {
      const variable = this.variable([...base, 'set', id], id);
      if (variable && typeof value !== variable.type) {
        this.report([...base, 'set', id], `sets variable "${id}" (${withArticle(variable.type)}) to ${JSON.stringify(value)}, which is ${withArticle(typeof value)}`);
      }
    }
    for (const id of Object.keys(consequences.add ?? {})) {
      const variable = this.variable([...base, 'add', id], id);
      if (variable && variable.type !== 'number') {
        this.report([...base, 'add', id], `adds to variable "${id}", but it is ${withArticle(variable.type)}; only number variables can be added to (use "set")`);
      }
    }
    consequences.milestones?.forEach((id, k) => this.reference([...base, 'milestones', k], id, this.milestones));
    consequences.objectives?.forEach((id, k) => this.reference([...base, 'objectives', k], id, this.objectives));
  }

  /** Conditions nest at most as deep as the document may (64 levels), so recursion is bounded. */
  private checkCondition(condition: Condition, base: Segment[]): void {
    if ('all' in condition) condition.all.forEach((inner, k) => this.checkCondition(inner, [...base, 'all', k]));
    else if ('any' in condition) condition.any.forEach((inner, k) => this.checkCondition(inner, [...base, 'any', k]));
    else if ('not' in condition) this.checkCondition(condition.not, [...base, 'not']);
    else if ('milestone' in condition) this.reference([...base, 'milestone'], condition.milestone, this.milestones);
    else if ('chose' in condition) this.checkChoice(condition.chose, condition.option, base);
    else {
      const variable = this.variable([...base, 'var'], condition.var);
      if (!variable) return;
      if (typeof condition.value !== variable.type) {
        this.report(
          [...base, 'value'],
          `compares variable "${condition.var}" (${withArticle(variable.type)}) with ${JSON.stringify(condition.value)}, which is ${withArticle(typeof condition.value)}`,
        );
      } else if (variable.type !== 'number' && condition.op !== '==' && condition.op !== '!=') {
        this.report([...base, 'op'], `"${condition.op}" compares numbers, but variable "${condition.var}" is ${withArticle(variable.type)}; use "==" or "!="`);
      }
    }
  }

  private checkChoice(decisionId: string, optionId: string, base: Segment[]): void {
    const index = this.nodes.ids.get(decisionId);
    if (index === undefined) {
      this.report([...base, 'chose'], `refers to "${decisionId}", but no timeline node has that id${suggest(decisionId, this.nodes)}`);
      return;
    }
    const node = this.scenario.timeline[index]!;
    if (node.type !== 'decision') {
      this.report([...base, 'chose'], `refers to "${decisionId}", which is ${withArticle(node.type)} node, not a decision`);
      return;
    }
    if (!node.options.some((option) => option.id === optionId)) {
      const options = { noun: 'option', ids: new Map(node.options.map((option, k) => [option.id, k])) };
      this.report([...base, 'option'], `refers to option "${optionId}", but decision "${decisionId}" has no option with that id${suggest(optionId, options)}`);
    }
  }

  private variable(path: Segment[], id: string): Variable | undefined {
    const index = this.reference(path, id, this.variables);
    return index === undefined ? undefined : this.scenario.variables[index];
  }

  // ---------------------------------------------------------------- helpers

  /** Indexes a collection by id, reporting every repeated id. */
  private index(items: ReadonlyArray<{ id: string }>, base: Segment[], noun: string): IdIndex {
    return indexIds(items, base, noun, this.report);
  }

  /** Reports an id that names nothing in `target`; returns the index it names otherwise. */
  private reference(path: Segment[], id: string, target: IdIndex): number | undefined {
    return resolveId(path, id, target, this.report);
  }

  private assetExists(path: string): boolean {
    try {
      return this.options.assetExists?.(path) ?? true;
    } catch {
      return false;
    }
  }

  /**
   * A construct added in format 1.1 (tracks, audiences, living text, evidence on
   * request, richer rules, framework tags) used in a file that declares version 1.
   */
  private requireVersion11(path: Segment[], construct: string): void {
    requireVersion11(this.scenario, path, construct, this.report);
  }
}

/** Every whole-document problem of a scenario that fits the schema, in the order they are found. */
export function checkSemantics(scenario: Scenario, options: SemanticOptions): ValidationIssue[] {
  return new SemanticChecker(scenario, options).run();
}
