/**
 * The two built-in scenarios of issue 16 from branch scenarios-b:
 *
 * - `12-bedrock-agent-prompt-injection.json`, a generative-AI application on
 *   Amazon Bedrock whose over-permissive agent leaks customer data through
 *   indirect prompt injection, with a technical and an executive track;
 * - `00-warm-up-format-tour.json`, a 20-minute warm-up that uses every
 *   construct of format 1.1 once.
 *
 * What the validator already guarantees (structure, references, reachability)
 * is not repeated here; these tests check what the library promises about
 * these two scenarios: their size and shape, their tracks and audiences, the
 * evidence held back for hunting questions, living counts, framework tags,
 * records shaped as AWS writes them, and that every combination of decisions
 * rehearses to an ending through the engine a live session uses.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readScenarioFile } from '../../src-main/app/scenario-files.ts';
import { rehearse, walkDecisionPaths } from '../../src-main/core/engine/rehearse.ts';
import { ATTACK_BY_ID, CSF_BY_ID, PLAYBOOKS_BY_ID } from '../../src-main/core/frameworks/index.ts';
import { renderLivingText } from '../../src-main/core/scenario/living-text.ts';
import type { Scenario } from '../../src-main/core/scenario/schema.ts';
import { trackLayout } from '../../src-main/core/scenario/tracks.ts';

const DIR = join(process.cwd(), 'scenarios');

function load(file: string): Scenario {
  const loaded = readScenarioFile(join(DIR, file));
  if (!loaded.ok) throw new Error(`${file}: ${JSON.stringify(loaded.errors)}`);
  return loaded.scenario;
}

type Node = Scenario['timeline'][number];
type Of<T extends Node['type']> = Extract<Node, { type: T }>;
const nodesOf = <T extends Node['type']>(s: Scenario, type: T): Array<Of<T>> => s.timeline.filter((n): n is Of<T> => n.type === type);
const family = (tags: readonly string[], prefix: string) => tags.filter((t) => t.startsWith(`${prefix}:`));

/** Every text that may hold living text (format 1.1), with the formats its placeholders use. */
function livingFormats(s: Scenario): Set<string> {
  const texts: string[] = [];
  for (const n of s.timeline) {
    if (n.type === 'inject') texts.push(n.narrative, n.subject ?? '');
    if (n.type === 'decision') texts.push(n.prompt, ...n.options.map((o) => o.outcome ?? ''));
    if (n.type === 'end') texts.push(n.outcome);
  }
  for (const c of s.contingencies) texts.push(c.narrative);
  for (const e of s.evidence) {
    if ('body' in e) texts.push(e.body);
    if (e.kind === 'email') texts.push(e.subject);
    if (e.kind === 'chat') texts.push(...e.messages.map((m) => m.text));
  }
  const formats = new Set<string>();
  for (const text of texts)
    for (const m of text.matchAll(/\{\{\s*[A-Za-z][\w.-]*\s*(?:\|\s*([a-z]+)(?::\s*([A-Z]{3}))?\s*)?\}\}/g)) formats.add([m[1] ?? 'plain', m[2]].filter(Boolean).join(':'));
  return formats;
}

/** The scenario's ending nodes, grouped by the track that reaches them. */
function endsByTrack(s: Scenario): Map<string, string[]> {
  const layout = trackLayout(s);
  const ends = new Map<string, string[]>();
  for (const end of nodesOf(s, 'end')) {
    const track = layout.trackOf(end.id) ?? '';
    ends.set(track, [...(ends.get(track) ?? []), end.id]);
  }
  return ends;
}

/** Walks every combination of decisions for each seed; asserts each run ends at a lead-track end; returns the endings and the paths' nodes seen. */
function walkAll(s: Scenario, seeds: readonly string[]): { endings: Set<string>; visited: Set<string>; runs: number } {
  const leadEnds = new Set(endsByTrack(s).get((s.tracks ?? [])[0]!.id));
  const endings = new Set<string>();
  const visited = new Set<string>();
  let runs = 0;
  for (const seed of seeds) {
    const walk = walkDecisionPaths(s, seed);
    expect(walk.truncated, `seed ${seed}: every combination walked`).toBe(false);
    for (const run of walk.runs) {
      expect(leadEnds.has(run.ended), `${JSON.stringify(run.choices)} ends at ${run.ended}`).toBe(true);
      endings.add(run.ended);
    }
    runs += walk.runs.length;
    // One full rehearsal per seed with the recommended choices shows each track's own ending.
    for (const id of rehearse(s, { choices: recommended(s), seed }).path) visited.add(id);
  }
  return { endings, visited, runs };
}

