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
  it('gives every method a summary, an access level and schemas', () => {
    expect(METHOD_NAMES.length).toBeGreaterThan(0);
    for (const name of METHOD_NAMES) {
      const spec = methods[name];
      expect(spec.summary.length, name).toBeGreaterThan(10);
      expect(['facilitator', 'presenter', 'participant']).toContain(spec.access);
      expect(typeof spec.input.safeParse).toBe('function');
      expect(typeof spec.result.safeParse).toBe('function');
    }
  });
});
