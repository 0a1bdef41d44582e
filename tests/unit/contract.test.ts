import { describe, expect, it } from 'vitest';
import { METHOD_NAMES, methods, parseCall } from '../../src-main/api/contract.ts';
import { LOG_PAYLOADS } from '../../src-main/api/log-events.ts';
import { LogEventSchema } from '../../src-main/api/sessions.ts';
import { ENGINE_EVENT_TYPES, PARTICIPATION_TYPES, TEAM_COMMAND_TYPES } from '../../src-main/core/engine/events.ts';

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

describe('typed log events', () => {
  const base = { seq: 3, teamId: 'team-1', origin: 'command', scenarioMs: 0, wallMs: 0, hash: 'h' };
  it('checks each payload against its type, naming the field, and refuses an unknown type', () => {
    expect(LogEventSchema.safeParse({ ...base, type: 'decision.recorded', payload: { decisionId: 'd1', optionId: 'a', rationale: '', decidedBy: '' } }).success).toBe(true);
    const wrong = LogEventSchema.safeParse({ ...base, type: 'decision.recorded', payload: { decisionId: 'd1', optionId: 7, rationale: '', decidedBy: '' } });
    expect(wrong.error?.issues[0]?.path).toEqual(['payload', 'optionId']);
    expect(LogEventSchema.safeParse({ ...base, type: 'note.added', payload: { text: 'x', rating: 'Z' } }).error?.issues[0]?.path).toEqual(['payload', 'rating']);
    expect(LogEventSchema.safeParse({ ...base, type: 'made.up', payload: {} }).error?.issues[0]?.message).toBe('no log event type made.up');
  });

  it('has a payload schema for every log event type (the compiler checks the list; this checks nothing extra crept in)', () => {
    expect(Object.keys(LOG_PAYLOADS).sort()).toEqual(
      [
        ...ENGINE_EVENT_TYPES,
        ...TEAM_COMMAND_TYPES,
        ...PARTICIPATION_TYPES,
        'session.created',
        'session.started',
        'clock.paused',
        'clock.resumed',
        'clock.speedChanged',
        'clock.jumped',
        'session.ended',
        'note.added',
        'event.corrected',
      ].sort(),
    );
  });
});
