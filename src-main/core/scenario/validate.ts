/**
 * Scenario validation: everything that must hold before a scenario is run.
 *
 * 1. The text is read safely (./safe-json.ts): size limit, JSON syntax,
 *    nesting limit, no prototype-tampering keys.
 * 2. The structure is checked against the zod schema (./schema.ts).
 * 3. Only if the structure is right, the rules that need the whole document:
 *    unique ids, references that resolve, typed conditions and consequences,
 *    the required milestones, a timeline where every node is reachable and
 *    can reach an end, inject times that never go backwards along a path,
 *    and (when the caller can look) image assets that exist.
 *
 * Every problem is reported at once, each with an RFC 6901 pointer and a
 * message written for a scenario author. Nothing here throws. Pure: callers
 * that can see a file system pass `assetExists`.
 */
import type { z } from 'zod';
import { toPointer } from '../json-pointer.ts';
import { checkStructure, DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH, parseJsonSafely, type ValidationIssue } from './safe-json.ts';
import { exitsOf } from './graph.ts';
import { checkLivingText, evidenceTextFields, livingTextNames } from './living-text.ts';
import { REQUIRED_MILESTONES, Scenario, type Condition, type Consequences, type RuleTrigger, type Track, type Variable } from './schema.ts';
import { scenarioStats, type ScenarioStats } from './stats.ts';
import { frameworkScoreKeys, frameworkUses } from './framework-tags.ts';

export type { ScenarioStats, ValidationIssue };
export { scenarioStats };

/** Largest scenario file accepted by default (5 MiB). */
export const MAX_SCENARIO_BYTES = DEFAULT_MAX_BYTES;
/** Deepest nesting of objects and lists accepted in a scenario. */
export const MAX_SCENARIO_DEPTH = DEFAULT_MAX_DEPTH;

export interface ValidateOptions {
  /** Largest accepted text in UTF-8 bytes (default 5 MiB); only `parseScenarioText` uses it. */
  maxBytes?: number;
  /** Says whether an asset path (relative to the scenario file) exists; assets are not checked without it. */
  assetExists?: (relativePath: string) => boolean;
  /**
   * `schema`: safe parsing and the schema only, for a scenario already proven
   * to have passed every rule when it was recorded (its SHA-256 matches the
   * log), so that a rule added later cannot make an old session unreadable.
   * `all` (the default): the whole-document rules too.
   */
  rules?: 'all' | 'schema';
}

export type ValidationResult = { ok: true; scenario: Scenario; stats: ScenarioStats } | { ok: false; errors: ValidationIssue[]; stats?: ScenarioStats };

/** Validates scenario JSON text: safe parsing, then the schema, then the whole-document rules. */
export function parseScenarioText(text: string, options: ValidateOptions = {}): ValidationResult {
  const parsed = parseJsonSafely(text, { maxBytes: options.maxBytes ?? MAX_SCENARIO_BYTES, maxDepth: MAX_SCENARIO_DEPTH });
  if (!parsed.ok) return { ok: false, errors: parsed.issues };
  return guarded(() => validateParsed(parsed.value, options));
}

/** Validates an already-parsed value (e.g. from a structured-clone boundary) as a scenario. */
export function validateScenario(value: unknown, options: ValidateOptions = {}): ValidationResult {
  return guarded(() => {
    const structural = checkStructure(value, MAX_SCENARIO_DEPTH);
    if (structural.length > 0) return { ok: false, errors: structural };
    return validateParsed(value, options);
  });
}

/**
 * Keeps the promise that validation never throws. Only a value that did not
 * come from JSON text (a throwing getter, a proxy) should ever get here; the
 * reason is kept in the message so that a bug would not go unnoticed.
 */
function guarded(validate: () => ValidationResult): ValidationResult {
  try {
    return validate();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, errors: [{ pointer: '', message: `could not be validated as scenario data (${reason.slice(0, 200)})` }] };
  }
}

/** Schema and semantic validation of a value already known to be plain, shallow enough JSON data. */
function validateParsed(value: unknown, options: ValidateOptions): ValidationResult {
  const parsed = Scenario.safeParse(value);
  if (!parsed.success) {
    const errors: ValidationIssue[] = [];
    describeZodIssues(parsed.error.issues, [], value, errors);
    return { ok: false, errors };
  }
  const scenario = parsed.data;
  const stats = scenarioStats(scenario);
  const errors = options.rules === 'schema' ? [] : checkSemantics(scenario, options);
  return errors.length > 0 ? { ok: false, errors, stats } : { ok: true, scenario, stats };
}

