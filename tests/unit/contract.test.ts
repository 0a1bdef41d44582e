import { describe, expect, it } from 'vitest';
import { METHOD_NAMES, methods, parseCall } from '../../src-main/api/contract.ts';

describe('parseCall', () => {
  it('accepts a known method with valid input', () => {
    expect(parseCall('library.list', {})).toEqual({ ok: true, method: 'library.list', input: {} });
  });

  it('treats a missing input as empty', () => {
    expect(parseCall('library.list', undefined)).toMatchObject({ ok: true });
  });

  it('rejects unknown methods with a typed error', () => {
    for (const name of ['nope', '__proto__', 'constructor', 'toString', 42, null, undefined, { a: 1 }]) {
      const result = parseCall(name, {});
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('unknown_method');
    }
  });

  it('points at the offending key of invalid input', () => {
    const result = parseCall('library.list', { extra: true });
    expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: 'invalid_input', path: '/extra' }) });
  });

  it('rejects a non-object input', () => {
    const result = parseCall('library.list', 'hello');
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input', path: '' } });
  });
});

describe('the contract', () => {
  it('gives every method a summary, an access level and input and result schemas that refuse what is not theirs', () => {
    expect(METHOD_NAMES.length).toBeGreaterThan(0);
    for (const name of METHOD_NAMES) {
      const spec = methods[name];
      expect(spec.summary.length, name).toBeGreaterThan(10);
      expect(['facilitator', 'presenter', 'participant']).toContain(spec.access);
      // A schema that takes anything (z.unknown(), z.any()) checks nothing: every method's input and result refuse a symbol and a stranger's object.
      for (const schema of [spec.input, spec.result]) {
        expect(schema.safeParse(Symbol('not an answer')).success, name).toBe(false);
        expect(schema.safeParse({ surely: ['not', 'this', 'method'] }).success, name).toBe(false);
      }
    }
    // Real answers of every method are checked against these schemas in tests/integration/contract-results.test.ts.
  });
});
