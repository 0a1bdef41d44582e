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
 *
 * This module is the entry point; the concerns live next to it: schema
 * issues in words (./issue-wording.ts), the whole-document rules
 * (./semantic-checks.ts), ids and references (./ids.ts), the timeline as a
 * graph (./timeline-checks.ts over ./graph-algorithms.ts) and format-1.1
 * gating (./version-gate.ts).
 */
import { describeZodIssues } from './issue-wording.ts';
import { checkStructure, DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH, parseJsonSafely, type ValidationIssue } from './safe-json.ts';
import { Scenario } from './schema.ts';
import { checkSemantics, type SemanticOptions } from './semantic-checks.ts';
import { scenarioStats, type ScenarioStats } from './stats.ts';

export type { ScenarioStats, ValidationIssue };
export { scenarioStats };

/** Largest scenario file accepted by default (5 MiB). */
export const MAX_SCENARIO_BYTES = DEFAULT_MAX_BYTES;
/** Deepest nesting of objects and lists accepted in a scenario. */
export const MAX_SCENARIO_DEPTH = DEFAULT_MAX_DEPTH;

export interface ValidateOptions extends SemanticOptions {
  /** Largest accepted text in UTF-8 bytes (default 5 MiB); only `parseScenarioText` uses it. */
  maxBytes?: number;
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
