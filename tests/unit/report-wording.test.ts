/**
 * Scores a manager reads at a glance and milestones that never contradict
 * the ending, on a real bundled scenario (ransomware) played through the
 * real engine.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { computeDebrief } from '../../src-main/core/debrief/compute.ts';
import type { NewLogEvent } from '../../src-main/core/engine/events.ts';
import { rehearse } from '../../src-main/core/engine/rehearse.ts';
import { milestoneQuality, scoreSentence, scoreView } from '../../src-main/core/report/wording.ts';
import { Scenario } from '../../src-main/core/scenario/schema.ts';

const ransomware = Scenario.parse(JSON.parse(readFileSync('scenarios/04-ransomware-backup-destruction.json', 'utf8')));

function played(choices: Record<string, string>, seed = 'wording') {
  const run = rehearse(ransomware, { choices, seed });
  const events = run.events.map((e: NewLogEvent, i) => ({ ...e, sessionId: 's', seq: i + 1, prevHash: '', hash: `h${i + 1}` }));
  return computeDebrief(ransomware, events).teams[0]!;
}

describe('scores at a glance', () => {
  const team = played({ 'd-credential': 'watch', 'd-scp': 'hold', 'd-instances': 'stop', 'd-ransom': 'reply', 'd-restore': 'in-place' });
  const views = scoreView(team);

  it('never writes a negative "of": points earned of points available, and what was lost', () => {
    for (const v of views) {
      expect(v.earned).toBeGreaterThanOrEqual(0);
      expect(v.lost).toBeGreaterThanOrEqual(0);
      if (v.available !== null) expect(v.earned).toBeLessThanOrEqual(v.available);
      // Earned less lost is the net score the engine kept.
      expect(v.earned - v.lost).toBe(team.score[v.group].points);
      expect(scoreSentence(v)).not.toMatch(/[−-]\d/);
    }
  });

  it('names the costly choices, the costliest first', () => {
    const phase = views.find((v) => v.group === 'phase')!;
    expect(phase.lost).toBeGreaterThan(0);
    expect(phase.costs.map((c) => c.option)).toContain('Let the analyst reply from a throwaway mailbox to ask for proof of decryption and buy time');
    expect(phase.costs.map((c) => c.lost)).toEqual([...phase.costs.map((c) => c.lost)].sort((a, b) => b - a));
    expect(scoreSentence(phase)).toMatch(/^\d+ of \d+ points earned; \d+ lost to costly choices: [^(]+ \(“/);
  });

  it('a team that followed every recommendation loses nothing', () => {
    const good = played({
      'd-credential': 'cut-off',
      'd-scp': 'attach',
      'd-instances': 'isolate',
      'd-key': 'sweep-then-enable',
      'd-ransom': 'escalate',
      'd-restore': 'clean-rebuild',
    });
    for (const v of scoreView(good)) {
      expect(v.lost).toBe(0);
      expect(scoreSentence(v)).toContain('no costly choices');
    }
  });
});

describe('milestones beside the ending', () => {
  it('says how a milestone was reached, and qualifies recovery by a poor ending', () => {
    const team = played({ 'd-credential': 'watch', 'd-scp': 'hold', 'd-instances': 'stop', 'd-ransom': 'reply', 'd-restore': 'in-place' });
    const recovered = team.milestones.recovered!;
    expect(recovered.scenarioMs).not.toBeNull();
    const q = milestoneQuality(team, recovered);
    expect(q.kind).toBe('not-recommended');
    expect(q.reachedBy).toContain('not the recommended choice');
    expect(team.ended!.result).not.toBe('success');
    expect(q.caveat).toContain(team.ended!.title);
    const detected = milestoneQuality(team, team.milestones.detected!);
    expect(detected.caveat).toBeNull();
  });

  it('qualifies containment and eradication only by a poor ending', () => {
    const team = played({ 'd-credential': 'watch', 'd-scp': 'hold', 'd-instances': 'stop', 'd-ransom': 'reply', 'd-restore': 'in-place' });
    const reached = (['contained', 'eradicated'] as const).map((id) => team.milestones[id]!).filter((m) => m.scenarioMs !== null);
    expect(reached.length).toBeGreaterThan(0);
    for (const result of ['success', 'partial', 'failure'] as const) {
      const ended = { ...team.ended!, result };
      for (const m of reached) {
        const q = milestoneQuality({ ...team, ended }, m);
        if (result === 'failure') expect(q.caveat).toContain(ended.title);
        else expect(q.caveat).toBeNull();
      }
      const recovered = milestoneQuality({ ...team, ended }, team.milestones.recovered!);
      if (result === 'success') expect(recovered.caveat).toBeNull();
      else expect(recovered.caveat).toContain(ended.title);
    }
  });

  it('a clean recovery with a good ending carries no caveat', () => {
    const team = played({
      'd-credential': 'cut-off',
      'd-scp': 'attach',
      'd-instances': 'isolate',
      'd-key': 'sweep-then-enable',
      'd-ransom': 'escalate',
      'd-restore': 'clean-rebuild',
    });
    const q = milestoneQuality(team, team.milestones.recovered!);
    expect(q.kind).toBe('recommended');
    if (team.ended!.result === 'success') expect(q.caveat).toBeNull();
    else expect(q.caveat).toContain(team.ended!.title);
  });
});