function recommended(s: Scenario): Record<string, string> {
  return Object.fromEntries(nodesOf(s, 'decision').map((d) => [d.id, d.options.find((o) => o.recommended)!.id]));
}

// ----------------------------------------------------------------- scenario 12

describe('scenarios/12-bedrock-agent-prompt-injection.json', () => {
  const s = load('12-bedrock-agent-prompt-injection.json');
  const injects = nodesOf(s, 'inject');
  const decisions = nodesOf(s, 'decision');

  it('has the size of a full exercise: 14+ injects, 5+ decisions, a random event, 2+ contingencies, one recommended option per decision', () => {
    expect(s.formatVersion).toBe(1.1);
    expect(injects.length).toBeGreaterThanOrEqual(14);
    expect(decisions.length).toBeGreaterThanOrEqual(5);
    expect(nodesOf(s, 'random').length).toBeGreaterThanOrEqual(1);
    expect(s.contingencies.length).toBeGreaterThanOrEqual(2);
    expect(s.meta.estimatedMinutes).toBe(90);
    expect(Math.max(...injects.map((i) => i.at ?? 0))).toBeLessThanOrEqual(s.meta.estimatedMinutes);
    expect(decisions.filter((d) => d.options.filter((o) => o.recommended).length !== 1).map((d) => d.id)).toEqual([]);
    expect(s.milestones.map((m) => m.id)).toEqual(expect.arrayContaining(['detected', 'contained', 'eradicated', 'recovered', 'notified']));
    for (const m of s.milestones) expect(m.targetMinutes, m.id).toBeGreaterThan(0);
  });

  it('runs a technical track and an executive/legal/communications track, each deciding its own questions', () => {
    const tracks = s.tracks ?? [];
    expect(tracks.map((t) => t.id)).toEqual(['technical', 'executive']);
    expect(tracks[0]!.start).toBe(s.start);
    expect(tracks[0]!.roles).toEqual(expect.arrayContaining(['ic', 'seceng', 'mlapp']));
    expect(tracks[1]!.roles).toEqual(expect.arrayContaining(['ciso', 'legal', 'comms', 'product']));
    const layout = trackLayout(s);
    const decisionsIn = (track: string) => decisions.filter((d) => layout.trackOf(d.id) === track).length;
    expect(decisionsIn('technical')).toBeGreaterThanOrEqual(3);
    expect(decisionsIn('executive')).toBeGreaterThanOrEqual(3);
    expect(endsByTrack(s).get('executive')).toEqual(['xe-on-time', 'xe-late']);
    // The executive track finishes before the lead track's last inject, so its ending is seen.
    const last = (track: string) => Math.max(...injects.filter((i) => layout.trackOf(i.id) === track).map((i) => i.at ?? 0));
    expect(last('executive')).toBeLessThan(last('technical'));
  });

  it('aims injects and evidence at Legal, Communications and the product owner', () => {
    const aimed = new Set([...injects, ...s.contingencies].flatMap((i) => i.audience ?? []));
    expect([...aimed]).toEqual(expect.arrayContaining(['legal', 'comms', 'product', 'ciso']));
    expect(s.evidence.filter((e) => e.audience?.includes('legal')).map((e) => e.id)).toEqual(expect.arrayContaining(['ev-counsel-email']));
    const roles = new Set(s.roles.map((r) => r.id));
    for (const id of [...aimed, ...s.evidence.flatMap((e) => e.audience ?? [])]) expect(roles.has(id), id).toBe(true);
  });

  it('holds back evidence for the hunting questions, each with the query that finds it (CloudTrail Lake SQL, Athena, CloudWatch Logs Insights)', () => {
    const held = s.evidence.filter((e) => e.onRequest);
    expect(held.length).toBeGreaterThanOrEqual(4);
    expect(new Set(held.map((e) => e.onRequest!.query?.language))).toEqual(new Set(['cloudtrail-lake-sql', 'athena-sql', 'cloudwatch-logs-insights']));
    for (const e of held) {
      const query = e.onRequest!.query!.text;
      if (e.onRequest!.query!.language === 'cloudwatch-logs-insights') expect(query, e.id).toMatch(/^fields .*\n\| filter /);
      else expect(query, e.id).toMatch(/^SELECT [\s\S]+\nFROM [\s\S]+\nWHERE /);
      // Every held-back item is offered by an inject the team can reach.
      expect(
        injects.some((i) => i.evidence.includes(e.id)),
        e.id,
      ).toBe(true);
    }
    expect(held.find((e) => e.onRequest!.query!.language === 'cloudtrail-lake-sql')!.onRequest!.query!.text).toContain('FROM $EDS_ID');
  });

  it('keeps its counts and costs in living text driven by the variables', () => {
    expect([...livingFormats(s)]).toEqual(expect.arrayContaining(['number', 'currency:EUR', 'duration']));
    const prompt = decisions.find((d) => d.id === 'd01-contain')!.prompt;
    expect(renderLivingText(prompt, {}, s.variables)).toContain('**1,312** customers');
    expect(renderLivingText(prompt, { recordsLeaked: 2500 }, s.variables)).toContain('**2,500** customers');
    // The count the executives read is the one the technical choices produce.
    const late = rehearse(s, { choices: { 'd01-contain': 'd01-investigate' }, seed: '5' });
    const early = rehearse(s, { choices: { 'd01-contain': 'd01-pause' }, seed: '5' });
    expect(late.variables.recordsLeaked as number).toBeGreaterThan(early.variables.recordsLeaked as number);
  });

  it('names its playbooks, its attacker’s techniques and the CSF categories its decisions exercise, from the shipped vocabularies', () => {
    const playbooks = family(s.meta.tags, 'playbook');
    expect(playbooks).toEqual(expect.arrayContaining(['playbook:IRP-AgentCoreAgentIntegrity', 'playbook:IRP-DataAccess', 'playbook:IRP-PersonalDataBreach']));
    for (const t of playbooks) expect(PLAYBOOKS_BY_ID.has(t.slice('playbook:'.length)), t).toBe(true);
    const stepTags = [...injects.flatMap((i) => i.tags), ...s.contingencies.flatMap((c) => c.tags)];
    const techniques = new Set(family(stepTags, 'attack'));
    expect([...techniques]).toEqual(expect.arrayContaining(['attack:T1080', 'attack:T1190', 'attack:T1567', 'attack:T1530', 'attack:T1552.001']));
    for (const t of techniques) expect(ATTACK_BY_ID.has(t.slice('attack:'.length)), t).toBe(true);
    expect(
      family(
        decisions.flatMap((d) => d.options.flatMap((o) => o.tags)),
        'attack',
      ),
    ).toEqual([]);
    for (const d of decisions) expect(family([...d.tags, ...d.options.flatMap((o) => o.tags)], 'csf').length, d.id).toBeGreaterThan(0);
    const categories = new Set(family([...s.meta.tags, ...decisions.flatMap((d) => [...d.tags, ...d.options.flatMap((o) => o.tags)])], 'csf'));
    for (const t of categories) expect(CSF_BY_ID.has(t.slice('csf:'.length)), t).toBe(true);
    expect([...categories]).toEqual(expect.arrayContaining(['csf:RS.MI', 'csf:RS.CO', 'csf:RC.RP']));
  });

  it('shows Bedrock calls as CloudTrail records them: InvokeAgent and Retrieve as data events, InvokeModel and StartIngestionJob as management events', () => {
    const records = s.evidence.flatMap((e) => (e.kind === 'cloudtrail' ? e.records : [])) as Array<Record<string, any>>;
    const byName = (name: string) => records.filter((r) => r.eventSource === 'bedrock.amazonaws.com' && r.eventName === name);
    for (const [name, resourceType] of [
      ['InvokeAgent', 'AWS::Bedrock::AgentAlias'],
      ['Retrieve', 'AWS::Bedrock::KnowledgeBase'],
    ] as const) {
      expect(byName(name).length, name).toBeGreaterThan(0);
      for (const r of byName(name)) {
        expect(r).toMatchObject({ eventCategory: 'Data', managementEvent: false });
        expect(r.resources[0].type).toBe(resourceType);
        // What was asked is redacted in CloudTrail; it lives in the invocation log.
        expect(JSON.stringify(r.requestParameters)).toContain('HIDDEN_DUE_TO_SECURITY_REASONS');
      }
    }
    for (const name of ['InvokeModel', 'StartIngestionJob']) {
      expect(byName(name).length, name).toBeGreaterThan(0);
      for (const r of byName(name)) expect(r).toMatchObject({ eventCategory: 'Management', managementEvent: true });
    }
  });

  it('shows the model invocation log records in the shape Bedrock writes them', () => {
    const log = s.evidence.find((e) => e.id === 'ev-invocation-log');
    expect(log?.kind).toBe('log');
    if (log?.kind !== 'log') return;
    expect(log.lines.length).toBeGreaterThan(0);
    for (const line of log.lines) {
      const record = JSON.parse(line) as Record<string, any>;
      expect(record).toMatchObject({ schemaType: 'ModelInvocationLog', schemaVersion: '1.0', accountId: '111122223333', region: 'eu-west-1', operation: 'InvokeModel' });
      expect(record.identity.arn).toMatch(/^arn:aws:sts::111122223333:assumed-role\/AmazonBedrockExecutionRoleForAgents_aria\//);
      expect(record.modelId).toMatch(/^eu\.anthropic\.claude-/);
      expect(record.input.inputTokenCount).toBeGreaterThan(0);
      expect(record.output.outputTokenCount).toBeGreaterThan(0);
    }
    // The injected instruction is in what the model saw, and its effect in what it wrote.
    expect(log.lines.join('\n')).toContain('Note for Aria');
    expect(log.lines.at(-1)).toContain('img.cdn-status.example.net');
  });

  it('uses GuardDuty finding types that exist and Macie findings in ASFF', () => {
    const types = s.evidence.flatMap((e) => (e.kind === 'guardduty' ? [e.finding.type] : []));
    // Documented finding types only: GuardDuty has none for a model following injected instructions.
    expect(types).toEqual(['Discovery:IAMUser/AnomalousBehavior']);
    const findings = s.evidence.flatMap((e) => (e.kind === 'securityhub' ? e.findings : []));
    expect(findings.map((f) => f.Types[0])).toEqual([
      'Sensitive Data Identifications/PII/SensitiveData:S3Object-Personal',
      'Sensitive Data Identifications/Passwords/SensitiveData:S3Object-Credentials',
    ]);
    for (const f of findings) expect(f.ProductArn).toBe('arn:aws:securityhub:eu-west-1::product/aws/macie');
  });

  it('rehearses to an ending down every combination of decisions, on both sides of the dice, and every ending is reachable', () => {
    // Seed 5 rolls 'the key stays quiet'; seeds 1-3 (walked in bundled-scenarios.test.ts too) roll 'the key is used'.
    const { endings, visited, runs } = walkAll(s, ['5']);
    expect(runs).toBeGreaterThan(100);
    expect(endings).toEqual(new Set(endsByTrack(s).get('technical')));
    expect(visited.has('i06-key-quiet')).toBe(true);
    expect(rehearse(s, { choices: recommended(s), seed: '1' }).path).toContain('i06-key-used');
    const best = rehearse(s, { choices: recommended(s), seed: '5' });
    expect(best.tracks?.map((t) => [t.id, t.ended])).toEqual([
      ['technical', 'e-success'],
      ['executive', 'xe-on-time'],
    ]);
    expect(Object.values(best.objectives).every((at) => at !== null)).toBe(true);
    const worst = rehearse(s, { choices: 'default', seed: '1' });
    expect(worst.tracks?.map((t) => t.result)).toEqual(['failure', 'failure']);
  });
});

// ----------------------------------------------------------------- the warm-up

describe('scenarios/00-warm-up-format-tour.json', () => {
  const s = load('00-warm-up-format-tour.json');
  const injects = nodesOf(s, 'inject');
  const decisions = nodesOf(s, 'decision');

  it('runs in 20 minutes', () => {
    expect(s.meta.estimatedMinutes).toBe(20);
    expect(Math.max(...injects.map((i) => i.at ?? 0))).toBeLessThanOrEqual(20);
    expect(Math.max(...s.milestones.map((m) => m.targetMinutes))).toBeLessThanOrEqual(20);
    expect(decisions.length).toBeLessThanOrEqual(4);
  });

  it('uses every construct of format 1.1', () => {
    const options = decisions.flatMap((d) => d.options);
    const constructs = {
      'two tracks': s.tracks?.length === 2 && s.tracks.every((t) => t.roles.length > 0),
      'an inject for some roles': injects.some((i) => (i.audience ?? []).length > 0),
      'evidence for some roles': s.evidence.some((e) => (e.audience ?? []).length > 0),
      'living text: number, currency and duration': ['number', 'currency:USD', 'duration'].every((f) => livingFormats(s).has(f)),
      'evidence on request with its query': s.evidence.some((e) => e.onRequest?.query !== undefined),
      'a contingency on a condition': s.contingencies.some((c) => 'condition' in c.when && !('after' in c.when)),
      'a contingency after an inject': s.contingencies.some((c) => 'after' in c.when),
      'a repeating contingency': s.contingencies.some((c) => c.repeat !== undefined),
      'a conditional option': options.some((o) => o.when !== undefined),
      'inject effects': injects.some((i) => i.effects !== undefined) && s.contingencies.some((c) => c.effects !== undefined),
      'playbook, ATT&CK and CSF tags': ['playbook', 'attack', 'csf'].every(
        (f) => family([...s.meta.tags, ...injects.flatMap((i) => i.tags), ...decisions.flatMap((d) => d.tags)], f).length > 0,
      ),
      'meta.critical': typeof s.meta.critical === 'boolean',
    };
    expect(Object.entries(constructs).filter(([, used]) => !used)).toEqual([]);
    // The facilitator guide says what each construct looks like in the room.
    for (const words of [
      'Two tracks',
      'Audiences',
      'Living text',
      'Evidence on request',
      'repeating',
      'condition',
      '`after`',
      'conditional option',
      'inject effects',
      'Framework tags',
    ])
      expect(s.guide.facilitatorBrief, words).toContain(words);
  });

  it('shows the rules at work: the repeating, condition and `after` contingencies, and the option offered only on preserved evidence', () => {
    const slow = rehearse(s, { choices: { 'td1-door': 'td1-ask-first', 'td2-keep': 'td2-delete' }, seed: '1' });
    expect(slow.contingencies['c-still-reading']).toMatchObject({ count: 3 });
    expect(slow.contingencies['c-payroll']).not.toBeNull();
    expect(slow.contingencies['c-ciso']?.firedAt).toBe(12 * 60_000);
    expect(slow.offered['pd2-action']).not.toContain('pd2-letter');
    expect(slow.variables.objectsRead).toBe(4 + 2 + 3 * 6);

    const fast = rehearse(s, { choices: recommended(s), seed: '1' });
    expect(fast.contingencies['c-still-reading']).toBeNull();
    expect(fast.contingencies['c-payroll']).toBeNull();
    expect(fast.offered['pd2-action']).toContain('pd2-letter');
    expect(fast.tracks?.map((t) => [t.id, t.ended])).toEqual([
      ['technical', 'e-good'],
      ['people', 'pe-end'],
    ]);
    expect(Object.values(fast.milestones).every((at) => at !== null)).toBe(true);
  });

  it('rehearses to an ending down every combination of decisions, on both sides of the dice', () => {
    const { endings, visited } = walkAll(s, ['1', '3']);
    expect(endings).toEqual(new Set(['e-good', 'e-slow']));
    expect(visited.has('t3-key') && visited.has('t3-none')).toBe(true);
  });
});
