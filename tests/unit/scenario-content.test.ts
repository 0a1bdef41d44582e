/**
 * Mechanical content rules for the built-in scenario library (scenarios/*.json).
 *
 * The validator checks that a scenario is well formed; these tests check what
 * the library promises its users about the content: only best practices that
 * exist in the 2024-06-27 Well-Architected framework, only documentation IP
 * addresses, example account IDs and example domains (so that nothing in an
 * exercise points at a real network, account or organisation), CloudTrail
 * records a responder can read, and, for the nine numbered scenarios, the size
 * and shape every built-in exercise must have.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REQUIRED_MILESTONES, Scenario } from '../../src-main/core/scenario/schema.ts';
import { WAF_BEST_PRACTICES } from '../../src-main/core/scenario/tags.ts';
import { ATTACK_BY_ID, CSF_BY_ID, PLAYBOOKS_BY_ID } from '../../src-main/core/frameworks/index.ts';
import { computeProgramme } from '../../src-main/core/programme/programme.ts';
import { trackLayout } from '../../src-main/core/scenario/tracks.ts';

const SCENARIO_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));
const WAF_VERSION = '2024-06-27';

/** Every scenario script in the library (the generated JSON Schema is not one). */
const scenarioFiles = readdirSync(SCENARIO_DIR)
  .filter((name) => name.endsWith('.json') && name !== 'scenario.schema.json')
  .sort();

/** The nine numbered built-in scenarios, `01-…json` to `09-…json`. */
const NUMBERED = /^0[1-9]-[a-z0-9-]+\.json$/;
const numberedFiles = scenarioFiles.filter((name) => NUMBERED.test(name));

function load(name: string): unknown {
  return JSON.parse(readFileSync(join(SCENARIO_DIR, name), 'utf8'));
}

// ---------------------------------------------------------------- scanners

/** Calls `visit` with every string, object key and number in a JSON value, and its JSON path. */
function visitText(value: unknown, visit: (text: string, path: string) => void, path = '$'): void {
  if (typeof value === 'string') visit(value, path);
  else if (typeof value === 'number') visit(String(value), path);
  else if (Array.isArray(value)) value.forEach((item, index) => visitText(item, visit, `${path}[${index}]`));
  else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      visit(key, `${path} (key)`);
      visitText(child, visit, `${path}.${key}`);
    }
  }
}

/** Every match of the global `pattern` in every string of `value` that `accept` rejects, as "path: match". */
function findAll(value: unknown, pattern: RegExp, accept: (match: RegExpExecArray) => boolean): string[] {
  const found: string[] = [];
  visitText(value, (text, path) => {
    for (const match of text.matchAll(pattern)) {
      if (!accept(match)) found.push(`${path}: ${match[0]}`);
    }
  });
  return found;
}

/** Any mention of a Well-Architected tag or best-practice ID, however it is written. */
const BEST_PRACTICE_MENTION = /WAF-[\w:-]*|\bSEC\d+-BP\d+\b/g;
const WAF_TAG = /^WAF-(\d{4}-\d{2}-\d{2}):(SEC\d{2})-BP(\d{2})$/;
const BARE_BEST_PRACTICE = /^(SEC\d{2})-BP(\d{2})$/;

function existsIn2024List(area: string, bp: string): boolean {
  const count = WAF_BEST_PRACTICES[WAF_VERSION]?.[area];
  const n = Number(bp);
  return count !== undefined && n >= 1 && n <= count;
}

/** True when a best-practice mention is a 2024-06-27 tag (or a bare ID) that exists in that framework version. */
function isKnownBestPractice(mention: string): boolean {
  const tag = WAF_TAG.exec(mention);
  if (tag) return tag[1] === WAF_VERSION && existsIn2024List(tag[2]!, tag[3]!);
  const bare = BARE_BEST_PRACTICE.exec(mention);
  return bare !== null && existsIn2024List(bare[1]!, bare[2]!);
}

