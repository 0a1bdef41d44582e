/**
 * What-if replays on a bundled scenario played through the real engine: the
 * replay follows the seed (it agrees with a rehearsal that made the other
 * choice), is deterministic, leaves the log alone and refuses what cannot be
 * replayed.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { computeDebrief } from '../../src-main/core/debrief/compute.ts';
import { rehearse } from '../../src-main/core/engine/rehearse.ts';
import { whatIf, WhatIfError } from '../../src-main/core/report/what-if.ts';
import { Scenario } from '../../src-main/core/scenario/schema.ts';

const ransomware = Scenario.parse(JSON.parse(readFileSync('scenarios/04-ransomware-backup-destruction.json', 'utf8')));
const SEED = 'what-if-seed';

function session(choices: Record<string, string>) {
  const run = rehearse(ransomware, { choices, seed: SEED });
  const events = run.events.map((e, i) => ({ ...e, sessionId: 's', seq: i + 1, prevHash: '', hash: `h${i + 1}` }));
  return { run, events, debrief: computeDebrief(ransomware, events) };
}

const good = { 'd-credential': 'cut-off', 'd-scp': 'attach', 'd-instances': 'isolate', 'd-key': 'sweep-then-enable', 'd-ransom': 'escalate', 'd-restore': 'clean-rebuild' };

describe('what-if', () => {
  it('shows what would have followed the other option, as a rehearsal of that choice with the same seed ends', () => {
    const { events, debrief } = session(good);
    const before = JSON.stringify(events);
    const w = whatIf(ransomware, events, debrief, { teamId: 'team-1', decisionId: 'd-credential', visit: 1, optionId: 'watch' });
    const other = rehearse(ransomware, { choices: { ...good, 'd-credential': 'watch' }, seed: SEED });
    const endNode = ransomware.timeline.find((n) => n.id === other.ended)!;
    expect(w.alternative.ending?.title).toBe(endNode.type === 'end' ? endNode.title : '');
    expect(w.actual.ending?.title).toBe(debrief.teams[0]!.ended!.title);
    // The path differs from the chosen decision on: "watch" leads to another inject.
    expect(w.alternative.path.map((s) => s.title)).not.toEqual(w.actual.path.map((s) => s.title));
    const node = ransomware.timeline.find((n) => n.id === 'd-credential')!;
    const watch = node.type === 'decision' ? node.options.find((o) => o.id === 'watch')!.label : '';
    expect(w.alternative.path.find((s) => s.kind === 'decision' && s.title === node.title)?.detail).toBe(watch);
    expect(w.alternativeOption).not.toBe(w.actualOption);
    // Milestones and scores for both, in the scenario's order.
    expect(w.alternative.milestones.map((m) => m.id)).toEqual(ransomware.milestones.map((m) => m.id));
    expect(w.alternative.score.map((s) => s.group)).toEqual(w.actual.score.map((s) => s.group));
    const lost = (side: typeof w.actual) => side.score.reduce((sum, s) => sum + s.lost, 0);
    expect(lost(w.alternative)).toBeGreaterThan(lost(w.actual));
    // Nothing was written: the log is as it was.
    expect(JSON.stringify(events)).toBe(before);
  });

  it('is deterministic', () => {
    const { events, debrief } = session(good);
    const req = { teamId: 'team-1', decisionId: 'd-restore', visit: 1, optionId: 'in-place' };
    expect(whatIf(ransomware, events, debrief, req)).toEqual(whatIf(ransomware, events, debrief, req));
  });

  it('refuses an unknown team, decision or option, and the option the team already chose', () => {
    const { events, debrief } = session(good);
    const attempt = (req: { teamId: string; decisionId: string; visit: number; optionId: string }) => () => whatIf(ransomware, events, debrief, req);
    expect(attempt({ teamId: 'nobody', decisionId: 'd-restore', visit: 1, optionId: 'in-place' })).toThrow(WhatIfError);
    expect(attempt({ teamId: 'team-1', decisionId: 'd-nowhere', visit: 1, optionId: 'x' })).toThrow(/did not reach/);
    expect(attempt({ teamId: 'team-1', decisionId: 'd-restore', visit: 1, optionId: 'nope' })).toThrow(/no option/);
    expect(attempt({ teamId: 'team-1', decisionId: 'd-restore', visit: 1, optionId: 'clean-rebuild' })).toThrow(/already chose/);
  });
});