// ================================================================ schema issues in plain English

type Path = ReadonlyArray<PropertyKey>;
type ZodIssue = z.core.$ZodIssue;

function describeZodIssues(issues: readonly ZodIssue[], base: Path, root: unknown, out: ValidationIssue[]): void {
  for (const issue of issues) {
    const path = [...base, ...issue.path];
    const value = valueAt(root, path);
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys) out.push({ pointer: toPointer([...path, key]), message: `unknown field "${key}" (check its spelling and where it is placed)` });
        break;
      case 'invalid_union':
        describeUnion(issue, path, value, root, out);
        break;
      case 'invalid_key': {
        const key = String(path[path.length - 1]);
        const reasons = issue.issues.map((inner) => describeIssue(inner, key));
        out.push({ pointer: toPointer(path), message: `the key "${key}" is not valid: ${reasons.join('; ')}` });
        break;
      }
      default:
        out.push({ pointer: toPointer(path), message: describeIssue(issue, value) });
    }
  }
}

/** Unions: a discriminator that matches nothing, a scalar of the wrong type, or the closest-matching shape. */
function describeUnion(issue: z.core.$ZodIssueInvalidUnion, path: Path, value: unknown, root: unknown, out: ValidationIssue[]): void {
  const pointer = toPointer(path);
  if (issue.discriminator !== undefined || issue.errors.length === 0) {
    const options = 'options' in issue && issue.options ? issue.options.map((o) => JSON.stringify(o)) : [];
    const allowed = options.length > 0 ? `one of ${options.join(', ')}` : 'a known value';
    out.push({ pointer, message: value === undefined ? `is required: ${allowed}` : `must be ${allowed}, not ${describeValue(value)}` });
    return;
  }
  const alternatives = issue.errors;
  // Every alternative rejected the value's type outright: name the types that would do.
  if (alternatives.every((issues) => issues.length === 1 && issues[0]!.code === 'invalid_type' && issues[0].path.length === 0)) {
    const expected = [...new Set(alternatives.map((issues) => describeExpected((issues[0] as z.core.$ZodIssueInvalidType).expected)))];
    const list = expected.length > 1 ? `${expected.slice(0, -1).join(', ')} or ${expected[expected.length - 1]}` : expected[0];
    out.push({ pointer, message: value === undefined ? `is required (${list})` : `expected ${list}, but found ${describeValue(value)}` });
    return;
  }
  // An alternative whose fields all fit the value's shape is what the author meant: report its problems.
  const scored = alternatives.map((issues) => ({ issues, misfit: shapeMisfit(issues, value) }));
  const fitting = scored.filter((a) => a.misfit === 0).sort((a, b) => a.issues.length - b.issues.length)[0];
  if (fitting) {
    describeZodIssues(fitting.issues, path, root, out);
    return;
  }
  if (!isPlainObject(value)) {
    out.push({ pointer, message: value === undefined ? 'is required' : `does not have an allowed form (found ${describeValue(value)})` });
    return;
  }
  const shapes = [...new Set(alternatives.map((issues) => `{ ${shapeKeys(issues, value).join(', ')} }`))];
  out.push({ pointer, message: `does not match any allowed form; write one of ${shapes.join(', ')}` });
}

/** How badly an alternative's fields fit an object: unknown keys plus missing required keys. */
function shapeMisfit(issues: readonly ZodIssue[], value: unknown): number {
  if (!isPlainObject(value)) return Number.POSITIVE_INFINITY;
  let misfit = 0;
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys' && issue.path.length === 0) misfit += issue.keys.length;
    else if (issue.path.length === 1 && !Object.hasOwn(value, issue.path[0] as string)) misfit += 1;
    else if (issue.path.length === 0) misfit += 100;
  }
  return misfit;
}

/** The keys an alternative expects: its missing keys and the value's keys it accepts. */
function shapeKeys(issues: readonly ZodIssue[], value: Record<string, unknown>): string[] {
  const unknown = new Set(issues.flatMap((issue) => (issue.code === 'unrecognized_keys' && issue.path.length === 0 ? issue.keys : [])));
  const keys = Object.keys(value).filter((key) => !unknown.has(key));
  for (const issue of issues) {
    const key = issue.path[0];
    if (issue.path.length === 1 && typeof key === 'string' && !Object.hasOwn(value, key) && !keys.includes(key)) keys.push(key);
  }
  return keys;
}

