/**
 * Peer formats into Sandtable drafts: IcebergTTX scenarios and T3SF MSELs as
 * their projects publish them (tests/fixtures/convert/README.md).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { convertPeerFormat, detectPeerFormat, type Conversion } from '../../src-main/core/convert/index.ts';
import { rehearse, walkDecisionPaths } from '../../src-main/core/engine/rehearse.ts';
import type { Scenario } from '../../src-main/core/scenario/schema.ts';
import { validateScenario } from '../../src-main/core/scenario/validate.ts';

const FIXTURES = join(import.meta.dirname, '../fixtures');
const json = (path: string): unknown => JSON.parse(readFileSync(join(FIXTURES, path), 'utf8'));

function converted(value: unknown, fileName?: string): { draft: Scenario; notes: string[] } {
  const result = convertPeerFormat(value, fileName ? { fileName } : {}) as Conversion;
  expect(result).not.toBeNull();
  if (!result.ok) throw new Error(`not converted: ${JSON.stringify(result.problems)}`);
  expect(validateScenario(result.draft).ok).toBe(true);
  return { draft: result.draft, notes: result.notes };
}

const node = (draft: Scenario, id: string) => draft.timeline.find((n) => n.id === id);

describe('IcebergTTX scenarios as IcebergTTX ships them', () => {
  for (const name of ['ransomware_response', 'vendor_outage']) {
    it(`converts ${name}.json into a valid draft that rehearses down every path`, () => {
      const source = json(`convert/icebergttx/${name}.json`) as {
        injects: Array<{ id: string; options: unknown[]; expected_actions?: string[] }>;
        participant_teams: Array<{ id: string; label: string }>;
        title: string;
      };
      expect(detectPeerFormat(source)).toBe('icebergttx');
      const { draft, notes } = converted(source, `${name}.json`);
      expect(draft.meta.title).toBe(source.title);
      expect(draft.roles.map((r) => r.name)).toEqual(source.participant_teams.map((t) => t.label));
      for (const inj of source.injects) {
        const inject = node(draft, inj.id);
        expect(inject?.type, inj.id).toBe('inject');
        if (inject?.type === 'inject') expect(inject.expectedActions).toEqual(inj.expected_actions ?? []);
        if (inj.options.length >= 2) expect(node(draft, `${inj.id}-decision`)?.type).toBe('decision');
      }
      const walk = walkDecisionPaths(draft, '1');
      expect(walk.truncated).toBe(false);
      expect(walk.runs.length).toBeGreaterThan(1);
      expect(notes.join('\n')).toMatch(/To be written/);
    });
  }

  it('maps options, communications, release times, ends and parallel injects as documented', () => {
    const scenario = {
      schema_version: '1.0',
      title: 'Ransomware incident',
      description: 'A simulated ransomware attack affecting core infrastructure.',
      tags: ['cyber', 'ransomware'],
      metadata: { author: 'IcebergTTX', estimated_duration_minutes: 90 },
      participant_teams: [
        { id: 'it_ops', label: 'IT Operations' },
        { id: 'legal', label: 'Legal & Compliance' },
      ],
      start_inject_id: 'inject_01',
      injects: [
        {
          id: 'inject_01',
          title: 'Ransomware detected',
          content: 'SOC has detected encrypted files on 3 servers...',
          target_teams: ['it_ops'],
          free_text_response: true,
          sequence_order: 1,
          release_at_minutes: 15,
          next_inject_id: null,
          options: [
            { id: 'opt_isolate', label: 'Isolate affected systems immediately', next_inject_id: 'inject_02a' },
            { id: 'opt_monitor', label: 'Monitor and gather more information', next_inject_id: 'inject_02b' },
            { id: 'opt_stop', label: 'Stop the exercise here', next_inject_id: null },
          ],
          expected_actions: ['Notify CISO immediately', 'Preserve forensic evidence'],
          triggers_communications: [
            {
              direction: 'inbound',
              external_entity: 'NCSC',
              subject: 'Ransomware advisory',
              body: 'We have been made aware of a campaign targeting...',
              delay_after_release_seconds: 120,
            },
          ],
        },
        { id: 'inject_02a', title: 'Isolated', content: 'Servers are off the network.', release_at_minutes: 30, next_inject_id: null },
        { id: 'inject_02b', title: 'Spreading', content: 'More servers are encrypted.', release_at_minutes: 10, next_inject_id: 'inject_02a' },
        { id: 'press', title: 'Press call', content: 'A journalist calls.', target_teams: ['legal'], release_at_minutes: 45 },
      ],
      debrief_notes: 'Key learning: notify ICO within 72 hours.',
    };
    const { draft, notes } = converted(scenario);
    const first = node(draft, 'inject_01');
    expect(first).toMatchObject({
      type: 'inject',
      at: 15,
      to: 'IT Operations',
      next: 'inject_01-decision',
      expectedActions: ['Notify CISO immediately', 'Preserve forensic evidence'],
    });
    const decision = node(draft, 'inject_01-decision');
    expect(decision?.type === 'decision' && decision.options.map((o) => [o.id, o.next])).toEqual([
      ['opt_isolate', 'inject_02a'],
      ['opt_monitor', 'inject_02b'],
      ['opt_stop', 'end'],
    ]);
    expect(decision?.type === 'decision' && decision.owners).toEqual(['it_ops']);
    const email = draft.evidence[0]!;
    expect(email).toMatchObject({ kind: 'email', from: 'NCSC', to: ['IT Operations'], subject: 'Ransomware advisory', sent: '2 min after the inject is released' });
    expect(first?.type === 'inject' && first.evidence).toEqual([email.id]);
    // 02b is due at 10, after 01 at 15 on the same path: its time is dropped, and said.
    expect(node(draft, 'inject_02b')).not.toHaveProperty('at');
    expect(notes.join('\n')).toMatch(/"inject_02b": its release at minute 10 was dropped/);
    // The unreferenced inject fires on its own clock, as a contingency.
    expect(draft.contingencies).toMatchObject([{ id: 'press', when: { notReached: { milestone: 'recovered' }, by: 45 }, to: 'Legal & Compliance' }]);
    expect(node(draft, 'end')).toMatchObject({ type: 'end', outcome: 'Key learning: notify ICO within 72 hours.' });
    expect(draft.guide.debrief.whatGoodLooksLike).toBe('Key learning: notify ICO within 72 hours.');
    expect(draft.meta.estimatedMinutes).toBe(90);
    expect(notes.join('\n')).toMatch(/Tags "cyber", "ransomware"/);
    // The rehearsal follows the documented branch and times.
    const run = rehearse(draft, { choices: { 'inject_01-decision': 'opt_isolate' }, seed: '1' });
    expect(run.path).toEqual(['inject_01', 'inject_01-decision', 'inject_02a', 'end']);
  });

  it('refuses a file that breaks the IcebergTTX schema, naming the field', () => {
    const result = convertPeerFormat({ schema_version: '1.0', title: 'x', start_inject_id: 'a', injects: [{ id: 'a', title: 'A' }] });
    expect(result?.ok).toBe(false);
    expect(!result!.ok && result!.problems[0]!.pointer).toBe('/injects/0/content');
    const dangling = convertPeerFormat({ schema_version: '1.0', title: 'x', start_inject_id: 'a', injects: [{ id: 'a', title: 'A', content: 'c', next_inject_id: 'zz' }] });
    expect(!dangling!.ok && dangling!.problems[0]!.message).toMatch(/"zz", which is not an inject/);
  });
});

describe('a T3SF MSEL as T3SF publishes it', () => {
  it('converts MSEL_EXAMPLE.json: rows through the MSEL import, polls into decisions', () => {
    const rows = json('msel/t3sf/MSEL_EXAMPLE.json') as Array<Record<string, string | number>>;
    expect(detectPeerFormat(rows)).toBe('t3sf-msel');
    const { draft, notes } = converted(rows, 'MSEL_EXAMPLE.json');
    const injects = draft.timeline.filter((n) => n.type === 'inject');
    expect(injects).toHaveLength(rows.length);
    expect(injects[0]).toMatchObject({ at: 0, subject: rows[0]!.Subject, from: rows[0]!.From, to: rows[0]!.Player, narrative: rows[0]!.Script });
    const polled = rows.filter((r) => String(r.Poll).includes('|'));
    const decisions = draft.timeline.filter((n) => n.type === 'decision');
    expect(decisions).toHaveLength(polled.length);
    expect(decisions[0]?.type === 'decision' && decisions[0].options.map((o) => o.label)).toEqual(
      String(polled[0]!.Poll)
        .split('|')
        .map((s) => s.trim()),
    );
    expect(notes.join('\n')).toMatch(/images \(Photo, Picture Name, Profile\)/);
    expect(rehearse(draft, { choices: 'default', seed: '1' }).ended).toBe('end');
  });
});

describe('detection', () => {
  it('leaves Sandtable scenarios and unknown JSON alone', () => {
    expect(detectPeerFormat(json('../../scenarios/sample-leaked-key.json'))).toBeNull();
    expect(detectPeerFormat({ hello: 'world' })).toBeNull();
    expect(convertPeerFormat([1, 2, 3])).toBeNull();
  });
});
