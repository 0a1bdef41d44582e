import { readFileSync } from 'node:fs';
import { Marked } from 'marked';
import { describe, expect, it } from 'vitest';
import { checkLivingText, renderLivingText } from '../../src-main/core/scenario/living-text.ts';
import type { ScenarioInput, Variable } from '../../src-main/core/scenario/schema.ts';
import { validateScenario, type ValidationResult } from '../../src-main/core/scenario/validate.ts';
import { engineTestScenarioInput } from '../helpers/scenario.ts';

const FIXTURE = 'tests/fixtures/present/present-1.1.json';

function scenario(mutate: (input: ScenarioInput & Record<string, unknown>) => void, version: 1 | 1.1 = 1.1): ValidationResult {
  const input = engineTestScenarioInput() as ScenarioInput & Record<string, unknown>;
  input.formatVersion = version;
  input.roles = [
    { id: 'legal', name: 'Legal' },
    { id: 'comms', name: 'Communications' },
  ];
  input.variables = [
    { id: 'lostGB', label: 'Data lost', type: 'number', initial: 0, unit: 'GB' },
    { id: 'records', label: 'Records', type: 'number', initial: 1250000 },
    { id: 'actor', label: 'Actor', type: 'string', initial: 'crypt0' },
  ];
  input.evidence = [{ id: 'n1', kind: 'note', caption: 'A note', body: 'Nothing yet.' }];
  mutate(input);
  return validateScenario(JSON.parse(JSON.stringify(input)));
}

function errors(result: ValidationResult): Array<{ pointer: string; message: string }> {
  return result.ok ? [] : result.errors;
}

/** The one error at `pointer` (and no others). */
function only(result: ValidationResult, pointer: string): string {
  const all = errors(result);
  expect(all.map((e) => e.pointer)).toEqual([pointer]);
  return all[0]!.message;
}

const timeline = (input: ScenarioInput) => input.timeline as Array<Record<string, unknown>>;
const evidence = (input: ScenarioInput) => input.evidence as Array<Record<string, unknown>>;

describe('format 1.1 presentation constructs: validation', () => {
  it('accepts the fixture scenario', () => {
    const result = validateScenario(JSON.parse(readFileSync(FIXTURE, 'utf8')));
    expect(errors(result)).toEqual([]);
  });

  it('audience: role references with "did you mean"', () => {
    const message = only(
      scenario((s) => {
        timeline(s)[0]!.audience = ['legal', 'coms'];
      }),
      '/timeline/0/audience/1',
    );
    expect(message).toBe('refers to "coms", but no role has that id (did you mean "comms"?)');
    expect(
      only(
        scenario((s) => void (evidence(s)[0]!.audience = ['legal', 'legal'])),
        '/evidence/0/audience/1',
      ),
    ).toBe('names the role "legal" twice');
    expect(
      only(
        scenario((s) => void ((s.contingencies as Array<Record<string, unknown>>)[0]!.audience = ['lgal'])),
        '/contingencies/0/audience/0',
      ),
    ).toMatch(/did you mean "legal"/);
  });

  it('audience and onRequest need formatVersion 1.1', () => {
    expect(
      only(
        scenario((s) => void (timeline(s)[0]!.audience = ['legal']), 1),
        '/timeline/0/audience',
      ),
    ).toBe('an audience ("audience") needs "formatVersion": 1.1 (this file declares 1)');
    expect(
      only(
        scenario((s) => void (evidence(s)[0]!.onRequest = { question: 'Who?' }), 1),
        '/evidence/0/onRequest',
      ),
    ).toBe('evidence on request ("onRequest") needs "formatVersion": 1.1 (this file declares 1)');
  });

  it('onRequest: the query language is one of the known ones', () => {
    const result = scenario((s) => void (evidence(s)[0]!.onRequest = { question: 'Who?', query: { language: 'splunk', text: 'x' } }));
    expect(errors(result).map((e) => e.pointer)).toEqual(['/evidence/0/onRequest/query/language']);
  });

  it('living text: unknown names, unknown formats, formats that do not fit, each at its field', () => {
    expect(
      only(
        scenario((s) => void (timeline(s)[0]!.narrative = '{{record}} rows')),
        '/timeline/0/narrative',
      ),
    ).toBe('"{{record}}" refers to "record", but no variable has that id (did you mean "records"?)');
    expect(
      only(
        scenario((s) => void (timeline(s)[0]!.subject = '{{records|percent}}')),
        '/timeline/0/subject',
      ),
    ).toMatch(/the format "percent", which is not one of "number", "currency", "duration"/);
    expect(
      only(
        scenario((s) => void (timeline(s)[2]!.prompt = '{{actor|number}}')),
        '/timeline/2/prompt',
      ),
    ).toMatch(/formats variable "actor" as number, but it is a string variable/);
    expect(
      only(
        scenario((s) => void ((timeline(s)[2]!.options as Array<Record<string, unknown>>)[1]!.outcome = '{{records|currency:XYZW}}')),
        '/timeline/2/options/1/outcome',
      ),
    ).toMatch(/"XYZW" is not an ISO 4217 currency code/);
    expect(
      only(
        scenario((s) => void (evidence(s)[0]!.body = '{{records|currency}}')),
        '/evidence/0/body',
      ),
    ).toMatch(/needs a currency code/);
    expect(
      only(
        scenario((s) => void (evidence(s)[0]!.body = '{{records|duration:h}}')),
        '/evidence/0/body',
      ),
    ).toMatch(/takes no argument/);
    expect(
      only(
        scenario((s) => void (evidence(s)[0]!.body = 'see {{ 9lives }}')),
        '/evidence/0/body',
      ),
    ).toMatch(/is not a placeholder Sandtable can read/);
    const chat = scenario((s) => void evidence(s).push({ id: 'c1', kind: 'chat', caption: 'Chat', messages: [{ from: 'a', at: '10:00', text: '{{nope}}' }] }));
    expect(only(chat, '/evidence/1/messages/0/text')).toMatch(/no variable has that id/);
  });

  it('in a version-1 file {{…}} is plain text unless it names a variable', () => {
    expect(errors(scenario((s) => void (timeline(s)[0]!.narrative = 'Mustache {{ like this }} stays text'), 1))).toEqual([]);
    expect(
      only(
        scenario((s) => void (timeline(s)[0]!.narrative = '{{records}} rows'), 1),
        '/timeline/0/narrative',
      ),
    ).toBe('living text ("{{records}}") needs "formatVersion": 1.1 (this file declares 1)');
  });
});

