import { describe, expect, it } from 'vitest';
import { undoTarget } from '../../src-main/app/sessions.ts';
import { undoneSeqs } from '../../src-main/core/engine/corrections.ts';
import { PARTICIPATION_TYPES } from '../../src-main/core/engine/events.ts';
import { forRole } from '../../src-main/core/participants.ts';
import type { PresentedInject } from '../../src-main/core/presenter.ts';
import { foldReveals, inAudience, participantRoleId, revealable, revealedFor } from '../../src-main/core/reveals.ts';
import type { Scenario } from '../../src-main/core/scenario/schema.ts';
import { LogBuilder, MIN, sessionConfig } from '../helpers/debrief-log.ts';
import { engineTestScenario } from '../helpers/scenario.ts';

function scenario(): Scenario {
  return engineTestScenario((s) => {
    s.formatVersion = 1.1;
    s.roles = [
      { id: 'legal', name: 'Legal' },
      { id: 'comms', name: 'Communications' },
    ];
    s.evidence = [
      { id: 'held', kind: 'note', caption: 'Held note', body: 'Secret.', onRequest: { question: 'Who?' } },
      { id: 'open', kind: 'note', caption: 'Open note', body: 'Plain.', audience: ['legal'] },
    ];
    const i2 = s.timeline.find((n) => n.id === 'i2') as { evidence?: string[]; audience?: string[] };
    i2.evidence = ['held', 'open'];
    i2.audience = ['legal', 'comms'];
  });
}

function log() {
  const b = new LogBuilder();
  b.add({ type: 'session.created', payload: sessionConfig() }, { wall: 0, scen: 0 });
  b.add({ type: 'session.started', payload: {} }, { wall: 0, scen: 0 });
  b.add({ type: 'inject.delivered', payload: { nodeId: 'i1' } }, { wall: 0, scen: 0, team: 'A' });
  b.add({ type: 'milestone.marked', payload: { milestoneId: 'detected' } }, { wall: MIN, scen: MIN, team: 'A' });
  b.add({ type: 'milestone.reached', payload: { milestoneId: 'detected', source: 'facilitator' } }, { wall: MIN, scen: MIN, team: 'A' });
  b.add({ type: 'evidence.revealed', payload: { evidenceId: 'held', injectId: 'i2', by: 'facilitator' } }, { wall: 2 * MIN, scen: 2 * MIN, team: 'A' });
  b.add({ type: 'evidence.revealed', payload: { evidenceId: 'held', injectId: 'i2', by: 'participant', participantId: 'p1' } }, { wall: 3 * MIN, scen: 3 * MIN, team: 'A' });
  b.add({ type: 'evidence.revealed', payload: { evidenceId: 'held', injectId: 'i2', by: 'participant', participantId: 'p2' } }, { wall: 4 * MIN, scen: 4 * MIN, team: 'B' });
  return b.events;
}

describe('reveals folded from the log', () => {
  it('per team, the first reveal of an item counts', () => {
    const reveals = foldReveals(log());
    expect(reveals.get('A')?.get('held')).toMatchObject({ by: 'facilitator', scenarioMs: 2 * MIN, teamId: 'A' });
    expect(reveals.get('B')?.get('held')).toMatchObject({ by: 'participant', participantId: 'p2' });
    expect([...revealedFor(reveals, 'A')]).toEqual(['held']);
    expect([...revealedFor(reveals, 'C')]).toEqual([]);
  });

  it('are participation records: undo neither targets nor counts them, and no undo cancels them', () => {
    expect(PARTICIPATION_TYPES.has('evidence.revealed')).toBe(true);
    const events = log();
    // The team's last action is the milestone marked before the reveals: the reveals do not stand in its way.
    expect(undoTarget(events, 'A').type).toBe('milestone.marked');
    expect(undoneSeqs(events).size).toBe(0);
  });
});

describe('revealable', () => {
  const s = scenario();
  it('says why an item may not be revealed, or which inject it belongs to', () => {
    expect(revealable(s, 'nope', ['i1', 'i2'], new Set())).toMatchObject({ ok: false, code: 'not_found' });
    expect(revealable(s, 'open', ['i1', 'i2'], new Set())).toMatchObject({ ok: false, code: 'conflict', message: 'Open note is not held back: the team sees it with its inject.' });
    expect(revealable(s, 'held', ['i1'], new Set())).toMatchObject({ ok: false, code: 'conflict', message: 'Held note belongs to no inject this team has been given yet.' });
    expect(revealable(s, 'held', ['i1', 'i2'], new Set(['held']))).toMatchObject({ ok: false, message: 'Held note has already been revealed to this team.' });
    expect(revealable(s, 'held', ['i1', 'i2'], new Set())).toEqual({ ok: true, injectId: 'i2' });
  });
});

describe('audiences on a phone', () => {
  const s = scenario();
  it('match a role by id or name; no role, or one the scenario does not name, sees everything', () => {
    expect(participantRoleId('Legal', s.roles)).toBe('legal');
    expect(participantRoleId('comms', s.roles)).toBe('comms');
    expect(participantRoleId('CISO', s.roles)).toBeNull();
    expect(inAudience(['legal'], 'Legal', s.roles)).toBe(true);
    expect(inAudience(['legal'], 'Communications', s.roles)).toBe(false);
    expect(inAudience(['legal'], null, s.roles)).toBe(true);
    expect(inAudience(['legal'], 'CISO', s.roles)).toBe(true);
    expect(inAudience(undefined, 'Communications', s.roles)).toBe(true);
  });

  it('keep only the label of an inject for other roles, and leave out evidence for other roles', () => {
    const inject: PresentedInject = {
      id: 'i2',
      kind: 'inject',
      title: 'Finding',
      channel: 'console',
      from: 'x',
      to: null,
      subject: 'S',
      narrative: 'GuardDuty agrees.',
      questions: ['Q?'],
      evidence: [s.evidence[1]!],
      deliveredAtMs: 0,
      audience: ['Legal', 'Communications'],
      evidenceAudience: { open: ['Legal'] },
      held: [{ evidenceId: 'held', question: 'Who?' }],
    };
    // A role the scenario does not name sees what the room sees.
    expect(forRole(inject, 'CISO', s)).toEqual(inject);
    const asComms = forRole(inject, 'comms', s)!;
    expect(asComms.withheld).toBeUndefined();
    expect(asComms.evidence).toEqual([]);
    // Nor whom it is for: the comms phone does not learn that an item for Legal exists.
    expect(asComms.evidenceAudience).toEqual({});
    expect(asComms.held).toEqual([{ evidenceId: 'held', question: 'Who?' }]);
    const asLegal = forRole(inject, 'legal', s)!;
    expect(asLegal.evidence.map((e) => e.id)).toEqual(['open']);
    expect(asLegal.evidenceAudience).toEqual({ open: ['Legal'] });
    const other = engineTestScenario((x) => {
      x.formatVersion = 1.1;
      x.roles = [{ id: 'tech', name: 'Technical lead' }, ...(s.roles as Array<{ id: string; name: string }>)];
      const i2 = x.timeline.find((n) => n.id === 'i2') as { audience?: string[] };
      i2.audience = ['legal'];
    });
    expect(forRole(inject, 'tech', other)).toMatchObject({
      withheld: true,
      narrative: '',
      evidence: [],
      held: [],
      questions: [],
      subject: null,
      from: null,
      title: '',
      audience: ['Legal', 'Communications'],
    });
  });
});
