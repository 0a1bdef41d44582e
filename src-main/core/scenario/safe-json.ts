/**
 * Reading untrusted JSON text safely: a size limit, a nesting limit, and no
 * keys that could tamper with object prototypes. Every problem is returned as
 * an issue with an RFC 6901 pointer; nothing here throws.
 *
 * Pure TypeScript (no node:), shared by the scenario validator and any other
 * reader of imported files.
 */
import { toPointer } from '../json-pointer.ts';
import { formatBytes, SCENARIO_FILE, tooLarge } from '../limits.ts';

export { formatBytes };

/** One problem found in a document: where (a JSON pointer, `""` = the whole document) and what. */
export interface ValidationIssue {
  pointer: string;
  message: string;
}

/** Object keys refused anywhere in a document: in careless code they reach and change `Object.prototype`. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export const DEFAULT_MAX_BYTES = SCENARIO_FILE.bytes;
export const DEFAULT_MAX_DEPTH = 64;

export interface SafeJsonOptions {
  /** Largest accepted text, in UTF-8 bytes (default: a scenario file's limit, core/limits.ts). */
  maxBytes?: number;
  /** What the text is, for the refusal ("a scenario file", the default with the default size). */
  noun?: string;
  /** Deepest accepted nesting of objects and arrays; the outermost one is level 1 (default 64). */
  maxDepth?: number;
}

export type SafeJsonResult = { ok: true; value: unknown } | { ok: false; issues: ValidationIssue[] };

/** Parses JSON text, refusing oversized text, syntax errors, excessive nesting and forbidden keys. */
export function parseJsonSafely(text: string, options: SafeJsonOptions = {}): SafeJsonResult {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;

  // Every UTF-16 code unit is at least one UTF-8 byte, so a long text is rejected without counting;
  // and at most three (a surrogate pair, two units, is four bytes), so a short one is accepted without counting.
  const bytes = text.length > maxBytes ? text.length : text.length * 3 <= maxBytes ? 0 : utf8ByteLength(text);
  if (bytes > maxBytes) {
    const size = text.length > maxBytes ? `at least ${formatBytes(bytes)}` : formatBytes(bytes);
    const noun = options.noun ?? (maxBytes === SCENARIO_FILE.bytes ? SCENARIO_FILE.noun : 'this file');
    return fail('', `the file ${tooLarge({ bytes: maxBytes, noun })} (it is ${size})`);
  }

  // A byte-order mark is how some editors save UTF-8; it is not part of the JSON.
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (error) {
    if (error instanceof SyntaxError) return fail('', describeSyntaxError(source, error.message));
    if (error instanceof RangeError) return fail('', `is nested too deeply to read (the limit is ${maxDepth} levels of objects and lists)`);
    return fail('', 'could not be read as JSON');
  }
  // JSON text never yields a shared or circular reference, so the walk need not look for them.
  const issues = checkStructure(value, maxDepth, false);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value };
}

interface Frame {
  /** The container to walk, or null for a forbidden key (reported when its turn comes, to keep document order). */
  value: object | null;
  depth: number;
  parent: Frame | null;
  key: string | number;
}

/**
 * Walks a parsed value without recursion and reports containers nested deeper
 * than `maxDepth` (without descending into them), forbidden keys, and, for
 * values that did not come from JSON text, a container met twice (shared or
 * circular references). Safe on any input: the walk never goes deeper than
 * `maxDepth` and visits every container once.
 */
export function checkStructure(root: unknown, maxDepth: number = DEFAULT_MAX_DEPTH, mayShare = true): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (root === null || typeof root !== 'object') return issues;
  // Only a value that did not come from JSON text (`mayShare`) can meet a container twice.
  const seen = mayShare ? new Set<object>() : null;
  const stack: Frame[] = [{ value: root, depth: 1, parent: null, key: '' }];
  const pointerOf = (frame: Frame): string => {
    const path: Array<string | number> = [];
    for (let f = frame; f.parent; f = f.parent) path.push(f.key);
    return toPointer(path.reverse());
  };

  while (stack.length > 0) {
    const frame = stack.pop()!;
    if (frame.value === null) {
      issues.push({ pointer: pointerOf(frame), message: `the key "${frame.key}" is not allowed anywhere in a scenario (it could tamper with how objects work)` });
      continue;
    }
    if (frame.depth > maxDepth) {
      issues.push({ pointer: pointerOf(frame), message: `is nested more than ${maxDepth} levels deep (objects and lists inside each other); a scenario never needs that` });
      continue;
    }
    if (seen?.has(frame.value)) {
      issues.push({ pointer: pointerOf(frame), message: 'is the same object as one met earlier (a shared or circular reference), which plain JSON data never has' });
      continue;
    }
    seen?.add(frame.value);
    // Children are pushed in reverse so that issues come out in document order.
    const children: Frame[] = [];
    if (Array.isArray(frame.value)) {
      frame.value.forEach((item: unknown, index) => {
        if (item !== null && typeof item === 'object') children.push({ value: item, depth: frame.depth + 1, parent: frame, key: index });
      });
    } else {
      for (const key of Object.keys(frame.value)) {
        if (FORBIDDEN_KEYS.has(key)) {
          children.push({ value: null, depth: frame.depth + 1, parent: frame, key });
          continue;
        }
        const item: unknown = (frame.value as Record<string, unknown>)[key];
        if (item !== null && typeof item === 'object') children.push({ value: item, depth: frame.depth + 1, parent: frame, key });
      }
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return issues;
}

/** Number of bytes `text` takes in UTF-8 (unpaired surrogates count as the 3-byte replacement character). */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && isLowSurrogate(text.charCodeAt(i + 1))) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * Explains why `text` is not JSON, with the line and column of the first
 * fault. JSON.parse's own message varies between engine versions and does not
 * always carry a position, so the text is scanned again (iteratively, without
 * building values) to find it; the engine's message is the fallback.
 */