/** One issue (not a union or unknown keys) as a phrase about the value at its path. */
function describeIssue(issue: ZodIssue, value: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined) return `is required (${describeExpected(issue.expected)})`;
      if (issue.expected === 'int' && typeof value === 'number') return `must be a whole number, not ${value}`;
      return `expected ${describeExpected(issue.expected)}, but found ${describeValue(value)}`;
    case 'too_small':
      return describeBound('small', issue.origin, Number(issue.minimum), issue.inclusive !== false, value);
    case 'too_big':
      return describeBound('big', issue.origin, Number(issue.maximum), issue.inclusive !== false, value);
    case 'invalid_value': {
      const allowed = issue.values.map((v) => JSON.stringify(v));
      const expectation = allowed.length === 1 ? `must be ${allowed[0]}` : `must be one of ${allowed.join(', ')}`;
      return value === undefined ? `is required and ${expectation}` : `${expectation}, not ${describeValue(value)}`;
    }
    case 'invalid_format':
      // Authors' formats carry their own explanation; zod's generic one only names the pattern.
      if (!issue.message.startsWith('Invalid')) return issue.message;
      return issue.pattern ? `does not have the expected form (it must match ${issue.pattern})` : `is not a valid ${issue.format}`;
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}`;
    default:
      return issue.message;
  }
}

function describeBound(side: 'small' | 'big', origin: string, limit: number, inclusive: boolean, value: unknown): string {
  if (origin === 'string') {
    const length = typeof value === 'string' ? value.length : 0;
    if (side === 'small') return limit <= 1 ? 'must not be empty' : `must be at least ${limit} characters long (it has ${length})`;
    return `must be at most ${limit} characters long (it has ${length})`;
  }
  if (origin === 'array' || origin === 'set') {
    const count = Array.isArray(value) ? value.length : 0;
    const items = (n: number) => `${n} item${n === 1 ? '' : 's'}`;
    return side === 'small' ? `must have at least ${items(limit)} (it has ${count})` : `must have at most ${items(limit)} (it has ${count})`;
  }
  const found = typeof value === 'number' ? ` (it is ${value})` : '';
  if (side === 'small') return inclusive ? `must be at least ${limit}${found}` : `must be greater than ${limit}${found}`;
  return inclusive ? `must be at most ${limit}${found}` : `must be less than ${limit}${found}`;
}

function describeExpected(expected: string): string {
  switch (expected) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'int':
      return 'a whole number';
    case 'boolean':
      return 'a boolean (true or false)';
    case 'array':
      return 'a list [ … ]';
    case 'object':
    case 'record':
      return 'an object { … }';
    case 'null':
      return 'null';
    default:
      return `a ${expected}`;
  }
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return value.length > 40 ? `the string ${JSON.stringify(value.slice(0, 40))}…` : `the string ${JSON.stringify(value)}`;
    case 'number':
      return `the number ${value}`;
    case 'boolean':
      return String(value);
    case 'object':
      return 'an object';
    default:
      return `a ${typeof value}`;
  }
}

function valueAt(root: unknown, path: Path): unknown {
  let current = root;
  for (const segment of path) {
    if (current === null || typeof current !== 'object' || typeof segment === 'symbol' || !Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

// ================================================================ whole-document rules

type Segment = string | number;

/** The ids of one collection mapped to their index, and what to call its items in messages. */
interface IdIndex {
  noun: string;
  ids: Map<string, number>;
}

class SemanticChecker {
  readonly issues: ValidationIssue[] = [];
  private readonly objectives: IdIndex;
  private readonly roles: IdIndex;
  private readonly variables: IdIndex;
  private readonly milestones: IdIndex;
  private readonly evidence: IdIndex;
  private readonly nodes: IdIndex;

  constructor(
    private readonly scenario: Scenario,
    private readonly options: ValidateOptions,
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
    this.checkGraph();
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
    for (const use of frameworkUses(this.scenario)) this.requireVersion11(use.path, use.construct);
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
      if (node && node.type !== 'inject') this.report([...base, 'after', 'inject'], `refers to "${node.id}", which is ${a(node.type)} node, not an inject`);
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
    if (this.scenario.formatVersion < 1.1) {
      const named = livingTextNames(text).find((name) => this.variables.ids.has(name));
      if (named !== undefined) this.requireVersion11(path, `living text ("{{${named}}}")`);
      return;
    }
    for (const issue of checkLivingText(text, this.scenario.variables, (name) => suggest(name, this.variables))) this.report(path, issue.message);
  }

  private checkConsequences(consequences: Consequences, base: Segment[]): void {
    for (const [id, value] of Object.entries(consequences.set ?? {})) {
      const variable = this.variable([...base, 'set', id], id);
      if (variable && typeof value !== variable.type) {
        this.report([...base, 'set', id], `sets variable "${id}" (${a(variable.type)}) to ${JSON.stringify(value)}, which is ${a(typeof value)}`);
      }
    }
    for (const id of Object.keys(consequences.add ?? {})) {
      const variable = this.variable([...base, 'add', id], id);
      if (variable && variable.type !== 'number') {
        this.report([...base, 'add', id], `adds to variable "${id}", but it is ${a(variable.type)}; only number variables can be added to (use "set")`);
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
          `compares variable "${condition.var}" (${a(variable.type)}) with ${JSON.stringify(condition.value)}, which is ${a(typeof condition.value)}`,
        );
      } else if (variable.type !== 'number' && condition.op !== '==' && condition.op !== '!=') {
        this.report([...base, 'op'], `"${condition.op}" compares numbers, but variable "${condition.var}" is ${a(variable.type)}; use "==" or "!="`);
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
      this.report([...base, 'chose'], `refers to "${decisionId}", which is ${a(node.type)} node, not a decision`);
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

  // ---------------------------------------------------------------- the timeline as a graph

  private checkGraph(): void {
    const { timeline, start } = this.scenario;
    const count = timeline.length;
    const successors: number[][] = timeline.map((node) => {
      const indices: number[] = [];
      for (const exit of exitsOf(node)) {
        const index = this.nodes.ids.get(exit.next);
        if (index !== undefined && !indices.includes(index)) indices.push(index);
      }
      return indices;
    });

    // Nodes that can reach an end: a backwards search from every end node.
    const predecessors: number[][] = timeline.map(() => []);
    successors.forEach((targets, from) => targets.forEach((to) => predecessors[to]!.push(from)));
    const ends = timeline.flatMap((node, i) => (node.type === 'end' ? [i] : []));
    if (ends.length === 0) this.report(['timeline'], 'has no "end" node; every path through the timeline must finish at one');
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
          ? `node ${names[0]} leads only back to itself: a loop with no way out to an end node`
          : `nodes ${names.join(', ')}${more} form a loop with no way out to an end node`;
      this.report(['timeline', first], message);
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
      this.report(
        ['timeline', sorted[0]!],
        `${component.length === 1 ? `node ${names[0]} leads back to itself` : `nodes ${names.join(', ')}${more} form a loop`} with no decision in it: the engine would go round it without waiting for the team; put a decision in the loop`,
      );
    }

    const tracks = this.scenario.tracks;
    if (!tracks) {
      const startIndex = this.nodes.ids.get(start);
      if (startIndex === undefined) return;
      const reachable = search([startIndex], successors, count);
      timeline.forEach((node, i) => {
        if (!reachable[i]) this.report(['timeline', i], `node "${node.id}" can never be reached: no path from the start node "${start}" leads to it`);
      });
      this.checkInjectTimes(successors, reachable);
      return;
    }
    const starts = tracks.map((track) => this.nodes.ids.get(track.start));
    if (starts.some((index) => index === undefined)) return;
    const reachable = this.checkTrackReach(tracks, starts as number[], successors, predecessors);
    this.checkInjectTimes(successors, reachable);
  }

  /**
   * Parallel tracks: every node is reached from exactly one track's start. A
   * node two tracks reach is reported where the tracks first meet (not at
   * every node after it). Returns the nodes some track reaches.
   */
  private checkTrackReach(tracks: readonly Track[], starts: readonly number[], successors: number[][], predecessors: number[][]): boolean[] {
    const { timeline } = this.scenario;
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
        this.report(['timeline', i], `node "${node.id}" can never be reached: no path from the start of any track (${startNames}) leads to it`);
        continue;
      }
      if (!shared[i] || (!starts.includes(i) && predecessors[i]!.some((p) => shared[p]))) continue;
      const names = tracks.flatMap((track, t) => (perTrack[t]![i] ? [`"${track.id}" (from "${track.start}")`] : []));
      const list = `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}`;
      this.report(
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
  private checkInjectTimes(successors: number[][], reachable: boolean[]): void {
    const { timeline } = this.scenario;
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
    const inherited: Array<Latest | undefined> = new Array(components.length);
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
          this.report(
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

  // ---------------------------------------------------------------- helpers

  /** Indexes a collection by id, reporting every repeated id. */
  private index(items: ReadonlyArray<{ id: string }>, base: Segment[], noun: string): IdIndex {
    const ids = new Map<string, number>();
    items.forEach((item, i) => {
      const first = ids.get(item.id);
      if (first === undefined) ids.set(item.id, i);
      else this.report([...base, i, 'id'], `the id "${item.id}" is already used by another ${noun} (${toPointer([...base, first])}); ids must be unique`);
    });
    return { noun, ids };
  }

  /** Reports an id that names nothing in `target`; returns the index it names otherwise. */
  private reference(path: Segment[], id: string, target: IdIndex): number | undefined {
    const index = target.ids.get(id);
    if (index === undefined) {
      this.report(path, `refers to "${id}", but no ${target.noun} has that id${suggest(id, target)}`);
    }
    return index;
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
    if (this.scenario.formatVersion < 1.1) this.report(path, `${construct} needs "formatVersion": 1.1 (this file declares ${this.scenario.formatVersion})`);
  }

  private report(path: Segment[], message: string): void {
    this.issues.push({ pointer: toPointer(path), message });
  }
}

function checkSemantics(scenario: Scenario, options: ValidateOptions): ValidationIssue[] {
  return new SemanticChecker(scenario, options).run();
}

/** `a number`, `an inject`, … */
function a(noun: string): string {
  return /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}

/** ` (did you mean "x"?)` when an existing id is a likely typo of `id`. */
function suggest(id: string, target: IdIndex): string {
  if (target.ids.size > 2_000) return '';
  let best: string | undefined;
  let bestDistance = Math.min(3, Math.ceil(id.length / 3) + 1);
  for (const candidate of target.ids.keys()) {
    const distance = editDistance(id.toLowerCase(), candidate.toLowerCase(), bestDistance);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best === undefined ? '' : ` (did you mean "${best}"?)`;
}

/** Levenshtein distance, giving up (returning `limit`) once it cannot be below `limit`. */
function editDistance(x: string, y: string, limit: number): number {
  if (Math.abs(x.length - y.length) >= limit) return limit;
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin >= limit) return limit;
    previous = current;
  }
  return previous[y.length]!;
}

/** Every node reachable from `from` along `edges`. */
function search(from: readonly number[], edges: readonly number[][], count: number): boolean[] {
  const seen = new Array<boolean>(count).fill(false);
  const queue = [...from];
  for (const i of queue) seen[i] = true;
  while (queue.length > 0) {
    const i = queue.pop()!;
    for (const j of edges[i]!) {
      if (!seen[j]) {
        seen[j] = true;
        queue.push(j);
      }
    }
  }
  return seen;
}

/**
 * Strongly connected components of the subgraph of nodes where `include`
 * holds (Tarjan's algorithm, iterative so that long chains cannot overflow
 * the stack). Components come out sinks first; `component[i]` is node i's
 * component index, or -1 for excluded nodes.
 */
function scc(successors: readonly number[][], include: (i: number) => boolean): { components: number[][]; component: Int32Array } {
  const count = successors.length;
  const order = new Int32Array(count).fill(-1);
  const low = new Int32Array(count);
  const component = new Int32Array(count).fill(-1);
  const onStack = new Uint8Array(count);
  const stack: number[] = [];
  const components: number[][] = [];
  let counter = 0;

  for (let root = 0; root < count; root++) {
    if (order[root] !== -1 || !include(root)) continue;
    // Each call frame: the node and how many of its successors were looked at.
    const frames: Array<[node: number, next: number]> = [[root, 0]];
    order[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      const [node] = frame;
      const targets = successors[node]!;
      if (frame[1] < targets.length) {
        const next = targets[frame[1]++]!;
        if (!include(next)) continue;
        if (order[next] === -1) {
          order[next] = low[next] = counter++;
          stack.push(next);
          onStack[next] = 1;
          frames.push([next, 0]);
        } else if (onStack[next]) {
          low[node] = Math.min(low[node]!, order[next]!);
        }
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low[parent[0]] = Math.min(low[parent[0]]!, low[node]!);
      if (low[node] === order[node]) {
        const members: number[] = [];
        let member: number;
        do {
          member = stack.pop()!;
          onStack[member] = 0;
          component[member] = components.length;
          members.push(member);
        } while (member !== node);
        components.push(members);
      }
    }
  }
  return { components, component };
}
