import { describe, expect, it } from 'vitest';
import { checkStructure, formatBytes, parseJsonSafely, utf8ByteLength } from '../../src-main/core/scenario/safe-json.ts';

describe('utf8ByteLength', () => {
  it('counts bytes as UTF-8 encodes them', () => {
    for (const text of ['', 'plain ascii', 'café', '€ and ✓', 'emoji 🔑🛡️', 'mixed 日本語 text']) {
      expect(utf8ByteLength(text), text).toBe(Buffer.byteLength(text, 'utf8'));
    }
  });

  it('counts an unpaired surrogate as the 3-byte replacement character', () => {
    expect(utf8ByteLength('\ud83d')).toBe(3);
    expect(utf8ByteLength('a\udc00b')).toBe(5);
  });
});

describe('formatBytes', () => {
  it('uses the largest fitting binary unit', () => {
    expect(formatBytes(812)).toBe('812 bytes');
    expect(formatBytes(14_540)).toBe('14.2 KiB');
    expect(formatBytes(5 * 1024 * 1024)).toBe('5 MiB');
    expect(formatBytes(52_500_000)).toBe('50.1 MiB');
  });
});

describe('parseJsonSafely', () => {
  it('parses ordinary JSON, ignoring a leading byte-order mark', () => {
    expect(parseJsonSafely('{"a": [1, {"b": null}]}')).toEqual({ ok: true, value: { a: [1, { b: null }] } });
    expect(parseJsonSafely('\ufeff{"a": 1}')).toEqual({ ok: true, value: { a: 1 } });
  });

  it('accepts text exactly at the byte limit and rejects one byte more', () => {
    const text = '"é"'; // 4 bytes, 3 UTF-16 code units
    expect(parseJsonSafely(text, { maxBytes: 4 }).ok).toBe(true);
    expect(parseJsonSafely(text, { maxBytes: 3 })).toEqual({
      ok: false,
      issues: [{ pointer: '', message: 'the file is larger than the 3 bytes this file may have (it is 4 bytes)' }],
    });
  });

  it('names the line and column of a syntax error', () => {
    const result = parseJsonSafely('{\n  "a": 1,\n  "b": tru\n}');
    expect(result).toEqual({ ok: false, issues: [{ pointer: '', message: expect.stringMatching(/^is not valid JSON: .* at line 3, column \d+$/) }] });
  });

  it('explains text that ends too early', () => {
    expect(parseJsonSafely('{"a": [1, 2')).toEqual({ ok: false, issues: [{ pointer: '', message: expect.stringMatching(/^is not valid JSON/) }] });
    expect(parseJsonSafely('[\n  {"a": [1, 2')).toEqual({
      ok: false,
      issues: [{ pointer: '', message: 'is not valid JSON: the text ends too early (something is not closed) at line 2, column 14' }],
    });
    expect(parseJsonSafely(' \n')).toEqual({ ok: false, issues: [{ pointer: '', message: 'is empty: a scenario is a JSON object' }] });
  });

  it('explains the common mistakes of hand-written JSON', () => {
    const cases: Array<[string, RegExp]> = [
      ['{"a": 1,}', /a comma before "}" is not allowed in JSON at line 1, column 9$/],
      ['[1, 2,]', /a comma before "]" is not allowed/],
      ["{'a': 1}", /property names need double quotes/],
      ['{"a": yes}', /expected a value, found yes/],
      ['// note\n{}', /comments are not allowed/],
      ['{"a": 01}', /a number is not written the JSON way/],
      ['{"a": "line\nbreak"}', /a string is not closed before the end of the line/],
      ['{"a": "C:\\data"}', /unknown escape in a string/],
      ['{"a": 1} {"b": 2}', /more text after the end/],
      ['{"a" 1}', /expected ":" after the property name/],
      ['[1 2]', /expected "," or "]" after a list item/],
    ];
    for (const [text, message] of cases) {
      const result = parseJsonSafely(text);
      expect(result.ok ? 'accepted' : result.issues[0]!.message, text).toMatch(message);
    }
  });

  it('accepts nesting up to the limit and points at the first level beyond it', () => {
    expect(parseJsonSafely('[[[1]]]', { maxDepth: 3 }).ok).toBe(true);
    expect(parseJsonSafely('{"a": [{"b": {}}]}', { maxDepth: 3 })).toEqual({
      ok: false,
      issues: [{ pointer: '/a/0/b', message: expect.stringMatching(/more than 3 levels/) }],
    });
  });

  it('rejects forbidden keys anywhere, escaping pointers and keeping document order', () => {
    const text = '{"x/y": {"prototype": 1}, "list": [{"constructor": {}}], "__proto__": {"polluted": true}}';
    const result = parseJsonSafely(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((i) => i.pointer)).toEqual(['/x~1y/prototype', '/list/0/constructor', '/__proto__']);
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('allows the forbidden words as values and inside longer keys', () => {
    expect(parseJsonSafely('{"name": "__proto__", "constructorName": "prototype"}').ok).toBe(true);
  });
});

describe('checkStructure', () => {
  it('reports a container met twice instead of walking forever', () => {
    const shared = { a: 1 };
    const looped: Record<string, unknown> = { shared, again: shared };
    looped.self = looped;
    expect(checkStructure(looped, 64).map((i) => i.pointer)).toEqual(['/again', '/self']);
  });

  it('accepts scalars and shallow values', () => {
    expect(checkStructure(42)).toEqual([]);
    expect(checkStructure(null)).toEqual([]);
    expect(checkStructure({ a: [1, 2, { b: 'c' }] })).toEqual([]);
  });
});