/** A dotted quad not embedded in a longer run of digits and dots (a trailing sentence full stop is fine). */
const IPV4 = /(?<![\d.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?!\d|\.\d)/g;

/** Addresses a scenario may use: the three documentation ranges (RFC 5737)... */
const DOCUMENTATION_PREFIXES = ['192.0.2.', '198.51.100.', '203.0.113.'];
/** ...and these exceptions, where realistic: instance metadata, loopback, "anywhere" in security groups, and private VPC addresses. */
const ALLOWED_IPV4_EXCEPTIONS = ['169.254.169.254', '127.0.0.1', '0.0.0.0'];
const PRIVATE_VPC_PREFIX = '10.';

function isAllowedIPv4(match: RegExpExecArray): boolean {
  const octets = match.slice(1, 5).map(Number);
  if (octets.some((octet) => octet > 255)) return true; // not an address (e.g. a version string)
  const address = match[0];
  return DOCUMENTATION_PREFIXES.some((prefix) => address.startsWith(prefix)) || ALLOWED_IPV4_EXCEPTIONS.includes(address) || address.startsWith(PRIVATE_VPC_PREFIX);
}

/** Twelve digits standing alone: what an AWS account ID looks like. */
const ACCOUNT_ID = /(?<!\d)\d{12}(?!\d)/g;
/** The example account IDs AWS documentation uses. */
const EXAMPLE_ACCOUNT_IDS = ['111122223333', '444455556666'];

/**
 * A host name (or the domain of an e-mail address) ending in a common public top-level domain. A dotted
 * name that carries on past the "TLD" (a Java package such as javax.net.ssl) is not a host name.
 */
const HOST_NAME = /(?<![\w.-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:com|net|org|io|co|dev|app|info|biz|xyz|ai|cloud|me|us|uk|de|ru|cn|edu|gov)(?!\.?[\w-])/gi;
/** Domains a scenario may name: the reserved example domains (RFC 2606) and AWS's own service and console domains. */
const ALLOWED_DOMAINS = ['example.com', 'example.org', 'example.net', 'amazonaws.com', 'aws.amazon.com'];

function isAllowedHost(match: RegExpExecArray): boolean {
  const host = match[0].toLowerCase();
  return ALLOWED_DOMAINS.some((domain) => host === domain || host.endsWith(`.${domain}`));
}

/** The CloudTrail fields a responder reads first; every record must carry them. */
const CLOUDTRAIL_FIELDS = ['eventVersion', 'eventTime', 'eventSource', 'eventName', 'awsRegion', 'sourceIPAddress', 'userIdentity'] as const;

function cloudTrailGaps(scenario: unknown): string[] {
  const gaps: string[] = [];
  const evidence = (scenario as { evidence?: unknown }).evidence;
  if (!Array.isArray(evidence)) return gaps;
  evidence.forEach((item: { id?: string; kind?: string; records?: unknown } | null, index) => {
    if (item?.kind !== 'cloudtrail') return;
    const records = Array.isArray(item.records) ? item.records : [];
    if (records.length === 0) gaps.push(`$.evidence[${index}] (${String(item.id)}): no records`);
    records.forEach((record: Record<string, unknown> | null, r) => {
      for (const field of CLOUDTRAIL_FIELDS) {
        const value = record?.[field];
        if (value === undefined || value === null || value === '') gaps.push(`$.evidence[${index}].records[${r}] (${String(item.id)}): ${field}`);
      }
    });
  });
  return gaps;
}

describe('content scanners', () => {
  const match = (pattern: RegExp, text: string) => [...text.matchAll(pattern)].map((m) => m[0]);

  it('recognises best-practice mentions and checks them against the 2024-06-27 list', () => {
    expect(match(BEST_PRACTICE_MENTION, 'see WAF-2024-06-27:SEC02-BP02, and WAF-2024-06-27:SEC10-BP07.')).toEqual(['WAF-2024-06-27:SEC02-BP02', 'WAF-2024-06-27:SEC10-BP07']);
    expect(match(BEST_PRACTICE_MENTION, 'bare SEC03-BP05 too')).toEqual(['SEC03-BP05']);
    expect(isKnownBestPractice('WAF-2024-06-27:SEC02-BP02')).toBe(true);
    expect(isKnownBestPractice('WAF-2024-06-27:SEC02-BP07')).toBe(false);
    expect(isKnownBestPractice('WAF-2023-10-03:SEC02-BP02')).toBe(false);
    expect(isKnownBestPractice('SEC12-BP01')).toBe(false);
  });

  it('finds IPv4 addresses and allows only documentation ranges and the listed exceptions', () => {
    const scan = (text: string) => findAll({ text }, IPV4, isAllowedIPv4);
    expect(scan('from 203.0.113.47. Then 198.51.100.7, 192.0.2.1, 10.20.3.4, 169.254.169.254 and 0.0.0.0/0')).toEqual([]);
    expect(scan('resolver 8.8.8.8 and 172.16.0.5')).toEqual(['$.text: 8.8.8.8', '$.text: 172.16.0.5']);
    expect(scan('agent/1.22.333.4444 is a version')).toEqual([]);
  });

  it('finds account IDs, including in keys and numbers', () => {
    expect(findAll({ arn: 'arn:aws:iam::123456789012:root', n: 210987654321 }, ACCOUNT_ID, (m) => EXAMPLE_ACCOUNT_IDS.includes(m[0]))).toEqual([
      '$.arn: 123456789012',
      '$.n: 210987654321',
    ]);
    expect(findAll({ id: '444455556666', epochMs: 1741999999999 }, ACCOUNT_ID, (m) => EXAMPLE_ACCOUNT_IDS.includes(m[0]))).toEqual([]);
  });

  it('finds host names and e-mail domains and allows only example and AWS domains', () => {
    const scan = (text: string) => findAll({ text }, HOST_NAME, isAllowedHost);
    expect(scan('mail ops@example.com, api.pay.example.net, iam.amazonaws.com, https://console.aws.amazon.com/')).toEqual([]);
    expect(scan('javax.net.ssl.SSLHandshakeException at the end of www.example.org.')).toEqual([]);
    expect(scan('exfil to files.attacker.io; contact bob@realcorp.com; notexample.com. Then evil.net.')).toEqual([
      '$.text: files.attacker.io',
      '$.text: realcorp.com',
      '$.text: notexample.com',
      '$.text: evil.net',
    ]);
  });

  it('reports CloudTrail records that lack a required field', () => {
    const scenario = { evidence: [{ id: 'ct', kind: 'cloudtrail', records: [{ eventVersion: '1.09', eventName: 'ConsoleLogin' }] }] };
    expect(cloudTrailGaps(scenario)).toContain('$.evidence[0].records[0] (ct): userIdentity');
  });
});

describe.each(scenarioFiles)('scenarios/%s', (name) => {
  const scenario = load(name);

  it('tags only best practices that exist in the 2024-06-27 framework', () => {
    expect(findAll(scenario, BEST_PRACTICE_MENTION, (m) => isKnownBestPractice(m[0]))).toEqual([]);
  });

  it('uses only documentation IPv4 addresses (and the listed exceptions)', () => {
    expect(findAll(scenario, IPV4, isAllowedIPv4)).toEqual([]);
  });

  it('uses only the example account IDs', () => {
    expect(findAll(scenario, ACCOUNT_ID, (m) => EXAMPLE_ACCOUNT_IDS.includes(m[0]))).toEqual([]);
  });

  it('uses only example domains (and AWS service domains)', () => {
    // A NIST CSF category tag such as "csf:RS.CO" is checked against its vocabulary; it is not a host name.
    expect(findAll(scenario, HOST_NAME, (m) => isAllowedHost(m) || m.input.startsWith('csf:'))).toEqual([]);
  });

  it('gives every CloudTrail record the fields a responder reads first', () => {
    expect(cloudTrailGaps(scenario)).toEqual([]);
  });
});

describe('the numbered built-in scenarios', () => {
  it('are nine, numbered 01 to 09', () => {
    expect(numberedFiles.map((name) => name.slice(0, 2))).toEqual(['01', '02', '03', '04', '05', '06', '07', '08', '09']);
  });

  describe.each(numberedFiles)('scenarios/%s', (name) => {
    it('has the size and shape of a full exercise', () => {
      const parsed = Scenario.safeParse(load(name));
      expect(parsed.error?.issues ?? []).toEqual([]);
      if (!parsed.success) return;
      const s = parsed.data;
      const count = (type: string) => s.timeline.filter((node) => node.type === type).length;
      const injectTimes = s.timeline.flatMap((node) => (node.type === 'inject' && node.at !== undefined ? [node.at] : []));

      expect(count('inject'), 'inject nodes').toBeGreaterThanOrEqual(12);
      expect(count('decision'), 'decision nodes').toBeGreaterThanOrEqual(4);
      expect(count('random'), 'random nodes').toBeGreaterThanOrEqual(1);
      expect(s.contingencies.length, 'contingencies').toBeGreaterThanOrEqual(2);
      expect(s.milestones.map((m) => m.id)).toEqual(expect.arrayContaining([...REQUIRED_MILESTONES]));
      expect(s.meta.estimatedMinutes).toBeGreaterThanOrEqual(60);
      expect(s.meta.estimatedMinutes).toBeLessThanOrEqual(120);
      expect(Math.max(0, ...injectTimes), 'last inject `at` within the estimated length').toBeLessThanOrEqual(s.meta.estimatedMinutes);

      const recommendedCounts = s.timeline.flatMap((node) => (node.type === 'decision' ? [[node.id, node.options.filter((option) => option.recommended).length] as const] : []));
      expect(
        recommendedCounts.filter(([, n]) => n !== 1),
        'decisions without exactly one recommended option',
      ).toEqual([]);
    });

    it('maps to the frameworks teams report against: its playbooks, its attacker’s techniques and the CSF categories its decisions exercise', () => {
      const parsed = Scenario.safeParse(load(name));
      if (!parsed.success) throw new Error(`${name} does not parse`);
      const s = parsed.data;
      expect(s.formatVersion).toBe(1.1);
      const family = (tags: readonly string[], prefix: string) => tags.filter((t) => t.startsWith(`${prefix}:`));
      // The playbooks the whole scenario rehearses, on meta, from the shipped vocabulary.
      const playbooks = family(s.meta.tags, 'playbook');
      expect(playbooks.length, 'playbooks on meta').toBeGreaterThanOrEqual(1);
      for (const tag of playbooks) expect(PLAYBOOKS_BY_ID.has(tag.slice('playbook:'.length)), tag).toBe(true);
      // The attacker's steps: techniques of the cloud matrices, on injects and contingencies only (not on the team's options).
      const stepTags = [...s.timeline.flatMap((n) => (n.type === 'inject' ? n.tags : [])), ...s.contingencies.flatMap((c) => c.tags)];
      const techniques = new Set(family(stepTags, 'attack'));
      expect(techniques.size, 'ATT&CK techniques on injects').toBeGreaterThanOrEqual(1);
      for (const tag of techniques) expect(ATTACK_BY_ID.has(tag.slice('attack:'.length)), tag).toBe(true);
      const optionTags = s.timeline.flatMap((n) => (n.type === 'decision' ? n.options.flatMap((o) => o.tags) : []));
      expect(family(optionTags, 'attack'), 'ATT&CK techniques on options').toEqual([]);
      // Every decision exercises at least one CSF 2.0 category (on the decision or its options), and the Respond function is covered.
      const untagged = s.timeline.filter((n) => n.type === 'decision' && family([...n.tags, ...n.options.flatMap((o) => o.tags)], 'csf').length === 0).map((n) => n.id);
      expect(untagged, 'decisions without a CSF category').toEqual([]);
      const categories = new Set(family([...s.meta.tags, ...s.timeline.flatMap((n) => (n.type === 'decision' || n.type === 'inject' ? n.tags : []))], 'csf'));
      for (const tag of categories) expect(CSF_BY_ID.has(tag.slice('csf:'.length)), tag).toBe(true);
      expect(
        [...categories].some((t) => t.startsWith('csf:RS.')),
        'a Respond category',
      ).toBe(true);
    });
  });

  it('light up every framework family of the programme view from the library alone', () => {
    const library = numberedFiles.map((name) => Scenario.parse(load(name)));
    const programme = computeProgramme(library, [], Date.UTC(2026, 0, 1));
    const families = new Set(programme.items.map((i) => i.family));
    expect([...families].sort()).toEqual(['attack', 'csf', 'phase', 'playbook', 'principle', 'srm', 'waf']);
    expect(programme.items.every((i) => i.status === 'never')).toBe(true);
    // The ransomware and root-compromise scenarios are critical: their items are due twice a year.
    expect(programme.items.find((i) => i.key === 'playbook:IRP-Ransomware')).toMatchObject({ critical: true, cadenceDays: 182 });
    expect(programme.items.find((i) => i.key === 'playbook:IRP-AccountTakeoverRoot')).toMatchObject({ critical: true });
  });
});

// ------------------------------------------------ format 1.1 constructs in the library

/** The incidents where a real response runs an executive conversation beside the technical one (issue 16). */
const TWO_TRACK_SCENARIOS: Record<string, { legal: string; comms: string; owner?: string }> = {
  '02-public-s3-bucket.json': { legal: 'dpo-legal', comms: 'communications' },
  '04-ransomware-backup-destruction.json': { legal: 'legal', comms: 'comms' },
  '06-kms-key-deletion.json': { legal: 'legal', comms: 'comms' },
  '07-root-account-compromise.json': { legal: 'legal', comms: 'comms', owner: 'owner' },
};

/** What a query in each language must look like to be one a responder could paste and run. */
const QUERY_SHAPES: Record<string, RegExp> = {
  'cloudtrail-lake-sql': /^SELECT [\s\S]+\nFROM \$EDS_ID\nWHERE /,
  'athena-sql': /^SELECT [\s\S]+\nFROM [a-z_]+\nWHERE /,
  'cloudwatch-logs-insights': /^fields [\s\S]+\n\| filter /,
  other: /^aws [a-z0-9-]+ [a-z0-9-]+ /,
};

/** `{{name}}` / `{{name|format…}}` placeholders in a text. */
function placeholders(text: string | undefined): Array<{ name: string; format: string | undefined }> {
  return [...(text ?? '').matchAll(/\{\{\s*([A-Za-z][\w.-]*)\s*(?:\|\s*([a-z]+)[^}]*)?\}\}/g)].map((m) => ({ name: m[1]!, format: m[2] }));
}

describe.each(Object.entries(TWO_TRACK_SCENARIOS))('scenarios/%s: the executive track and the 1.1 constructs', (name, roles) => {
  const s = Scenario.parse(load(name));
  const layout = trackLayout(s);
  const [lead, exec] = s.tracks ?? [];
  const nodesOf = (trackId: string) => s.timeline.filter((n) => layout.trackOf(n.id) === trackId);

  it('runs a technical track and an executive, legal & communications track that Legal and Communications play', () => {
    expect(s.tracks?.length).toBe(2);
    expect(lead!.title).toBe('Technical response');
    expect(exec!.title).toMatch(/legal & communications$/);
    expect(exec!.roles).toEqual(expect.arrayContaining([roles.legal, roles.comms, ...(roles.owner ? [roles.owner] : [])]));
    const execNodes = nodesOf(exec!.id);
    const decisions = execNodes.filter((n) => n.type === 'decision');
    expect(decisions.length, 'executive decisions').toBeGreaterThanOrEqual(2);
    // Each executive decision is owned by an executive-track role, has one recommended option and a CSF category.
    for (const d of decisions)
      expect(
        d.owners.some((o) => exec!.roles.includes(o)),
        d.id,
      ).toBe(true);
    const results = new Set(execNodes.flatMap((n) => (n.type === 'end' ? [n.result] : [])));
    expect(results.size, 'the executive track can end well or with gaps').toBeGreaterThanOrEqual(2);
    // It finishes before the lead track's last inject, so its ending is never cut off by the lead track's.
    const lastAt = (trackId: string) => Math.max(...nodesOf(trackId).flatMap((n) => (n.type === 'inject' && n.at !== undefined ? [n.at] : [])));
    expect(lastAt(exec!.id)).toBeLessThan(lastAt(lead!.id));
  });

  it('joins the two tracks through shared state: a variable one track’s choices set is read by the other', () => {
    const setIn = (trackId: string) =>
      new Set(
        nodesOf(trackId).flatMap((n) =>
          n.type === 'decision' ? n.options.flatMap((o) => [...Object.keys(o.consequences.set ?? {}), ...Object.keys(o.consequences.add ?? {})]) : [],
        ),
      );
    const readIn = (trackId: string) => {
      const found = new Set<string>();
      visitText(nodesOf(trackId), (text, path) => {
        if (path.endsWith('.var')) found.add(text);
        for (const p of placeholders(text)) found.add(p.name);
      });
      return found;
    };
    const execToLead = [...setIn(exec!.id)].filter((v) => readIn(lead!.id).has(v));
    const leadToExec = [...setIn(lead!.id)].filter((v) => readIn(exec!.id).has(v));
    expect(execToLead.length, 'executive choices the technical track reads').toBeGreaterThanOrEqual(1);
    expect(leadToExec.length, 'technical choices the executive track reads').toBeGreaterThanOrEqual(1);
  });

  it('addresses injects to Legal, Communications (and the account owner) by audience', () => {
    const audiences = [...s.timeline.flatMap((n) => (n.type === 'inject' ? [n.audience ?? []] : [])), ...s.contingencies.map((c) => c.audience ?? [])];
    const addressed = new Set(audiences.flat());
    for (const role of [roles.legal, roles.comms, ...(roles.owner ? [roles.owner] : [])]) expect(addressed.has(role), role).toBe(true);
    // Some injects still go to everyone: the room shares the technical story.
    expect(audiences.some((a) => a.length === 0)).toBe(true);
  });

  it('holds back hunting evidence until asked, with the query that finds it, on an inject that can deliver it', () => {
    const held = s.evidence.filter((e) => e.onRequest !== undefined);
    expect(held.length, 'evidence on request').toBeGreaterThanOrEqual(1);
    const shown = new Set([...s.timeline.flatMap((n) => (n.type === 'inject' ? n.evidence : [])), ...s.contingencies.flatMap((c) => c.evidence)]);
    for (const e of held) {
      expect(shown.has(e.id), `${e.id} is on an inject`).toBe(true);
      expect(e.onRequest!.question).toMatch(/\?$/);
      const query = e.onRequest!.query;
      expect(query, `${e.id} names its query`).toBeDefined();
      expect(query!.text, `${e.id}: ${query!.language}`).toMatch(QUERY_SHAPES[query!.language]!);
      // What it returns is what that query would return.
      const text = query!.text;
      if (e.kind === 'table') for (const column of e.columns) expect(text, `${e.id}: column ${column} is selected`).toContain(column);
      if (e.kind === 'cloudtrail') {
        for (const record of e.records) {
          const filtersName = /eventName (=|IN)/.test(text);
          if (filtersName) expect(text, `${e.id}: ${String(record.eventName)}`).toContain(`'${String(record.eventName)}'`);
          const source = /eventSource = '([^']+)'/.exec(text);
          if (source) expect(record.eventSource).toBe(source[1]);
        }
      }
      if (e.kind === 'guardduty') {
        const wanted = [...text.matchAll(/"Eq":\[\\?"([^"\\]+)\\?"\]/g)].map((m) => m[1]!);
        expect(wanted.length, `${e.id}: a GuardDuty filter criterion`).toBeGreaterThan(0);
        expect(wanted.some((value) => JSON.stringify(e.finding).includes(value))).toBe(true);
      }
    }
  });

  it('writes costs, counts and spread as living text driven by the team’s decisions', () => {
    const driven = new Set(
      s.timeline.flatMap((n) =>
        n.type === 'decision'
          ? n.options.flatMap((o) => [...Object.keys(o.consequences.set ?? {}), ...Object.keys(o.consequences.add ?? {})])
          : n.type === 'random'
            ? n.outcomes.flatMap((o) => [...Object.keys(o.consequences.set ?? {}), ...Object.keys(o.consequences.add ?? {})])
            : [],
      ),
    );
    const used: Array<{ name: string; format: string | undefined }> = [];
    visitText([s.timeline, s.contingencies, s.evidence], (text) => used.push(...placeholders(text)));
    expect(used.filter((p) => driven.has(p.name)).length, 'placeholders of decision-driven variables').toBeGreaterThanOrEqual(3);
    expect(
      used.some((p) => p.format === 'number' || p.format === 'currency'),
      'a count or a cost',
    ).toBe(true);
    const declared = new Set(s.variables.map((v) => v.id));
    for (const p of used) expect(declared.has(p.name), p.name).toBe(true);
  });
});
