import { describe, expect, it } from 'vitest';
import { stoppedClock } from '../../src-main/core/engine/clock.ts';
import { presenterView } from '../../src-main/core/presenter.ts';
import { engineTestScenario } from '../helpers/scenario.ts';

const SECRET = 'FACILITATOR-ONLY-TEXT';

const scenario = engineTestScenario((s) => {
  s.evidence = [{ id: 'ev1', kind: 'note', caption: 'A note for the room', body: 'Room-facing evidence' }];
  const i2 = s.timeline.find((n) => n.id === 'i2')!;
  Object.assign(i2, { evidence: ['ev1'], questions: ['Who owns this?'], expectedActions: [`${SECRET} expected`], facilitatorNotes: `${SECRET} notes` });
  const d1 = s.timeline.find((n) => n.id === 'd1') as { options: Array<Record<string, unknown>>; facilitatorNotes?: string };
  d1.facilitatorNotes = `${SECRET} decision notes`;
  d1.options[0]!.rationale = `${SECRET} rationale`;
  d1.options[0]!.outcome = `${SECRET} outcome`;
  s.guide.facilitatorBrief = `${SECRET} brief`;
  s.contingencies![0]!.facilitatorNotes = `${SECRET} contingency notes`;
  s.contingencies![0]!.expectedActions = [`${SECRET} contingency actions`];
});

const base = {
  sessionId: 's',
  sessionName: 'Drill',
  status: 'running' as const,
  clock: stoppedClock(1),
  sensitivity: 'TLP:AMBER',
  team: { id: 'team-1', name: 'Red' },
};

describe('presenterView', () => {
  it('shows the current inject, its evidence and the open decision', () => {
    const view = presenterView(scenario, {
      ...base,
      latest: { kind: 'inject', id: 'i2', atMs: 600_000 },
      openDecision: { id: 'd1', openedAtMs: 600_000, deadlineMs: 900_000 },
      endedAt: null,
    });
    expect(view.inject).toMatchObject({ id: 'i2', title: 'Finding', narrative: 'GuardDuty agrees.', questions: ['Who owns this?'], deliveredAtMs: 600_000 });
    expect(view.inject!.evidence.map((e) => e.id)).toEqual(['ev1']);
    expect(view.decision).toMatchObject({ id: 'd1', prompt: 'What now?', deadlineMs: 900_000 });
    expect(view.decision!.options.map((o) => o.label)).toEqual(['Contain now', 'Watch longer']);
  });

  it('never carries facilitator-only content, recommendations, consequences or upcoming injects', () => {
    for (const latest of [
      { kind: 'inject' as const, id: 'i2', atMs: 1 },
      { kind: 'contingency' as const, id: 'c1', atMs: 2 },
    ]) {
      const view = presenterView(scenario, { ...base, latest, openDecision: { id: 'd1', openedAtMs: 0, deadlineMs: null }, endedAt: null });
      const text = JSON.stringify(view);
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain('recommended');
      expect(text).not.toContain('consequences');
      expect(text).not.toContain('srm:customer');
      expect(text).not.toContain('Data is on a forum'); // an upcoming inject
      expect(text).not.toContain('i3good');
    }
  });

  it('shows how the exercise ended for the team', () => {
    const view = presenterView(scenario, { ...base, latest: null, openDecision: null, endedAt: 'endGood' });
    expect(view.ending).toEqual({ title: 'Contained', outcome: 'Well done.' });
    expect(view.inject).toBeNull();
  });
});