describe('renderLivingText', () => {
  const variables: Variable[] = [
    { id: 'records', label: 'Records', type: 'number', initial: 1250000 },
    { id: 'cost', label: 'Cost', type: 'number', initial: 48000 },
    { id: 'outage', label: 'Outage', type: 'number', initial: 150 },
    { id: 'actor', label: 'Actor', type: 'string', initial: '<img src=x onerror=alert(1)> *bold* [x](http://e.example)' },
    { id: 'paid', label: 'Paid', type: 'boolean', initial: false },
  ];

  it('formats numbers, currency and durations (durations through core/time-format)', () => {
    expect(renderLivingText('{{records|number}} rows', {}, variables, { markdown: false })).toBe('1,250,000 rows');
    expect(renderLivingText('{{ records }}', { records: 2000000 }, variables, { markdown: false })).toBe('2,000,000');
    expect(renderLivingText('{{cost|currency:USD}}', {}, variables, { markdown: false })).toBe('$48,000.00');
    expect(renderLivingText('{{cost|currency:EUR}}', {}, variables, { markdown: false })).toBe('€48,000.00');
    expect(renderLivingText('{{outage|duration}}', {}, variables, { markdown: false })).toBe('2 h 30 min');
    expect(renderLivingText('{{outage|duration}}', { outage: 12 }, variables, { markdown: false })).toBe('12 min');
    expect(renderLivingText('{{paid}}', { paid: true }, variables, { markdown: false })).toBe('yes');
  });

  it('uses the team value, the initial value when the team has none, and leaves unknown names as written', () => {
    expect(renderLivingText('{{records}} / {{missing}}', { records: 7 }, variables, { markdown: false })).toBe('7 / {{missing}}');
    expect(renderLivingText('{{actor|number}}', {}, variables)).toBe('{{actor|number}}');
  });

  it('escapes values in markdown so a string variable cannot add markup', () => {
    const out = renderLivingText('By {{actor}}.', {}, variables);
    expect(out).not.toMatch(/(^|[^\\])<img/);
    const html = new Marked({ gfm: true, async: false }).parse(out) as string;
    expect(html).not.toMatch(/<(img|em|a)\b/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; *bold* [x](http://e.example)');
    expect(renderLivingText('By {{actor}}.', {}, variables, { markdown: false })).toBe('By <img src=x onerror=alert(1)> *bold* [x](http://e.example).');
    expect(renderLivingText('Number {{records|number}}', {}, variables)).toBe('Number 1,250,000');
  });

  it('checkLivingText agrees with the renderer about what is valid', () => {
    expect(checkLivingText('{{records|number}} {{cost|currency:GBP}} {{outage|duration}} {{actor}} {{paid}}', variables)).toEqual([]);
    expect(checkLivingText('{{paid|duration}}', variables)).toHaveLength(1);
  });
});
