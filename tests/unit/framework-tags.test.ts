import { describe, expect, it } from 'vitest';
import {
  ATTACK_BY_ID,
  ATTACK_TECHNIQUES,
  ATTACK_VOCABULARY,
  attackFullName,
  closestId,
  CSF_CATEGORIES,
  CSF_FUNCTIONS,
  CSF_VOCABULARY,
  csfFullName,
  PLAYBOOKS,
  PLAYBOOK_VOCABULARY,
} from '../../src-main/core/frameworks/index.ts';
import { canonicalTag, parseTag, TAG_PATTERN } from '../../src-main/core/scenario/tags.ts';
import { parseScenarioText, type ValidationResult } from '../../src-main/core/scenario/validate.ts';
import { sample, type Json } from '../fixtures/scenarios/build.ts';

const check = (scenario: Json): ValidationResult => parseScenarioText(JSON.stringify(scenario));
const errors = (result: ValidationResult) => (result.ok ? [] : result.errors);

describe('framework vocabularies', () => {
  it('each records its source, version and date', () => {
    for (const v of [PLAYBOOK_VOCABULARY, ATTACK_VOCABULARY, CSF_VOCABULARY]) {
      expect(v.framework).not.toBe('');
      expect(v.source).not.toBe('');
      expect(v.version).not.toBe('');
      expect(v.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    expect(PLAYBOOK_VOCABULARY.version).toMatch(/^[0-9a-f]{40}$/); // the commit read
    expect(ATTACK_VOCABULARY.version).toMatch(/^\d+\.\d+$/);
    expect(CSF_VOCABULARY.version).toBe('2.0');
  });

  it('has unique, well-formed ids with names', () => {
    for (const list of [PLAYBOOKS, ATTACK_TECHNIQUES, CSF_CATEGORIES, CSF_FUNCTIONS] as ReadonlyArray<ReadonlyArray<{ id: string; name: string }>>) {
      const ids = list.map((x) => x.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const x of list) expect(x.name.trim()).not.toBe('');
    }
    for (const p of PLAYBOOKS) expect(p.id).toMatch(/^IRP-[A-Za-z0-9_-]+$/);
    for (const t of ATTACK_TECHNIQUES) expect(t.id).toMatch(/^T\d{4}(\.\d{3})?$/);
    for (const c of CSF_CATEGORIES) expect(c.id).toMatch(/^(GV|ID|PR|DE|RS|RC)\.[A-Z]{2}$/);
  });

  it('holds the 22 CSF 2.0 categories, GV.OC to RC.CO, in the six functions', () => {
    expect(CSF_CATEGORIES).toHaveLength(22);
    expect(CSF_CATEGORIES[0]).toEqual({ id: 'GV.OC', name: 'Organizational Context' });
    expect(CSF_CATEGORIES.at(-1)).toEqual({ id: 'RC.CO', name: 'Incident Recovery Communication' });
    expect(CSF_FUNCTIONS.map((f) => f.id)).toEqual(['GV', 'ID', 'PR', 'DE', 'RS', 'RC']);
    const perFunction = Object.fromEntries(CSF_FUNCTIONS.map((f) => [f.id, CSF_CATEGORIES.filter((c) => c.id.startsWith(`${f.id}.`)).length]));
    expect(perFunction).toEqual({ GV: 6, ID: 3, PR: 5, DE: 2, RS: 4, RC: 2 });
    expect(csfFullName('PR.AA')).toBe('Protect: Identity Management, Authentication, and Access Control');
  });

  it('holds the cloud techniques with every sub-technique’s parent, and only cloud platforms', () => {
    expect(ATTACK_BY_ID.get('T1078.004')).toMatchObject({ name: 'Cloud Accounts', platforms: expect.arrayContaining(['IaaS']) });
    expect(attackFullName('T1078.004')).toBe('Valid Accounts: Cloud Accounts');
    expect(attackFullName('T1530')).toBe('Data from Cloud Storage');
    expect(attackFullName('T1562.008')).toBe('Impair Defenses: Disable or Modify Cloud Logs');
    expect(attackFullName('T1552.005')).toBe('Unsecured Credentials: Cloud Instance Metadata API');
    for (const t of ATTACK_TECHNIQUES) {
      if (t.id.includes('.')) expect(ATTACK_BY_ID.has(t.id.split('.')[0]!), t.id).toBe(true);
      else if (t.platforms.length === 0)
        expect(
          ATTACK_TECHNIQUES.some((s) => s.id.startsWith(`${t.id}.`)),
          t.id,
        ).toBe(true);
      for (const p of t.platforms) expect(['IaaS', 'SaaS', 'Office Suite', 'Identity Provider']).toContain(p);
      expect(t.tactics.length).toBeGreaterThan(0);
    }
    // Windows-only techniques are not in the cloud matrices.
    expect(ATTACK_BY_ID.has('T1003')).toBe(false);
  });

  it('lists the playbooks of the sample set, saying which files the commit holds', () => {
    const ids = PLAYBOOKS.map((p) => p.id);
    expect(ids).toEqual(expect.arrayContaining(['IRP-CredCompromise', 'IRP-DataAccess', 'IRP-Ransomware', 'IRP-DoS', 'IRP-PersonalDataBreach']));
    expect(PLAYBOOKS.find((p) => p.id === 'IRP-CredCompromise')).toMatchObject({ name: 'Credential Compromise', fileAtCommit: true });
  });
});

describe('framework tags', () => {
  it('parse against the shipped vocabularies', () => {
    expect(parseTag('playbook:IRP-CredCompromise')).toEqual({ ok: true, tag: { family: 'playbook', tag: 'playbook:IRP-CredCompromise', value: 'IRP-CredCompromise' } });
    expect(parseTag('attack:T1078.004')).toEqual({ ok: true, tag: { family: 'attack', tag: 'attack:T1078.004', value: 'T1078.004' } });
    expect(parseTag('attack:T1078')).toMatchObject({ ok: true, tag: { family: 'attack', value: 'T1078' } });
    expect(parseTag('csf:PR.AA')).toEqual({ ok: true, tag: { family: 'csf', tag: 'csf:PR.AA', value: 'PR.AA' } });
    expect(canonicalTag('csf:RS.MI')).toBe('csf:RS.MI');
    for (const tag of ['playbook:IRP-CredCompromise', 'attack:T1078.004', 'attack:T1530', 'csf:RC.CO']) expect(TAG_PATTERN.test(tag), tag).toBe(true);
  });

  it('refuse unknown ids and say what was meant', () => {
    expect(parseTag('playbook:IRP-CredCompromize')).toMatchObject({ ok: false, message: expect.stringContaining('did you mean "playbook:IRP-CredCompromise"?') });
    expect(parseTag('playbook:irp-ransomware')).toMatchObject({ ok: false, message: expect.stringContaining('did you mean "playbook:IRP-Ransomware"?') });
    expect(parseTag('csf:PR.AC')).toMatchObject({ ok: false, message: expect.stringMatching(/Unknown NIST CSF 2\.0 category "PR\.AC".*did you mean "csf:PR\.A[AT]"/) });
    expect(parseTag('csf:pr-aa')).toMatchObject({ ok: false, message: expect.stringContaining('did you mean "csf:PR.AA"?') });
    expect(parseTag('attack:T1078.099')).toMatchObject({ ok: false, message: expect.stringContaining("not a technique of ATT&CK v18.1's cloud matrices") });
    expect(parseTag('attack:T1078.099')).toMatchObject({ ok: false, message: expect.stringContaining('did you mean "attack:T1078.00') });
    // A Windows technique is a real ATT&CK id, but not one of the cloud matrices.
    expect(parseTag('attack:T1003')).toMatchObject({ ok: false, message: expect.stringContaining('cloud matrices') });
    expect(parseTag('attack:t1078.004')).toMatchObject({ ok: false, message: expect.stringContaining('did you mean "attack:T1078.004"?') });
    expect(closestId('zzzzzzzz', ['PR.AA'])).toBeUndefined();
  });

  it('are format 1.1 constructs, refused in a version-1 file with the pointer', () => {
    const v1 = sample();
    (v1.meta as { tags: string[] }).tags.push('playbook:IRP-CredCompromise');
    (v1.meta as Record<string, unknown>).critical = true;
    const messages = errors(check(v1)).map((e) => `${e.pointer} ${e.message}`);
    expect(messages).toContain(
      `/meta/tags/${(v1.meta as { tags: string[] }).tags.length - 1} An AWS incident-response playbook tag ("playbook:IRP-CredCompromise") needs "formatVersion": 1.1 (this file declares 1)`,
    );
    expect(messages).toContain('/meta/critical A critical scenario ("critical") needs "formatVersion": 1.1 (this file declares 1)');

    const v11 = { ...v1, formatVersion: 1.1 };
    expect(errors(check(v11))).toEqual([]);
  });

  it('are checked wherever a tag is written', () => {
    const s: { objectives: Array<{ tags: string[] }> } = { ...sample(), formatVersion: 1.1 };
    s.objectives[0]!.tags.push('attack:T1078.4');
    const result = errors(check(s));
    expect(result.map((e) => e.pointer)).toEqual([`/objectives/0/tags/${s.objectives[0]!.tags.length - 1}`]);
    expect(result[0]!.message).toContain('not an ATT&CK technique id');
  });

  it('carry no points', () => {
    const s: { timeline: Array<Record<string, unknown>> } = { ...sample(), formatVersion: 1.1 };
    const decision = s.timeline.findIndex((n: Record<string, unknown>) => n.type === 'decision');
    const option = (s.timeline[decision]!.options as Array<{ tags?: string[]; consequences?: { score?: Record<string, number> } }>)[0]!;
    option.tags = [...(option.tags ?? []), 'csf:RS.MI'];
    option.consequences = { ...option.consequences, score: { ...option.consequences?.score, 'csf:RS.MI': 2 } };
    const result = errors(check(s));
    expect(result.map((e) => e.pointer)).toEqual([`/timeline/${decision}/options/0/consequences/score/csf:RS.MI`]);
    expect(result[0]!.message).toContain('carries no points');
  });
});

describe('framework tags in the renderer', () => {
  it('are shown with their names and the vocabulary version', async () => {
    const { describeTag } = await import('../../src-renderer/src/components/tags/describe-tag.ts');
    expect(describeTag('attack:T1078.004')).toMatchObject({ family: 'attack', familyLabel: 'ATT&CK', label: 'T1078.004 Valid Accounts: Cloud Accounts' });
    expect(describeTag('attack:T1078.004').description).toContain('ATT&CK v18.1');
    expect(describeTag('csf:RS.MI')).toMatchObject({ family: 'csf', familyLabel: 'CSF 2.0', label: 'RS.MI Respond: Incident Mitigation' });
    expect(describeTag('playbook:IRP-Ransomware')).toMatchObject({ family: 'playbook', familyLabel: 'Playbook', label: 'IRP-Ransomware Ransomware' });
    // An id the vocabulary does not know is still shown, as written.
    expect(describeTag('csf:XX.YY')).toMatchObject({ family: 'csf', label: 'XX.YY' });
  });
});

describe('docs/scenario-format.md, Framework tags', () => {
  it('has a complete example that validates, and is refused as version 1 with the documented message', async () => {
    const { readFileSync } = await import('node:fs');
    const doc = readFileSync(new URL('../../docs/scenario-format.md', import.meta.url), 'utf8');
    const section = doc.slice(doc.indexOf('### Framework tags'), doc.indexOf('## Validation rules'));
    const block = /```json\n([\s\S]*?)\n```/.exec(section);
    expect(block, 'the section has no JSON example').not.toBeNull();
    const result = parseScenarioText(block![1]!);
    expect(errors(result)).toEqual([]);
    const v1 = { ...JSON.parse(block![1]!), formatVersion: 1 };
    const messages = errors(check(v1)).map((e) => `${e.pointer}: ${e.message}`);
    expect(section).toContain(messages.find((m) => m.startsWith('/meta/tags/0:')));
  });
});
