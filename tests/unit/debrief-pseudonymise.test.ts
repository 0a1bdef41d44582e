import { describe, expect, it } from 'vitest';
import { computeDebrief } from '../../src-main/core/debrief/compute.ts';
import type { ImprovementItem } from '../../src-main/core/debrief/improvement.ts';
import { Pseudonyms } from '../../src-main/core/debrief/pseudonymise.ts';
import { debriefScenario, LogBuilder, MIN, sessionConfig } from '../helpers/debrief-log.ts';

/** Orders names by a key the test controls, standing in for a hash. */
const reversed = (name: string) => Array.from(name).reverse().join('');

describe('Pseudonyms', () => {
  it('letters participants in the order of the key, one letter per person whatever the spelling', () => {
    const p = new Pseudonyms(['Kim Lee', 'sam roe', '  KIM   LEE ', 'Alex Poe', ''], reversed);
    // Reversed: "eel mik", "eor mas", "eop xela" → eel < eop < eor.
    expect([...p.mapping]).toEqual([
      ['kim lee', 'Participant A'],
      ['alex poe', 'Participant B'],
      ['sam roe', 'Participant C'],
    ]);
    expect(p.name('Sam Roe')).toBe('Participant C');
    expect(p.name(' kim  lee')).toBe('Participant A');
  });

  it('is stable for the same names and key, and continues past Z with AA, AB…', () => {
    const names = Array.from({ length: 28 }, (_, i) => `Person ${String(i).padStart(2, '0')}`);
    const a = new Pseudonyms(names, (n) => n);
    const b = new Pseudonyms([...names].reverse(), (n) => n);
    expect([...a.mapping]).toEqual([...b.mapping]);
    expect(a.name('Person 25')).toBe('Participant Z');
    expect(a.name('Person 26')).toBe('Participant AA');
    expect(a.name('Person 27')).toBe('Participant AB');
  });

  it('replaces full names in free text as whole words only, and leaves other strings alone', () => {
    const p = new Pseudonyms(['Kim Lee', 'Al'], (n) => n);
    expect(p.text('KIM LEE and Al agreed; Albert and Kim Leeds did not. (al)')).toBe('Participant B and Participant A agreed; Albert and Kim Leeds did not. (Participant A)');
    expect(p.name('IC')).toBe('IC');
    expect(p.name('Kim Lee and Al')).toBe('Participant B and Participant A');
    expect(new Pseudonyms([], (n) => n).text('Kim Lee')).toBe('Kim Lee');
  });

  it('treats names as text, not as patterns', () => {
    const p = new Pseudonyms(['J. (Jo) Smith+'], (n) => n);
    expect(p.text('Ask J. (Jo) Smith+ or JX (Jo) Smith')).toBe('Ask Participant A or JX (Jo) Smith');
  });

  it('replaces names throughout a log, keeping the facilitator and the hashes', () => {
    const log = new LogBuilder();
    log.add({ type: 'session.created', payload: sessionConfig() }, { wall: 0, scen: 0 });
    log.add({ type: 'session.started', payload: {} }, { wall: MIN, scen: 0 });
    log.add({ type: 'decision.opened', payload: { nodeId: 'd1' } }, { wall: MIN, scen: 0, team: 'A' });
    log.add(
      { type: 'decision.recorded', payload: { decisionId: 'd1', optionId: 'now', rationale: 'Sam Roe insisted', decidedBy: 'kim lee' } },
      { wall: 2 * MIN, scen: MIN, team: 'A' },
    );
    log.add({ type: 'note.added', payload: { text: 'Kim Lee led well', author: 'Sam Roe', objectiveId: 'obj1', rating: 'P' } }, { wall: 2 * MIN, scen: MIN, team: 'A' });
    log.add({ type: 'note.added', payload: { text: 'No author' } }, { wall: 2 * MIN, scen: MIN });
    const p = Pseudonyms.forSession(sessionConfig(), (n) => n);
    const out = p.events(log.events);
    const text = JSON.stringify(out);
    expect(text).not.toMatch(/Kim|Sam|Roe|Lee/i);
    expect(out.map((e) => e.hash)).toEqual(log.events.map((e) => e.hash));
    expect(out[0]).toMatchObject({
      payload: { facilitator: 'Ana', teams: [{ participants: [{ name: 'Participant A', role: 'IC' }, { name: 'Participant B' }] }, { participants: [] }] },
    });
    expect(out[3]).toMatchObject({ payload: { rationale: 'Participant B insisted', decidedBy: 'Participant A' } });
    expect(out[5]!.payload).toEqual({ text: 'No author' });
    // The original log is untouched.
    expect(JSON.stringify(log.events)).toContain('Kim Lee');

    const debrief = computeDebrief(debriefScenario(), out);
    expect(debrief.teams[0]!.participants.map((x) => x.name)).toEqual(['Participant A', 'Participant B']);
    expect(debrief.teams[0]!.decisions[0]!.decidedBy).toBe('Participant A');
    expect(debrief.teams[0]!.objectives[0]!.observations[0]!.author).toBe('Participant B');
  });

  it('replaces names in improvement items', () => {
    const p = new Pseudonyms(['Kim Lee'], (n) => n);
    const item: ImprovementItem = {
      id: 'item-1',
      sessionId: null,
      teamName: 'Blue',
      area: 'Kim Lee could not reach AWS',
      correctiveAction: 'Give Kim Lee a role',
      tag: null,
      owner: 'Kim Lee',
      dueDate: null,
      status: 'open',
      createdWallMs: 0,
      updatedWallMs: 0,
      closedWallMs: null,
    };
    expect(p.items([item])[0]).toMatchObject({ owner: 'Participant A', area: 'Participant A could not reach AWS', correctiveAction: 'Give Participant A a role' });
  });
});