export function describeSyntaxError(text: string, engineMessage: string): string {
  const fault = findSyntaxFault(text);
  if (!fault) return `is not valid JSON: ${engineMessage}`;
  if (text.trim() === '') return 'is empty: a scenario is a JSON object';
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < fault.offset; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return `is not valid JSON: ${fault.reason} at line ${line}, column ${fault.offset - lineStart + 1}`;
}

type Expect = 'value' | 'valueOrClose' | 'key' | 'keyOrClose' | 'colon' | 'commaOrClose' | 'end';

/** The first place where `text` stops being JSON (RFC 8259), or undefined if it is JSON. */
function findSyntaxFault(text: string): { offset: number; reason: string } | undefined {
  const containers: Array<'{' | '['> = [];
  let expect: Expect = 'value';
  let afterComma = false;
  let i = 0;
  const fault = (reason: string, offset = i) => ({ offset, reason });

  for (;;) {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
    if (i >= text.length) return expect === 'end' ? undefined : fault('the text ends too early (something is not closed)');
    const c = text[i]!;
    if (c === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) return fault('comments are not allowed in JSON');
    const top = containers[containers.length - 1];

    if (expect === 'end') return fault('there is more text after the end of the JSON value');
    if (expect === 'colon') {
      if (c !== ':') return fault('expected ":" after the property name');
      i++;
      expect = 'value';
      continue;
    }
    if (expect === 'commaOrClose') {
      if (c === ',') {
        i++;
        afterComma = true;
        expect = top === '{' ? 'key' : 'value';
        continue;
      }
      if ((c === '}' && top === '{') || (c === ']' && top === '[')) {
        i++;
        containers.pop();
        expect = containers.length === 0 ? 'end' : 'commaOrClose';
        continue;
      }
      return fault(top === '{' ? 'expected "," or "}" after a property value' : 'expected "," or "]" after a list item');
    }
    if ((expect === 'keyOrClose' && c === '}') || (expect === 'valueOrClose' && c === ']')) {
      i++;
      containers.pop();
      expect = containers.length === 0 ? 'end' : 'commaOrClose';
      continue;
    }
    if ((c === '}' || c === ']') && afterComma) return fault(`a comma before "${c}" is not allowed in JSON`);
    afterComma = false;
    if (expect === 'key' || expect === 'keyOrClose') {
      if (c !== '"') return fault(c === "'" ? 'property names need double quotes, not single quotes' : 'expected a property name in double quotes');
      const end = scanString(text, i);
      if (typeof end !== 'number') return end;
      i = end;
      expect = 'colon';
      continue;
    }
    // A value.
    if (c === '{' || c === '[') {
      containers.push(c);
      i++;
      expect = c === '{' ? 'keyOrClose' : 'valueOrClose';
      continue;
    }
    let end: number | { offset: number; reason: string };
    if (c === '"') end = scanString(text, i);
    else if (c === '-' || (c >= '0' && c <= '9')) end = scanNumber(text, i);
    else if (text.startsWith('true', i)) end = i + 4;
    else if (text.startsWith('false', i)) end = i + 5;
    else if (text.startsWith('null', i)) end = i + 4;
    else if (c === "'") return fault('strings need double quotes, not single quotes');
    else {
      const word = /[A-Za-z_$][\w$]*/y;
      word.lastIndex = i;
      const bare = word.exec(text)?.[0];
      return fault(bare ? `expected a value, found ${bare} (text goes in double quotes; the only bare words are true, false and null)` : `expected a value, found "${c}"`);
    }
    if (typeof end !== 'number') return end;
    i = end;
    expect = containers.length === 0 ? 'end' : 'commaOrClose';
  }
}

/** The offset just after the string starting at `start` (a double quote), or the fault in it. */
function scanString(text: string, start: number): number | { offset: number; reason: string } {
  for (let i = start + 1; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x22) return i + 1;
    if (code < 0x20)
      return { offset: i, reason: code === 10 ? 'a string is not closed before the end of the line' : 'a string holds a control character; write it as an escape such as \\t' };
    if (code === 0x5c) {
      const next = text[i + 1];
      if (next === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return { offset: i, reason: 'a \\u escape needs four hexadecimal digits' };
        i += 5;
      } else if (next !== undefined && '"\\/bfnrt'.includes(next)) i++;
      else return { offset: i, reason: 'unknown escape in a string (write a backslash as \\\\)' };
    }
  }
  return { offset: text.length, reason: 'the text ends inside a string' };
}

/** The offset just after the number starting at `start`, or the fault in it. */
function scanNumber(text: string, start: number): number | { offset: number; reason: string } {
  const match = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
  match.lastIndex = start;
  const found = match.exec(text);
  if (!found || found[0] === '-') return { offset: start, reason: 'a number is not written the JSON way (e.g. 12, -3.5, 1e6)' };
  const end = start + found[0].length;
  if (/[0-9.eE]/.test(text[end] ?? '')) return { offset: start, reason: 'a number is not written the JSON way (no leading zeros, digits after a decimal point)' };
  return end;
}

function fail(pointer: string, message: string): SafeJsonResult {
  return { ok: false, issues: [{ pointer, message }] };
}
