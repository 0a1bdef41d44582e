import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenarioText, validateScenario, type ValidationIssue, type ValidationResult } from '../../src-main/core/scenario/validate.ts';
import { generateScenarioSchema, SCHEMA_PATH } from '../../scripts/generate-schema.ts';
import { FIXTURES_DIR, generatedScenario, node, nodeIndex, sample, SAMPLE_PATH, type Json } from '../fixtures/scenarios/build.ts';

/** Validates a scenario value through its JSON text, as files are. */
function check(scenario: Json, options?: Parameters<typeof parseScenarioText>[1]): ValidationResult {
  return parseScenarioText(JSON.stringify(scenario), options);
}

function errorsOf(result: ValidationResult): ValidationIssue[] {
  if (result.ok) throw new Error('expected the scenario to be rejected');
  return result.errors;
}

/** The errors at `pointer` (there must be at least one). */
function at(result: ValidationResult, pointer: string): string[] {
  const messages = errorsOf(result)
    .filter((e) => e.pointer === pointer)
    .map((e) => e.message);
  expect(messages, `no error at ${pointer}; got ${JSON.stringify(errorsOf(result), null, 1)}`).not.toEqual([]);
  return messages;
}

function fixture(name: string): string {
  return readFileSync(join(FIXTURES_DIR, name), 'utf8');
}

describe('the sample scenario', () => {
  it('is valid and counted', () => {
    const result = parseScenarioText(readFileSync(SAMPLE_PATH, 'utf8'));
    expect(result.ok ? [] : result.errors).toEqual([]);
    expect(result.ok && result.scenario.meta.id).toBe('sample-leaked-key');
    expect(result.stats).toEqual({ injects: 5, decisions: 2, branches: 1, randomEvents: 1, contingencies: 1, evidence: 6, endings: 3 });
  });

  it('is valid through validateScenario with defaults applied', () => {
    const result = validateScenario(sample());
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.scenario.timeline.find((n) => n.id === 'e-federated')).toMatchObject({ result: 'success' });
  });
});

