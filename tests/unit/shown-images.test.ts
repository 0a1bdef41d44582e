import { describe, expect, it } from 'vitest';
import { stoppedClock } from '../../src-main/core/engine/clock.ts';
import { foldParticipation, participantView } from '../../src-main/core/participants.ts';
import { DEFAULT_ROOM_DISPLAY, presenterView, roomView, type PresenterInput, type RoomDisplay } from '../../src-main/core/presenter.ts';
import { imagesShown, showsImage } from '../../src-main/core/shown-images.ts';
import { LogBuilder } from '../helpers/debrief-log.ts';
import { engineTestScenario, withImageKinds } from '../helpers/scenario.ts';

const scenario = engineTestScenario(withImageKinds);

const team = (id: string, latest: PresenterInput['latest'], revealed: string[] = []) => ({
  team: { id, name: id },
  latest,
  openDecision: null,
  endedAt: null,
  milestones: {},
  text: { vars: {}, revealed: new Set(revealed) },
});
const base = { sessionId: 's', sessionName: 'Drill', status: 'running' as const, clock: stoppedClock(1), sensitivity: 'TLP:CLEAR' };
const atI1 = { kind: 'inject' as const, id: 'i1', atMs: 0 };

function presenter(latest: PresenterInput['latest'], revealed: string[] = [], display: RoomDisplay = DEFAULT_ROOM_DISPLAY) {
  return presenterView(scenario, { ...base, ...team('team-1', latest, revealed), display });
}

describe('the images a room-facing screen may fetch', () => {
  it('are those of the evidence delivered to the team, not of an inject still to come, held-back or facilitator-only evidence', () => {
    const view = presenter(atI1);
    expect([...imagesShown(view)].sort()).toEqual(['assets/delivered.png', 'assets/legal-only.png']);
    expect(showsImage(view, 'assets/delivered.png')).toBe(true);
    // The path must be exactly the one the evidence names: no normalising, so no spelling of another file slips through.
    const spellings = [
      './assets/delivered.png',
      'assets//delivered.png',
      'assets/./delivered.png',
      'assets/../assets/delivered.png',
      'ASSETS/DELIVERED.PNG',
      'assets%2Fdelivered.png',
      'assets\\delivered.png',
      ' assets/delivered.png',
    ];
    for (const path of ['assets/later.png', 'assets/held.png', 'assets/facilitator-only.png', 'assets/nothing.png', 'delivered.png', '../assets/delivered.png', ...spellings]) {
      expect(showsImage(view, path), path).toBe(false);
    }
  });

  it('include held-back evidence once it is revealed to the team, and a later inject once it is delivered', () => {
    expect(showsImage(presenter(atI1, ['held']), 'assets/held.png')).toBe(true);
    expect(showsImage(presenter({ kind: 'inject', id: 'i2', atMs: 600_000 }), 'assets/later.png')).toBe(true);
    expect(showsImage(presenter({ kind: 'contingency', id: scenario.contingencies[0]!.id, atMs: 700_000 }), 'assets/later.png')).toBe(true);
    // Before the first inject the screen shows no image at all.
    expect(imagesShown(presenter(null)).size).toBe(0);
  });

  it('on the room view, are those of every team’s current inject and no other', () => {
    const room = roomView(scenario, { ...base, teams: [team('team-1', atI1), team('team-2', null, ['held'])], display: DEFAULT_ROOM_DISPLAY });
    expect([...imagesShown(room)].sort()).toEqual(['assets/delivered.png', 'assets/legal-only.png']);
    // Revealed to a team that has not reached the inject carrying it: still not on screen.
    expect(showsImage(room, 'assets/held.png')).toBe(false);
    const later = roomView(scenario, { ...base, teams: [team('team-1', atI1), team('team-2', { kind: 'inject', id: 'i2', atMs: 600_000 })], display: DEFAULT_ROOM_DISPLAY });
    expect(showsImage(later, 'assets/later.png')).toBe(true);
  });

  it('include a spotlit image only while the spotlight is on screen', () => {
    const lit = presenter(atI1, [], { ...DEFAULT_ROOM_DISPLAY, spotlight: { evidenceId: 'delivered', record: null } });
    expect(lit.display.spotlight?.evidence.id).toBe('delivered');
    expect(showsImage(lit, 'assets/delivered.png')).toBe(true);
    // A spotlight on evidence no inject on screen lists is dropped by the view, so it opens nothing either.
    for (const evidenceId of ['later', 'held', 'facilitator-only']) {
      const dark = presenter(atI1, [], { ...DEFAULT_ROOM_DISPLAY, spotlight: { evidenceId, record: null } });
      expect(dark.display.spotlight, evidenceId).toBeNull();
      expect(showsImage(dark, `assets/${evidenceId}.png`), evidenceId).toBe(false);
    }
  });

  it('on a phone, are only those the participant’s role may see', () => {
    const log = new LogBuilder('s');
    for (const [participantId, role] of [
      ['p-legal', 'legal'],
      ['p-comms', 'comms'],
      ['p-none', undefined],
    ] as const) {
      log.add({ type: 'participant.joined', payload: { participantId, name: participantId, role } }, { wall: 1000, scen: 0, team: 'team-1' });
    }
    const state = foldParticipation(log.events);
    const room = presenter(atI1, [], { ...DEFAULT_ROOM_DISPLAY, spotlight: { evidenceId: 'legal-only', record: null } });
    const phone = (participantId: string) => participantView(room, state, participantId, scenario).room;
    expect(showsImage(phone('p-legal'), 'assets/legal-only.png')).toBe(true);
    expect(showsImage(phone('p-none'), 'assets/legal-only.png')).toBe(true);
    // Communications may not see it: neither on the inject nor through the room's spotlight.
    expect(phone('p-comms').display.spotlight).toBeNull();
    expect([...imagesShown(phone('p-comms'))]).toEqual(['assets/delivered.png']);
  });
});
