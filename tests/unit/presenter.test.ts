import { describe, expect, it } from 'vitest';
import { stoppedClock } from '../../src-main/core/engine/clock.ts';
import { DEFAULT_ROOM_DISPLAY, presenterView, roomView, type RoomDisplay, type RoomInput } from '../../src-main/core/presenter.ts';
import { engineTestScenario } from '../helpers/scenario.ts';

const SECRET = 'FACILITATOR-ONLY-TEXT';

const scenario = engineTestScenario((s) => {
  s.evidence = [
    { id: 'ev1', kind: 'note', caption: 'A note for the room', body: 'Room-facing evidence' },
    { id: 'evLater', kind: 'note', caption: 'UPCOMING-EVIDENCE', body: 'Only for a later inject' },
  ];
  const i3 = s.timeline.find((n) => n.id === 'i3bad')!;
  Object.assign(i3, { evidence: ['evLater'] });
  Object.assign(
    s.timeline.find((n) => n.id === 'i1')!,
    { tags: ['phase:detection'] },
  );
  Object.assign(
    s.timeline.find((n) => n.id === 'd1')!,
    { tags: ['phase:containment'] },
  );
  s.guide.phaseQuestions = [{ phase: 'phase:containment', questions: ['What can you undo?'] }];
  s.guide.traps = [{ title: `${SECRET} trap`, belief: `${SECRET} belief`, reality: `${SECRET} reality` }];
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

/** Every display the facilitator can set, to prove none of them lets facilitator-only content through. */
const DISPLAYS: RoomDisplay[] = [
  DEFAULT_ROOM_DISPLAY,
  { ...DEFAULT_ROOM_DISPLAY, slide: { kind: 'title' } },
  { ...DEFAULT_ROOM_DISPLAY, slide: { kind: 'phase', phase: 'phase:containment' } },
  { ...DEFAULT_ROOM_DISPLAY, slide: { kind: 'pause', message: 'Back at 11' } },
  { ...DEFAULT_ROOM_DISPLAY, spotlight: { evidenceId: 'ev1', record: null } },
  { ...DEFAULT_ROOM_DISPLAY, spotlight: { evidenceId: 'evLater', record: 0 } },
];

function room(display: RoomDisplay, teams?: RoomInput['teams']): ReturnType<typeof roomView> {
  return roomView(scenario, {
    sessionId: 's',
    sessionName: 'Drill',
    status: 'running',
    clock: stoppedClock(1),
    sensitivity: 'TLP:AMBER',
    display,
    teams: teams ?? [
      {
        team: { id: 'team-1', name: 'Red' },
        latest: { kind: 'inject', id: 'i2', atMs: 600_000 },
        openDecision: { id: 'd1', openedAtMs: 600_000, deadlineMs: 900_000 },
        endedAt: null,
        milestones: { detected: 300_000, contained: null },
      },
      { team: { id: 'team-2', name: 'Blue' }, latest: { kind: 'inject', id: 'i1', atMs: 0 }, openDecision: null, endedAt: null, milestones: {} },
      { team: { id: 'team-3', name: 'Green' }, latest: { kind: 'contingency', id: 'c1', atMs: 5 }, openDecision: null, endedAt: null, milestones: {} },
    ],
  });
}

describe('roomView', () => {
  it('shows every team: its current inject, open decision with its deadline, phase and milestones', () => {
    const view = room(DEFAULT_ROOM_DISPLAY);
    expect(view.teams.map((t) => t.name)).toEqual(['Red', 'Blue', 'Green']);
    const [red, blue, green] = view.teams;
    expect(red!.inject?.title).toBe('Finding');
    expect(red!.decision).toMatchObject({ id: 'd1', deadlineMs: 900_000 });
    expect(red!.decision!.options.map((o) => o.label)).toEqual(['Contain now', 'Watch longer']);
    // The open decision's phase wins over the inject's.
    expect(red!.phase).toEqual({ tag: 'phase:containment', label: 'Containment' });
    expect(blue!.phase).toEqual({ tag: 'phase:detection', label: 'Detection' });
    expect(green!.inject).toMatchObject({ kind: 'contingency', title: 'The CISO calls' });
    expect(red!.milestones).toEqual([
      { id: 'detected', label: 'Detected', reachedAtMs: 300_000 },
      { id: 'contained', label: 'Contained', reachedAtMs: null },
      { id: 'eradicated', label: 'Eradicated', reachedAtMs: null },
      { id: 'recovered', label: 'Recovered', reachedAtMs: null },
    ]);
    expect(view.display).toEqual({ slide: null, spotlight: null, scroll: 0, clock: true });
  });

  it('resolves slides to room-facing text: the opening brief, a phase with its questions, a pause message', () => {
    expect(room(DISPLAYS[1]!).display.slide).toEqual({ kind: 'title', title: scenario.meta.title, brief: 'Welcome.' });
    expect(room(DISPLAYS[2]!).display.slide).toEqual({ kind: 'phase', phase: 'phase:containment', label: 'Containment', questions: ['What can you undo?'] });
    expect(room(DISPLAYS[3]!).display.slide).toEqual({ kind: 'pause', message: 'Back at 11' });
  });

  it('shows the title slide with the opening brief before the start unless another slide is chosen', () => {
    const before = (display: RoomDisplay) =>
      roomView(scenario, { sessionId: 's', sessionName: 'Drill', status: 'setup', clock: stoppedClock(1), sensitivity: 'x', display, teams: [] });
    expect(before(DEFAULT_ROOM_DISPLAY).display.slide).toMatchObject({ kind: 'title', brief: 'Welcome.' });
    expect(before(DISPLAYS[3]!).display.slide).toMatchObject({ kind: 'pause' });
    expect(room(DEFAULT_ROOM_DISPLAY).display.slide).toBeNull();
  });

  it('spotlights evidence only while it belongs to an inject on screen, never an upcoming one', () => {
    expect(room(DISPLAYS[4]!).display.spotlight?.evidence.id).toBe('ev1');
    expect(room(DISPLAYS[5]!).display.spotlight).toBeNull();
    // Once no team shows the inject any more, the spotlight goes dark.
    const moved = room(DISPLAYS[4]!, [{ team: { id: 'team-1', name: 'Red' }, latest: { kind: 'inject', id: 'i1', atMs: 0 }, openDecision: null, endedAt: null, milestones: {} }]);
    expect(moved.display.spotlight).toBeNull();
    // A record number the evidence does not have is dropped.
    expect(room({ ...DEFAULT_ROOM_DISPLAY, spotlight: { evidenceId: 'ev1', record: 3 } }).display.spotlight?.record).toBeNull();
  });

  it('never carries facilitator-only content, targets, scores, recommendations or upcoming injects, whatever is on screen', () => {
    for (const display of DISPLAYS) {
      for (const text of [
        JSON.stringify(room(display)),
        JSON.stringify(presenterView(scenario, { ...base, latest: { kind: 'inject', id: 'i2', atMs: 1 }, openDecision: null, endedAt: null, display })),
      ]) {
        expect(text).not.toContain(SECRET);
        expect(text).not.toContain('UPCOMING-EVIDENCE');
        expect(text).not.toContain('Data is on a forum');
        expect(text).not.toContain('recommended');
        expect(text).not.toContain('consequences');
        expect(text).not.toContain('targetMinutes');
        expect(text).not.toContain('srm:customer');
        expect(text).not.toContain('score');
        expect(text).not.toContain('Run it.'); // the facilitator brief
      }
    }
  });
});
