import { describe, expect, it } from 'vitest';
import { ScoreCeilings, scoreKeyOf, totalAvailable } from '../../src-main/core/debrief/score.ts';
import { debriefScenario } from '../helpers/debrief-log.ts';
import { engineTestScenario } from '../helpers/scenario.ts';

describe('scoreKeyOf', () => {
  it('files each tag family under its group, phases under their canonical name', () => {
    expect(scoreKeyOf('WAF-2024-06-27:SEC02-BP05')).toEqual({
      group: 'bestPractice',
      key: 'WAF-2024-06-27:SEC02-BP05',
      label: 'SEC02-BP05 Audit and rotate credentials periodically',
    });
    expect(scoreKeyOf('principle:traceability')).toEqual({ group: 'principle', key: 'traceability', label: 'Maintain traceability' });
    expect(scoreKeyOf('srm:shared')).toEqual({ group: 'responsibility', key: 'shared', label: 'Shared' });
    expect(scoreKeyOf('phase:lessons-learned')).toEqual({ group: 'phase', key: 'post-incident', label: 'Post-incident activity' });
    expect(scoreKeyOf('phase:identification')).toMatchObject({ key: 'detection' });
    expect(scoreKeyOf('nonsense')).toBeNull();
  });
});

describe('ScoreCeilings', () => {
  it('finds the most points any path can score, per line and per group', () => {
    const ceilings = new ScoreCeilings(debriefScenario());
    expect(ceilings.lineMax('responsibility', 'customer')).toBe(2);
    expect(ceilings.lineMax('phase', 'containment')).toBe(1);
    expect(ceilings.lineMax('principle', 'traceability')).toBe(1);
    expect(ceilings.groupMax('bestPractice')).toBe(2);
  });

  it('takes the best branch of each fork, not the sum of every option', () => {
    // Two options on one fork: +3 customer / +5 aws. Then a random event: +4 customer / -1 customer.
    const scenario = engineTestScenario((s) => {
      const node = (id: string) => s.timeline.find((n) => n.id === id)! as any;
      node('d1').options[0].consequences = { score: { 'srm:customer': 3 } };
      node('d1').options[1].consequences = { score: { 'srm:aws': 5 } };
      node('r1').outcomes[0].consequences = { score: { 'srm:customer': 4 } };
      node('r1').outcomes[1].consequences = { score: { 'srm:customer': -1 } };
    });
    const ceilings = new ScoreCeilings(scenario);
    expect(ceilings.lineMax('responsibility', 'customer')).toBe(7);
    expect(ceilings.lineMax('responsibility', 'aws')).toBe(5);
    // The group's best path is "aws" then +4 customer: 9, not 3 + 5 + 4.
    expect(ceilings.groupMax('responsibility')).toBe(9);
    const score = ceilings.score({ 'srm:aws': 5, 'srm:customer': -1 });
    expect(score.responsibility).toEqual({
      points: 4,
      max: 9,
      available: 9,
      lines: [
        { key: 'customer', label: 'Customer (security in the cloud)', points: -1, max: 7, available: 7 },
        { key: 'aws', label: 'AWS (security of the cloud)', points: 5, max: 5, available: 5 },
      ],
    });
  });

  it('counts gains only for the points available: a costly option on the best path does not lower them', () => {
    // One option earns +5 customer but costs -3 on the same line; the other earns +3.
    const scenario = engineTestScenario((s) => {
      const node = (id: string) => s.timeline.find((n) => n.id === id)! as any;
      node('d1').options[0].consequences = { score: { 'srm:customer': 3 } };
      node('d1').options[1].consequences = { score: { 'srm:customer': 5, 'srm:aws': -3 } };
      node('r1').outcomes[0].consequences = {};
      node('r1').outcomes[1].consequences = {};
    });
    const ceilings = new ScoreCeilings(scenario);
    expect(ceilings.groupMax('responsibility')).toBe(3);
    expect(ceilings.groupAvailable('responsibility')).toBe(5);
    expect(ceilings.lineAvailable('responsibility', 'customer')).toBe(5);
    expect(ceilings.lineAvailable('responsibility', 'aws')).toBe(0);
  });

  it('gives no maximum when the timeline loops', () => {
    // "Watch longer" goes back to the finding, which leads to the decision again.
    const scenario = engineTestScenario((s) => {
      (s.timeline.find((n) => n.id === 'd1') as any).options[1].next = 'i2';
    });
    const ceilings = new ScoreCeilings(scenario);
    expect(ceilings.groupMax('responsibility')).toBeNull();
    expect(ceilings.score({ 'srm:customer': 7 }).responsibility).toEqual({
      points: 7,
      max: null,
      available: null,
      lines: [{ key: 'customer', label: 'Customer (security in the cloud)', points: 7, max: null, available: null }],
    });
  });

  it('lists every line the scenario can score, at zero when not scored, and keeps points on tags it does not know', () => {
    const ceilings = new ScoreCeilings(debriefScenario());
    const score = ceilings.score({ 'principle:strong-identity-foundation': 3 });
    expect(score.principle.lines).toEqual([
      { key: 'strong-identity-foundation', label: 'Implement a strong identity foundation', points: 3, max: null, available: null },
      { key: 'traceability', label: 'Maintain traceability', points: 0, max: 1, available: 1 },
    ]);
    expect(score.principle.points).toBe(3);
    expect(score.bestPractice.lines.map((l) => l.points)).toEqual([0]);
  });
});

describe('totalAvailable', () => {
  it("is one path's most over every group, not the sum of each group's most (which may lie on different paths)", () => {
    // One fork: +3 on a best practice, or +5 on a phase. No team can earn both.
    const scenario = engineTestScenario((s) => {
      const node = (id: string) => s.timeline.find((n) => n.id === id)! as any;
      node('d1').options[0].consequences = { score: { 'WAF-2024-06-27:SEC02-BP05': 3 } };
      node('d1').options[1].consequences = { score: { 'phase:containment': 5, 'srm:customer': -2 } };
      node('r1').outcomes[0].consequences = { score: { 'srm:customer': 1 } };
      node('r1').outcomes[1].consequences = {};
    });
    const ceilings = new ScoreCeilings(scenario);
    expect(ceilings.groupAvailable('bestPractice')! + ceilings.groupAvailable('phase')! + ceilings.groupAvailable('responsibility')!).toBe(9);
    expect(totalAvailable(scenario)).toBe(6);
  });
});
