/**
 * Schema issues in plain English: zod's issues turned into messages written
 * for a scenario author, each at its RFC 6901 pointer. Part of scenario
 * validation (./validate.ts).
 */
import type { z } from 'zod';
import { toPointer } from '../json-pointer.ts';
import type { ValidationIssue } from './safe-json.ts';

type Path = ReadonlyArray<PropertyKey>;
type ZodIssue = z.core.$ZodIssue;

export function describeZodIssues(issues: readonly ZodIssue[], base: Path, root: unknown, out: ValidationIssue[]): void {
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
    const list = expected.length > 1 ? `${expected.slice(0, -1).join(', ')} or ${expected[expected.length - 1]!}` : expected[0]!;
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
      const expectation = allowed.length === 1 ? `must be ${allowed[0]!}` : `must be one of ${allowed.join(', ')}`;
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

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `a number`, `an inject`, … */
export function withArticle(noun: string): string {
  return /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}
