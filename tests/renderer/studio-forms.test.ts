import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import axe from 'axe-core';
import { flushSync, mount, unmount, type Component } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { Condition, Consequences } from '../../src-main/core/scenario/schema.ts';
import { validateScenario } from '../../src-main/core/scenario/validate.ts';
import NodeForm from '../../src-renderer/src/features/studio/forms/NodeForm.svelte';
import ScenarioForm from '../../src-renderer/src/features/studio/forms/ScenarioForm.svelte';
import { FakeDraft } from './studio/fake-draft.svelte.ts';

// Vitest runs from the repository's root (the DOM's URL is not the file system's, so paths, not URLs).
const bundled = (): Record<string, unknown> => JSON.parse(readFileSync(join(process.cwd(), 'scenarios/01-leaked-access-keys.json'), 'utf8')) as Record<string, unknown>;
const realRecord = (path: string) => readFileSync(join(process.cwd(), 'tests/fixtures/real-records', path), 'utf8');

const mounted: ReturnType<typeof mount>[] = [];
afterEach(() => {
  for (const m of mounted.splice(0)) void unmount(m);
  document.body.innerHTML = '';
});

function render<P extends Record<string, unknown>>(component: Component<P>, props: P): HTMLElement {
  const target = document.createElement('div');
  document.body.append(target);
  mounted.push(mount(component, { target, props }));
  flushSync();
  return target;
}

function control<K extends 'input' | 'select' | 'textarea' = 'input'>(scope: ParentNode, pointer: string, tag?: K): HTMLElementTagNameMap[K] {
  const el = scope.querySelector<HTMLElementTagNameMap[K]>(`${tag ?? 'input'}[data-pointer="${pointer}"]`);
  if (!el) throw new Error(`no control for ${pointer}`);
  return el;
}

function type(el: HTMLInputElement | HTMLTextAreaElement, value: string) {
  el.value = value;
  el.dispatchEvent(new Event('input', { bubbles: true }));
  flushSync();
}

/** Picks the option whose text is `text` (as a person reads it). */
function choose(select: HTMLSelectElement, text: string | RegExp) {
  const option = [...select.options].find((o) => (typeof text === 'string' ? o.text === text : text.test(o.text)));
  if (!option) throw new Error(`no option ${String(text)} in ${[...select.options].map((o) => o.text).join(' | ')}`);
  select.value = option.value;
  select.dispatchEvent(new Event('change', { bubbles: true }));
  flushSync();
}

function button(scope: ParentNode, text: string | RegExp): HTMLButtonElement {
  const found = [...scope.querySelectorAll('button')].find((b) => (typeof text === 'string' ? b.textContent.trim() === text : text.test(b.textContent)));
  if (!found) throw new Error(`no button ${String(text)}`);
  return found;
}

function click(el: HTMLElement) {
  el.click();
  flushSync();
}

/** What the project's own validator says about the draft (nothing, when it is valid). */
function problemsOf(draft: FakeDraft) {
  const result = validateScenario(draft.snapshot());
  return result.ok ? [] : result.errors;
}

const pointerOf = (draft: FakeDraft, type: string) => `/timeline/${(draft.document.timeline as { type: string }[]).findIndex((n) => n.type === type)}`;