describe('reading the text', () => {
  it('rejects truncated JSON with a line and column', () => {
    const [error, ...rest] = errorsOf(parseScenarioText(fixture('truncated.json')));
    expect(rest).toEqual([]);
    expect(error!.pointer).toBe('');
    expect(error!.message).toMatch(/not valid JSON/);
  });

  it('names the line and column of a syntax error', () => {
    const [error] = errorsOf(parseScenarioText('{\n  "formatVersion": 1,\n  "meta": {,}\n}'));
    expect(error).toEqual({ pointer: '', message: expect.stringMatching(/line 3, column 12/) });
  });

  it('rejects __proto__, constructor and prototype keys without polluting anything', () => {
    const result = parseScenarioText(fixture('prototype-keys.json'));
    expect(errorsOf(result).map((e) => e.pointer)).toEqual(['/__proto__', '/meta/constructor']);
    expect(at(result, '/__proto__')[0]).toMatch(/"__proto__" is not allowed/);
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('rejects a forbidden key deep inside an otherwise valid scenario', () => {
    const text = JSON.stringify(sample()).replace('"set":{"keyActive":false}', '"set":{"keyActive":false,"__proto__":{"polluted":true}}');
    const result = parseScenarioText(text);
    at(result, `/timeline/${nodeIndex(sample(), 'd-contain')}/options/0/consequences/set/__proto__`);
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('rejects a 50 MB file by its size, naming the size', () => {
    const big = `{"padding": "${'x'.repeat(50 * 1024 * 1024)}"}`;
    const [error, ...rest] = errorsOf(parseScenarioText(big));
    expect(rest).toEqual([]);
    expect(error).toEqual({ pointer: '', message: expect.stringMatching(/larger than the 5 MiB a scenario file may have \(it is (at least )?50(\.[0-9])? MiB\)/) });
  });

  it('honours a smaller size limit, counting UTF-8 bytes', () => {
    const text = readFileSync(SAMPLE_PATH, 'utf8');
    expect(parseScenarioText(text, { maxBytes: 1000 }).ok).toBe(false);
    expect(parseScenarioText(text, { maxBytes: Buffer.byteLength(text) }).ok).toBe(true);
    expect(parseScenarioText(text, { maxBytes: Buffer.byteLength(text) - 1 }).ok).toBe(false);
  });

  it('rejects 10,000-deep nesting without overflowing the stack', () => {
    const arrays = '['.repeat(10_000) + ']'.repeat(10_000);
    const objects = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
    for (const text of [arrays, objects]) {
      const [error, ...rest] = errorsOf(parseScenarioText(text));
      expect(rest).toEqual([]);
      expect(error!.message).toMatch(/more than 64 levels/);
      expect(error!.pointer.split('/').length - 1).toBe(64);
    }
  });

  it('rejects a condition nested too deeply inside a scenario, pointing into it', () => {
    const scenario = sample();
    let when: Json = { var: 'keyActive', op: '==', value: true };
    for (let i = 0; i < 70; i++) when = { not: when };
    node(scenario, 'b-key').cases[0].when = when;
    const [error] = errorsOf(check(scenario));
    expect(error!.pointer).toMatch(new RegExp(`^/timeline/${nodeIndex(scenario, 'b-key')}/cases/0/when(/not)+$`));
  });
});

describe('validateScenario on values that did not come from JSON text', () => {
  it('rejects circular and deeply nested objects instead of throwing', () => {
    const circular = sample();
    circular.meta.self = circular.meta;
    expect(errorsOf(validateScenario(circular))[0]!.pointer).toBe('/meta/self');

    let deep: Json = {};
    for (let i = 0; i < 10_000; i++) deep = { deep };
    expect(errorsOf(validateScenario(deep))[0]!.message).toMatch(/more than 64 levels/);
  });

  it('rejects values with throwing getters instead of throwing', () => {
    const hostile = sample();
    Object.defineProperty(hostile, 'meta', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    expect(() => validateScenario(hostile)).not.toThrow();
    expect(validateScenario(hostile).ok).toBe(false);
    expect(validateScenario(undefined).ok).toBe(false);
    expect(validateScenario('scenario').ok).toBe(false);
  });
});

describe('the schema', () => {
  it('reports every structural problem at once, in plain English', () => {
    const result = parseScenarioText(fixture('wrong-types.json'));
    expect(result.stats).toBeUndefined();
    expect(at(result, '/formatVersion')).toEqual(['must be one of 1, 1.1, not the string "1"']);
    expect(at(result, '/meta/id')[0]).toMatch(/starts with a letter/);
    expect(at(result, '/meta/title')).toEqual(['must not be empty']);
    expect(at(result, '/meta/audience')).toEqual(['expected a list [ … ], but found the string "Security team"']);
    expect(at(result, '/meta/estimatedMinutes')).toEqual(['must be a whole number, not 12.5']);
    expect(at(result, '/meta/difficulty')).toEqual(['must be one of "introductory", "intermediate", "advanced", not the string "easy"']);
    expect(at(result, '/meta/authors/0/email')[0]).toMatch(/unknown field "email"/);
    expect(at(result, '/meta/tags/0')[0]).toMatch(/Unknown shared-responsibility side "nobody"/);
    expect(at(result, '/guide')).toEqual(['is required (an object { … })']);
    expect(at(result, '/objectives')).toEqual(['must have at least 1 item (it has 0)']);
    expect(at(result, '/milestones/0/targetMinutes')).toEqual(['must be at least 0 (it is -5)']);
    expect(at(result, '/timeline/0/type')[0]).toMatch(/^must be one of "inject", "decision", "branch", "random", "end", not the string "injct"$/);
    expect(at(result, '/timeline/1/result')[0]).toMatch(/must be one of "success", "partial", "failure"/);
  });

  it('explains a condition by the form the author meant', () => {
    const scenario = sample();
    const b = nodeIndex(scenario, 'b-key');
    node(scenario, 'b-key').cases = [
      { when: { var: 'keyActive', op: '=', value: true }, next: 'i-pressure' },
      { when: { vr: 'keyActive' }, next: 'i-pressure' },
      { when: { var: 'keyActive', op: '==', value: { yes: 1 } }, next: 'i-pressure' },
      { when: 'keyActive', next: 'i-pressure' },
    ];
    const result = check(scenario);
    expect(at(result, `/timeline/${b}/cases/0/when/op`)[0]).toMatch(/must be one of "==", "!="/);
    expect(at(result, `/timeline/${b}/cases/1/when`)[0]).toMatch(/does not match any allowed form.*\{ var, op, value \}.*\{ milestone, reached \}.*\{ chose, option \}/);
    expect(at(result, `/timeline/${b}/cases/2/when/value`)).toEqual(['expected a number, a boolean (true or false) or a string, but found an object']);
    expect(at(result, `/timeline/${b}/cases/3/when`)[0]).toMatch(/expected an object/);
  });

  it('explains invalid record keys', () => {
    const scenario = sample();
    node(scenario, 'd-contain').options[0].consequences.score = { 'srm:everyone': 1 };
    const result = check(scenario);
    expect(at(result, `/timeline/${nodeIndex(scenario, 'd-contain')}/options/0/consequences/score/srm:everyone`)[0]).toMatch(
      /^the key "srm:everyone" is not valid: Unknown shared-responsibility side/,
    );
  });
});

describe('whole-document rules', () => {
  it('reports every dangling reference at once', () => {
    const s = sample();
    const d = nodeIndex(s, 'd-contain');
    const contain = node(s, 'd-contain');
    contain.options[1].next = 'd9';
    contain.owners = ['ic', 'ciso'];
    contain.defaultOption = 'pray';
    contain.options[0].consequences.milestones = ['detected', 'contianed'];
    contain.options[0].consequences.objectives = ['obj-nothing'];
    contain.options[0].consequences.set = { keyActiv: false };
    node(s, 'i-alert').evidence = ['ev-scan-email', 'ev-missing'];
    node(s, 'b-key').otherwise = 'nowhere';
    node(s, 'r-attacker').outcomes[0].next = 'b-kye';
    s.contingencies[0].when.notReached = { objective: 'obj-unknown' };
    s.contingencies[0].evidence = ['ev-gone'];
    const result = check(s);
    expect(result.stats).toBeDefined();
    expect(at(result, `/timeline/${d}/options/1/next`)).toEqual(['refers to "d9", but no timeline node has that id']);
    expect(at(result, `/timeline/${d}/owners/1`)).toEqual(['refers to "ciso", but no role has that id']);
    expect(at(result, `/timeline/${d}/defaultOption`)[0]).toMatch(/^refers to "pray", but decision "d-contain" has no option with that id/);
    expect(at(result, `/timeline/${d}/options/0/consequences/milestones/1`)).toEqual(['refers to "contianed", but no milestone has that id (did you mean "contained"?)']);
    expect(at(result, `/timeline/${d}/options/0/consequences/objectives/0`)[0]).toMatch(/no objective has that id/);
    expect(at(result, `/timeline/${d}/options/0/consequences/set/keyActiv`)).toEqual(['refers to "keyActiv", but no variable has that id (did you mean "keyActive"?)']);
    expect(at(result, '/timeline/0/evidence/1')[0]).toMatch(/no evidence item has that id/);
    expect(at(result, `/timeline/${nodeIndex(s, 'b-key')}/otherwise`)[0]).toMatch(/"nowhere", but no timeline node/);
    expect(at(result, `/timeline/${nodeIndex(s, 'r-attacker')}/outcomes/0/next`)).toEqual(['refers to "b-kye", but no timeline node has that id (did you mean "b-key"?)']);
    expect(at(result, '/contingencies/0/when/notReached/objective')[0]).toMatch(/no objective has that id/);
    expect(at(result, '/contingencies/0/evidence/0')[0]).toMatch(/no evidence item has that id/);
  });

  it('reports a missing start node and missing required milestones', () => {
    const s = sample();
    s.start = 'i-nothing';
    s.milestones = s.milestones.filter((m: Json) => m.id !== 'eradicated');
    const result = check(s);
    expect(at(result, '/start')[0]).toMatch(/refers to "i-nothing"/);
    expect(at(result, '/milestones')[0]).toMatch(/the milestone "eradicated" is missing/);
  });

  it('reports repeated ids in every collection', () => {
    const s = sample();
    s.objectives.push({ ...s.objectives[0] });
    s.roles.push({ ...s.roles[1] });
    s.variables.push({ ...s.variables[0] });
    s.milestones.push({ ...s.milestones[0] });
    s.evidence.push({ ...s.evidence[0] });
    s.contingencies.push({ ...s.contingencies[0] });
    s.timeline.push({ ...node(s, 'e-rotated') });
    node(s, 'd-contain').options[2].id = 'delete';
    node(s, 'r-attacker').outcomes[1].id = 'returns';
    const result = check(s);
    for (const pointer of ['/objectives/3/id', '/roles/3/id', '/variables/2/id', '/milestones/4/id', '/evidence/6/id', '/contingencies/1/id', '/timeline/12/id']) {
      expect(at(result, pointer)[0]).toMatch(/is already used by another/);
    }
    expect(at(result, `/timeline/${nodeIndex(s, 'd-contain')}/options/2/id`)[0]).toMatch(/already used by another option of decision "d-contain"/);
    expect(at(result, `/timeline/${nodeIndex(s, 'r-attacker')}/outcomes/1/id`)[0]).toMatch(/already used by another outcome/);
  });

  it('checks conditions against declared variables, milestones and decisions', () => {
    const s = sample();
    const b = nodeIndex(s, 'b-key');
    node(s, 'b-key').cases = [
      { when: { var: 'exfiltratedGB', op: '>', value: 10 }, next: 'i-pressure' },
      { when: { var: 'keyActive', op: '==', value: 'yes' }, next: 'i-pressure' },
      { when: { var: 'keyActive', op: '>', value: true }, next: 'i-pressure' },
      { when: { var: 'attackerCalls', op: '>=', value: 10 }, next: 'i-pressure' },
      { when: { all: [{ milestone: 'pwned', reached: true }, { not: { chose: 'i-alert', option: 'x' } }] }, next: 'i-pressure' },
      {
        when: {
          any: [
            { chose: 'd-contain', option: 'nuke' },
            { chose: 'd-nothing', option: 'x' },
          ],
        },
        next: 'i-pressure',
      },
    ];
    const result = check(s);
    const base = `/timeline/${b}/cases`;
    expect(at(result, `${base}/0/when/var`)).toEqual(['refers to "exfiltratedGB", but no variable has that id']);
    expect(at(result, `${base}/1/when/value`)).toEqual(['compares variable "keyActive" (a boolean) with "yes", which is a string']);
    expect(at(result, `${base}/2/when/op`)[0]).toMatch(/">" compares numbers, but variable "keyActive" is a boolean/);
    expect(at(result, `${base}/4/when/all/0/milestone`)[0]).toMatch(/no milestone has that id/);
    expect(at(result, `${base}/4/when/all/1/not/chose`)).toEqual(['refers to "i-alert", which is an inject node, not a decision']);
    expect(at(result, `${base}/5/when/any/0/option`)[0]).toMatch(/^refers to option "nuke", but decision "d-contain" has no option with that id/);
    expect(at(result, `${base}/5/when/any/1/chose`)[0]).toMatch(/no timeline node has that id/);
    expect(errorsOf(result).filter((e) => e.pointer.startsWith(`${base}/3/`))).toEqual([]);
  });

  it('checks the types of consequences', () => {
    const s = sample();
    const d = nodeIndex(s, 'd-contain');
    node(s, 'd-contain').options[0].consequences.set = { keyActive: 'no', attackerCalls: 5 };
    node(s, 'd-contain').options[1].consequences.add = { keyActive: 1 };
    const result = check(s);
    expect(at(result, `/timeline/${d}/options/0/consequences/set/keyActive`)).toEqual(['sets variable "keyActive" (a boolean) to "no", which is a string']);
    expect(at(result, `/timeline/${d}/options/1/consequences/add/keyActive`)[0]).toMatch(/only number variables can be added to/);
    expect(errorsOf(result).filter((e) => e.pointer.endsWith('/attackerCalls'))).toEqual([]);
  });

  it('reports unreachable nodes', () => {
    const s = sample();
    s.timeline.push({ type: 'end', id: 'e-orphan', title: 'Orphan', outcome: 'Nobody gets here.' });
    node(s, 'b-key').otherwise = 'i-pressure';
    const result = check(s);
    expect(at(result, `/timeline/${nodeIndex(s, 'e-orphan')}`)).toEqual(['node "e-orphan" can never be reached: no path from the start node "i-alert" leads to it']);
    expect(at(result, `/timeline/${nodeIndex(s, 'i-scope')}`)[0]).toMatch(/"i-scope" can never be reached/);
    expect(errorsOf(result)).toHaveLength(2);
  });

  it('reports a loop with no exit once, and a node that leads only to itself', () => {
    const s = sample();
    node(s, 'b-key').otherwise = 'loop-a';
    s.timeline.push(
      { type: 'inject', id: 'loop-a', title: 'A', narrative: 'Round', channel: 'other', next: 'loop-b' },
      { type: 'inject', id: 'loop-b', title: 'B', narrative: 'and round', channel: 'other', next: 'loop-a' },
    );
    node(s, 'i-pressure').next = 'i-pressure';
    const result = check(s);
    expect(at(result, `/timeline/${nodeIndex(s, 'loop-a')}`)).toEqual(['nodes "loop-a", "loop-b" form a loop with no way out to an end node']);
    expect(at(result, `/timeline/${nodeIndex(s, 'i-pressure')}`)).toEqual(['node "i-pressure" leads only back to itself: a loop with no way out to an end node']);
    // i-scope and d-recover can no longer be reached; the loops are not reported again at the nodes leading into them.
    expect(
      errorsOf(result)
        .map((e) => e.message)
        .filter((m) => m.includes('loop')),
    ).toHaveLength(2);
  });

  it('accepts a loop that has a way out', () => {
    const s = sample();
    // "Ask again": the branch sends the team back to the containment decision while the key is active.
    node(s, 'b-key').cases.unshift({ when: { chose: 'd-contain', option: 'wait' }, next: 'd-contain' });
    expect(check(s).ok).toBe(true);
  });

  it('refuses an option that leads straight back to its own decision (it would close for good), naming the option', () => {
    const s = sample();
    const decision = node(s, 'd-contain');
    const options = decision.options as { id: string; next: string }[];
    const k = options.findIndex((o) => o.id === 'wait');
    options[k]!.next = 'd-contain';
    const result = check(s);
    expect(at(result, `/timeline/${nodeIndex(s, 'd-contain')}/options/${k}/next`)).toEqual([
      'option "wait" leads straight back to decision "d-contain": the decision would close and never open again, and the team would wait forever; to ask again, lead to an inject or a branch that leads back to it',
    ]);
  });

  it('reports a timeline without any end node', () => {
    const s = sample();
    s.timeline = [
      { type: 'inject', id: 'a', title: 'A', narrative: 'A', channel: 'other', next: 'b' },
      { type: 'inject', id: 'b', title: 'B', narrative: 'B', channel: 'other', next: 'a' },
    ];
    s.start = 'a';
    const result = check(s);
    expect(at(result, '/timeline')[0]).toMatch(/has no "end" node/);
    expect(at(result, '/timeline/0')[0]).toMatch(/form a loop/);
  });

  it('reports an inject due earlier than one that can precede it', () => {
    const s = sample();
    node(s, 'i-health').at = 10;
    const result = check(s);
    expect(errorsOf(result)).toEqual([
      {
        pointer: `/timeline/${nodeIndex(s, 'i-guardduty')}/at`,
        message: 'inject "i-guardduty" is due at minute 5, but inject "i-health" (due at minute 10) can come before it; "at" must never decrease along a path from the start',
      },
    ]);
  });

  it('compares inject times along paths only, across decisions and branches', () => {
    const s = sample();
    // The two sides of the branch are never on the same path: different times are fine.
    node(s, 'i-pressure').at = 20;
    node(s, 'i-scope').at = 8;
    expect(check(s).ok).toBe(true);
    // A later inject behind the decision may not be earlier than either side.
    s.timeline.push({ type: 'inject', id: 'i-late', at: 15, title: 'Late', narrative: 'Late', channel: 'other', next: 'e-rotated' });
    node(s, 'd-recover').options.find((o: Json) => o.id === 'rotate').next = 'i-late';
    const result = check(s);
    expect(errorsOf(result).map((e) => e.pointer)).toEqual([`/timeline/${nodeIndex(s, 'i-late')}/at`]);
    expect(errorsOf(result)[0]!.message).toMatch(/"i-pressure" \(due at minute 20\)/);
  });

  it('reports decreasing times inside a loop', () => {
    const s = sample();
    node(s, 'b-key').cases[0].next = 'i-guardduty';
    node(s, 'i-guardduty').at = 5;
    node(s, 'i-pressure').at = 12;
    node(s, 'b-key').otherwise = 'i-pressure';
    // i-guardduty (5) → … → i-pressure (12) → … → b-key → i-guardduty again: 12 can precede 5.
    node(s, 'i-pressure').next = 'd-contain';
    s.timeline.push({ type: 'branch', id: 'b-out', cases: [{ when: { var: 'keyActive', op: '==', value: false }, next: 'd-recover' }], otherwise: 'b-key' });
    node(s, 'r-attacker').outcomes.forEach((o: Json) => (o.next = 'b-out'));
    const result = check(s);
    expect(at(result, `/timeline/${nodeIndex(s, 'i-guardduty')}/at`)[0]).toMatch(/"i-pressure" \(due at minute 12\) can come before it/);
  });

  it('checks image assets only when asked, relative paths as written', () => {
    const s = sample();
    s.evidence.push({ id: 'ev-diagram', kind: 'image', caption: 'Architecture', asset: 'assets/diagram.png', alt: 'The pipeline and the account' });
    expect(check(s).ok).toBe(true);
    const seen: string[] = [];
    const missing = check(s, { assetExists: (path) => (seen.push(path), false) });
    expect(seen).toEqual(['assets/diagram.png']);
    expect(at(missing, '/evidence/6/asset')[0]).toMatch(/the image "assets\/diagram.png" was not found/);
    expect(check(s, { assetExists: () => true }).ok).toBe(true);
    expect(
      check(s, {
        assetExists: () => {
          throw new Error('disk gone');
        },
      }).ok,
    ).toBe(false);
  });

  it('returns stats with semantic errors, but not with schema errors', () => {
    const s = sample();
    node(s, 'i-alert').next = 'nowhere';
    expect(check(s).stats).toEqual({ injects: 5, decisions: 2, branches: 1, randomEvents: 1, contingencies: 1, evidence: 6, endings: 3 });
    s.formatVersion = 2;
    expect(check(s).stats).toBeUndefined();
  });
});

describe('large scenarios', () => {
  it('validates a generated 2,000-node scenario', () => {
    const result = check(generatedScenario(2_000));
    expect(result.ok ? [] : result.errors).toEqual([]);
    expect(result.stats).toMatchObject({ injects: 500, decisions: 500, branches: 500, randomEvents: 500, endings: 1 });
  });

  it('finds one late problem in a 10,000-node chain', () => {
    const s = generatedScenario(9_996);
    const last = s.timeline.length - 5;
    s.timeline[last].at = 3;
    const result = check(s);
    expect(errorsOf(result)).toEqual([{ pointer: `/timeline/${last}/at`, message: expect.stringMatching(/"i2498" is due at minute 3, but inject "i2497"/) }]);
  });
});

describe('scenarios/scenario.schema.json', () => {
  it('is the output of npm run schema (run it after changing the format)', () => {
    expect(readFileSync(SCHEMA_PATH, 'utf8')).toBe(generateScenarioSchema());
  });

  it('describes the sample scenario', () => {
    const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8'));
    expect(schema).toMatchObject({ $id: 'urn:sandtable:scenario-format:1.1', title: expect.stringContaining('Sandtable scenario'), type: 'object' });
    // Every field of the sample, and the optional 1.1 fields it does not use (parallel tracks, …).
    expect(Object.keys(schema.properties).sort()).toEqual(expect.arrayContaining([...Object.keys(sample()), 'tracks'].sort()));
    expect(schema.required).not.toContain('tracks');
    expect(schema.$defs.Tag.pattern).toBeTypeOf('string');
  });
});

describe('docs/scenario-format.md', () => {
  it('includes the sample scenario exactly as bundled', () => {
    const doc = readFileSync(join(FIXTURES_DIR, '../../../docs/scenario-format.md'), 'utf8');
    const block = /<!-- sample-leaked-key:start -->\n```json\n([\s\S]*?)\n```\n<!-- sample-leaked-key:end -->/.exec(doc);
    expect(block, 'the marked example block is missing').not.toBeNull();
    expect(block![1]).toBe(readFileSync(SAMPLE_PATH, 'utf8').trimEnd());
  });
});

describe('loops without a decision', () => {
  it('are refused, since the engine would go round them without waiting', async () => {
    const { engineTestScenarioInput } = await import('../helpers/scenario.ts');
    const { validateScenario } = await import('../../src-main/core/scenario/validate.ts');
    const input = engineTestScenarioInput() as any;
    // b1 -> b2 -> b1, with a way out that is never taken in practice.
    input.timeline = input.timeline.map((n: any) => (n.id === 'b1' ? { ...n, otherwise: 'b2' } : n));
    input.timeline.push({ type: 'branch', id: 'b2', cases: [{ when: { var: 'lostGB', op: '>', value: 1e9 }, next: 'i3good' }], otherwise: 'b1' });
    const result = validateScenario(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.message).join('\n')).toMatch(/loop with no decision/);
  });

  it('allow a loop that passes through a decision', async () => {
    const { loopingDecisionScenario } = await import('../../bench/scenarios.ts');
    const { validateScenario } = await import('../../src-main/core/scenario/validate.ts');
    expect(validateScenario(loopingDecisionScenario())).toMatchObject({ ok: true });
  });
});