describe('studio forms: every control is labelled and addressed', () => {
  it.each(['inject', 'decision', 'end'])('the %s form: each input, picker and text area has a visible label and a data-pointer into the node', (kind) => {
    const draft = new FakeDraft(bundled());
    const pointer = pointerOf(draft, kind);
    const form = render(NodeForm, { editor: draft, pointer });
    const controls = [...form.querySelectorAll<HTMLElement>('input, select, textarea')];
    expect(controls.length).toBeGreaterThan(kind === 'end' ? 3 : 15);
    for (const el of controls) {
      const label = form.querySelector(`label[for="${el.id}"]`);
      expect(label?.textContent.trim(), `${el.outerHTML.slice(0, 120)} has a label`).toBeTruthy();
      expect(el.dataset.pointer, `${el.outerHTML.slice(0, 120)} has a pointer`).toMatch(/^\//);
    }
  });

  it('the branch, random and contingency forms draw their fields too', () => {
    const draft = new FakeDraft(bundled());
    const doc = draft.document as { timeline: unknown[]; contingencies: unknown[] };
    doc.timeline.push(
      { type: 'branch', id: 'b1', cases: [{ when: { milestone: 'detected', reached: true }, next: 'i01-cost-page' }], otherwise: 'i01-cost-page' },
      {
        type: 'random',
        id: 'r1',
        title: 'Coin',
        outcomes: [
          { id: 'h', label: 'Heads', weight: 1, next: 'i01-cost-page' },
          { id: 't', label: 'Tails', weight: 1, next: 'i01-cost-page' },
        ],
      },
    );
    const branch = render(NodeForm, { editor: draft, pointer: `/timeline/${doc.timeline.length - 2}` });
    const detected = (draft.get('/milestones') as { id: string; label: string }[]).find((m) => m.id === 'detected')!.label;
    expect(control(branch, `/timeline/${doc.timeline.length - 2}/cases/0/when/milestone`, 'select').selectedOptions[0]?.text).toBe(detected);
    const random = render(NodeForm, { editor: draft, pointer: `/timeline/${doc.timeline.length - 1}` });
    expect(control(random, `/timeline/${doc.timeline.length - 1}/outcomes/1/weight`).value).toBe('1');
    const contingency = render(NodeForm, { editor: draft, pointer: '/contingencies/0' });
    expect(contingency.querySelector('h2')?.textContent).toMatch(/^Contingency/);
    expect(control(contingency, '/contingencies/0/title').value).toBe((doc.contingencies[0] as { title: string }).title);
  });

  it('shows the validator’s problem beside its field, tied to it with aria-describedby', () => {
    const draft = new FakeDraft(bundled());
    draft.problems = [{ pointer: '/timeline/0/title', message: 'Title is required.' }];
    const form = render(NodeForm, { editor: draft, pointer: '/timeline/0' });
    const title = control(form, '/timeline/0/title');
    expect(title.getAttribute('aria-invalid')).toBe('true');
    const described = (title.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent);
    expect(described).toContain('Title is required.');
  });
});

describe('studio forms: edits go to the right pointers', () => {
  it('typing in an inject’s fields sets those pointers, and an optional field left empty is removed', () => {
    const draft = new FakeDraft(bundled());
    const form = render(NodeForm, { editor: draft, pointer: '/timeline/0' });
    type(control(form, '/timeline/0/title'), 'Billing alarm');
    expect(draft.get('/timeline/0/title')).toBe('Billing alarm');
    expect(draft.edits.at(-1)).toMatchObject({ op: 'set', pointer: '/timeline/0/title', value: 'Billing alarm' });
    type(control(form, '/timeline/0/subject'), '');
    expect(draft.get('/timeline/0/subject')).toBeUndefined();
    type(control(form, '/timeline/0/at'), '12.5');
    expect(draft.get('/timeline/0/at')).toBe(12.5);
    type(control(form, '/timeline/0/narrative', 'textarea'), 'The **bill** doubled.');
    expect(draft.get('/timeline/0/narrative')).toBe('The **bill** doubled.');
  });

  it('adds, reorders and removes a decision’s options as single edits on the options list', () => {
    const draft = new FakeDraft(bundled());
    const pointer = pointerOf(draft, 'decision');
    const count = (draft.get(`${pointer}/options`) as unknown[]).length;
    const form = render(NodeForm, { editor: draft, pointer });
    click(button(form, 'Add option'));
    expect((draft.get(`${pointer}/options`) as unknown[]).length).toBe(count + 1);
    expect(draft.edits.at(-1)).toMatchObject({ op: 'insert', pointer: `${pointer}/options/-` });
    const first = draft.get(`${pointer}/options/0/id`);
    click(button(form, /^Move down$/));
    expect(draft.get(`${pointer}/options/1/id`)).toBe(first);
    click(button(form, `Remove option ${count + 1}`));
    expect((draft.get(`${pointer}/options`) as unknown[]).length).toBe(count);
    expect(problemsOf(draft)).toEqual([]);
  });

  it('edits meta, variables (a type change resets the initial value) and milestones through ScenarioForm', () => {
    const draft = new FakeDraft(bundled());
    const meta = render(ScenarioForm, { editor: draft, section: 'meta' });
    type(control(meta, '/meta/title'), 'Leaked keys at Example Corp');
    expect(draft.get('/meta/title')).toBe('Leaked keys at Example Corp');
    const variables = render(ScenarioForm, { editor: draft, section: 'variables' });
    choose(control(variables, '/variables/0/type', 'select'), 'Yes / no');
    expect(draft.get('/variables/0')).toMatchObject({ type: 'boolean', initial: true });
    expect(draft.get('/variables/0/unit')).toBeUndefined();
    const milestones = render(ScenarioForm, { editor: draft, section: 'milestones' });
    type(control(milestones, '/milestones/1/targetMinutes'), '45');
    expect(draft.get('/milestones/1/targetMinutes')).toBe(45);
  });
});

describe('studio forms: renaming an id renames its references', () => {
  function rename(input: HTMLInputElement, to: string) {
    input.dispatchEvent(new FocusEvent('focus'));
    type(input, to);
    input.dispatchEvent(new Event('change', { bubbles: true }));
    flushSync();
  }

  it('a decision renamed keeps every way into it and every condition on its choices, in one undo step', () => {
    const draft = new FakeDraft(bundled());
    const pointer = pointerOf(draft, 'decision');
    const old = draft.get(`${pointer}/id`) as string;
    const json = JSON.stringify(draft.snapshot());
    expect(json.split(`"${old}"`).length).toBeGreaterThan(2);
    const form = render(NodeForm, { editor: draft, pointer });
    rename(control(form, `${pointer}/id`), 'd-first-call');
    expect(draft.edits.at(-1)?.op).toBe('set');
    expect(draft.edits.filter((e) => e.op === 'batch').at(-1)?.label).toBe(`Rename “${old}” to “d-first-call”`);
    expect(JSON.stringify(draft.snapshot())).not.toContain(`"${old}"`);
    expect(problemsOf(draft)).toEqual([]);
  });

  it('a variable renamed keeps the conditions and effects on it', () => {
    const draft = new FakeDraft(bundled());
    draft.set('/formatVersion', 1.1);
    draft.set('/timeline/0/narrative', 'Miners on {{footholds}} hosts, {{ footholds | number }} in all; {{footholdsOld}} is another name.');
    const json = JSON.stringify(draft.snapshot());
    expect(json.split('"footholds"').length).toBeGreaterThan(2);
    const form = render(ScenarioForm, { editor: draft, section: 'variables' });
    const index = (draft.get('/variables') as { id: string }[]).findIndex((v) => v.id === 'footholds');
    rename(control(form, `/variables/${index}/id`), 'attackerFootholds');
    const after = JSON.stringify(draft.snapshot());
    expect(after).not.toContain('"footholds"');
    expect(draft.get('/timeline/0/narrative')).toBe('Miners on {{attackerFootholds}} hosts, {{ attackerFootholds | number }} in all; {{footholdsOld}} is another name.');
    expect(problemsOf(draft).map((p) => p.message)).toEqual([expect.stringContaining('footholdsOld')]);
  });
});

describe('studio forms: conditions and effects come from pickers', () => {
  it('builds an option’s `when` from a variable, a comparison and a value, and it is a valid condition', () => {
    const draft = new FakeDraft(bundled());
    const pointer = pointerOf(draft, 'decision');
    const form = render(NodeForm, { editor: draft, pointer });
    const when = `${pointer}/options/1/when`;
    choose(control(form, when, 'select'), 'A variable has a value');
    choose(control(form, `${when}/var`, 'select'), /footholds/i);
    choose(control(form, `${when}/op`, 'select'), 'is at least');
    type(control(form, `${when}/value`), '2');
    expect(draft.get(when)).toEqual({ var: 'footholds', op: '>=', value: 2 });
    expect(Condition.safeParse(draft.get(when)).success).toBe(true);

    choose(control(form, when, 'select'), 'Not (the opposite of a condition)');
    expect(draft.get(when)).toEqual({ not: { var: 'footholds', op: '>=', value: 2 } });
    choose(control(form, `${when}/not`, 'select'), 'An option was chosen');
    const chose = draft.get(`${when}/not`) as { chose: string; option: string };
    expect(chose.chose).toMatch(/^d/);
    expect(Condition.safeParse(draft.get(when)).success).toBe(true);
    expect(problemsOf(draft)).toEqual([]);
  });

  it('offers only "is" and "is not" for a yes/no variable, and its value as true or false', () => {
    const draft = new FakeDraft(bundled());
    const pointer = pointerOf(draft, 'decision');
    const form = render(NodeForm, { editor: draft, pointer });
    const when = `${pointer}/options/0/when`;
    choose(control(form, when, 'select'), 'A variable has a value');
    choose(control(form, `${when}/var`, 'select'), /production/i);
    expect([...control(form, `${when}/op`, 'select').options].map((o) => o.text)).toEqual(['is', 'is not']);
    choose(control(form, `${when}/value`, 'select'), 'false (no)');
    expect(draft.get(when)).toEqual({ var: 'productionDown', op: '==', value: false });
  });

  it('builds consequences from pickers: a variable set, a score against a picked tag, a milestone reached', () => {
    const draft = new FakeDraft(bundled());
    const pointer = pointerOf(draft, 'decision');
    const effects = `${pointer}/options/0/consequences`;
    draft.set(effects, {});
    const form = render(NodeForm, { editor: draft, pointer });
    const adders = form.querySelectorAll<HTMLSelectElement>(`select[data-pointer="${effects}/set"]`);
    choose(adders[0]!, /footholds/i);
    click(button(adders[0]!.parentElement!, 'Add'));
    expect(draft.get(`${effects}/set`)).toEqual({ footholds: 0 });
    type(control(form, `${effects}/set/footholds`), '3');

    const scoreFamily = form.querySelectorAll<HTMLSelectElement>(`select[data-pointer="${effects}/score"]`);
    // Framework tags name what is exercised and carry no points (the validator says so): the score picker does not offer them.
    expect([...scoreFamily[0]!.options].map((o) => o.text)).not.toContain('MITRE ATT&CK technique');
    choose(scoreFamily[0]!, 'Design principle');
    choose(scoreFamily[1]!, 'Maintain traceability');
    click(button(scoreFamily[1]!.parentElement!, 'Add'));
    type(control(form, `${effects}/score/principle:traceability`), '2');

    const contained = (draft.get('/milestones') as { id: string; label: string }[]).find((m) => m.id === 'contained')!.label;
    const milestone = [...form.querySelectorAll<HTMLInputElement>(`input[data-pointer="${effects}/milestones"]`)].find(
      (i) => form.querySelector(`label[for="${i.id}"]`)?.textContent === contained,
    )!;
    milestone.click();
    flushSync();
    expect(draft.get(effects)).toEqual({ set: { footholds: 3 }, score: { 'principle:traceability': 2 }, milestones: ['contained'] });
    expect(Consequences.safeParse(draft.get(effects)).success).toBe(true);
    expect(problemsOf(draft)).toEqual([]);
  });
});

describe('studio forms: evidence', () => {
  it('pastes a real CloudTrail log file (AWS’s documentation example) into a new evidence item attached to the inject, as one undo step', () => {
    const draft = new FakeDraft(bundled());
    const before = (draft.get('/evidence') as unknown[]).length;
    const attached = (draft.get('/timeline/0/evidence') as unknown[]).length;
    const form = render(NodeForm, { editor: draft, pointer: '/timeline/0' });
    const paste = [...form.querySelectorAll('label')].find((l) => l.textContent.startsWith('Paste a record'))!;
    const box = document.getElementById(paste.htmlFor) as HTMLTextAreaElement;
    box.value = realRecord('cloudtrail/log-file-examples-03.json');
    box.dispatchEvent(new Event('input', { bubbles: true }));
    flushSync();
    const edits = draft.edits.length;
    click(button(form, 'Add as evidence'));
    expect(draft.edits[edits]).toMatchObject({ op: 'batch', label: 'Add evidence' });
    const item = draft.get(`/evidence/${before}`) as { id: string; kind: string; records: { eventName: string }[] };
    expect(item.kind).toBe('cloudtrail');
    expect(item.records[0]?.eventName).toBe('StartInstances');
    expect(draft.get(`/timeline/0/evidence/${attached}`)).toBe(item.id);
    expect(box.closest('.paste')?.querySelector('[role="status"]')?.textContent).toMatch(/^Added a CloudTrail/);
    expect(problemsOf(draft)).toEqual([]);
  });

  it('says in words what is wrong with a paste, and adds nothing', () => {
    const draft = new FakeDraft(bundled());
    const form = render(NodeForm, { editor: draft, pointer: '/timeline/0' });
    const paste = [...form.querySelectorAll('label')].find((l) => l.textContent.startsWith('Paste a record'))!;
    const box = document.getElementById(paste.htmlFor) as HTMLTextAreaElement;
    box.value = '{"eventVersion": "1.08", "eventTime": "yesterday", "awsRegion": "us-east-1", "eventName": "GetObject"}';
    box.dispatchEvent(new Event('input', { bubbles: true }));
    flushSync();
    const edits = draft.edits.length;
    click(button(form, 'Add as evidence'));
    expect(draft.edits.length).toBe(edits);
    const alert = form.querySelector('[role="alert"]');
    expect(alert?.textContent).toMatch(/eventTime/);
    expect(box.getAttribute('aria-invalid')).toBe('true');
  });

  it('creates a new e-mail evidence item from the kind picker, with the fields of an e-mail', () => {
    const draft = new FakeDraft(bundled());
    const before = (draft.get('/evidence') as unknown[]).length;
    const form = render(NodeForm, { editor: draft, pointer: '/timeline/0' });
    const kindPicker = [...form.querySelectorAll('label')].find((l) => l.textContent === 'New evidence')!;
    const picker = document.getElementById(kindPicker.htmlFor) as HTMLSelectElement;
    // Each kind says what it is.
    expect([...picker.options].slice(1).map((o) => o.text)).toEqual([
      'CloudTrail — AWS API calls and sign-ins, as CloudTrail records them',
      'GuardDuty finding — a threat finding as GuardDuty reports it',
      'Security Hub findings — findings in the AWS Security Finding Format (ASFF)',
      'VPC Flow Logs — network flow records of a VPC, field by field',
      'Log — lines of any other log: application, shell history, web server',
      'Email — a message with its sender, recipients and subject',
      'Chat — messages of a chat channel',
      'Ticket — an issue from a service desk or tracker',
      'Alert — a monitoring, AWS Health or cost anomaly alert',
      'Table — rows and columns: query results, an inventory',
      'Image — a diagram or screenshot from the scenario’s folder',
      'Note — free text: a briefing paper, a runbook extract',
    ]);
    choose(picker, /^Email — /);
    click(button(form, 'Create and attach'));
    expect(draft.get(`/evidence/${before}/kind`)).toBe('email');
    type(control(form, `/evidence/${before}/subject`), 'Your invoice');
    expect(draft.get(`/evidence/${before}/subject`)).toBe('Your invoice');
    expect(problemsOf(draft)).toEqual([]);
  });
});

describe('studio forms: markdown with the room’s preview', () => {
  it('renders markdown and living text in the preview as the room does', () => {
    const draft = new FakeDraft(bundled());
    const form = render(NodeForm, { editor: draft, pointer: '/timeline/0' });
    type(control(form, '/timeline/0/narrative', 'textarea'), 'The bill is **{{costUSD|currency:USD}}**.');
    const preview = form.querySelector('[aria-label="Preview of narrative (what the room is told)"]');
    const strong = preview?.querySelector('strong');
    expect(strong?.textContent).toMatch(/^\$[\d,]+\.00$/);
  });
});

describe('studio forms: accessibility', () => {
  it.each([
    ['an inject', (d: FakeDraft) => render(NodeForm, { editor: d, pointer: '/timeline/0' })],
    ['a decision', (d: FakeDraft) => render(NodeForm, { editor: d, pointer: pointerOf(d, 'decision') })],
    ['a contingency', (d: FakeDraft) => render(NodeForm, { editor: d, pointer: '/contingencies/0' })],
    ['the meta section', (d: FakeDraft) => render(ScenarioForm, { editor: d, section: 'meta' })],
    ['the guide section', (d: FakeDraft) => render(ScenarioForm, { editor: d, section: 'guide' })],
    ['the variables section', (d: FakeDraft) => render(ScenarioForm, { editor: d, section: 'variables' })],
  ])(
    'axe finds no violation in the form of %s, problems shown',
    async (_name, draw) => {
      const draft = new FakeDraft(bundled());
      draft.problems = [{ pointer: '/timeline/0/title', message: 'Title is required.' }];
      const form = draw(draft);
      // Not judged here: colour (happy-dom computes no styles), landmarks (the form is a part of the studio page), and list items (happy-dom drops
      // the <ul> around DOMPurify's output, which Chromium keeps; the studio's axe check in Chromium judges those).
      const results = await axe.run(form, { rules: { 'color-contrast': { enabled: false }, region: { enabled: false }, listitem: { enabled: false } } });
      expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html.slice(0, 80)).join(' | ')}`)).toEqual([]);
    },
    90_000,
  );
});
