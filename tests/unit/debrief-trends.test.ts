import { describe, expect, it } from 'vitest';
import type { ImprovementItem } from '../../src-main/core/debrief/improvement.ts';
import { computeTrends, sessionKeyTimes, type SessionKeyTimes } from '../../src-main/core/debrief/trends.ts';
import { LogBuilder, MIN, sessionConfig } from '../helpers/debrief-log.ts';

const DAY = 24 * 60 * MIN;
const T0 = Date.UTC(2025, 0, 6, 9);

/** A session starting `day` days after T0; Alpha (spelled `alphaName`) detects at `detectMin` and contains at `containMin` (scenario minutes, speed 1). */
function session(id: string, day: number, opts: { scenarioId?: string; alphaName?: string; detectMin: number; containMin?: number; pauseMin?: number }): SessionKeyTimes {
  const log = new LogBuilder(id);
  const start = T0 + day * DAY;
  const pause = (opts.pauseMin ?? 0) * MIN;
  log.add(
    {
      type: 'session.created',
      payload: sessionConfig({
        scenarioId: opts.scenarioId ?? 'engine-test',
        teams: [
          { id: 'A', name: opts.alphaName ?? 'Alpha', participants: [] },
          { id: 'B', name: 'Bravo', participants: [] },
        ],
      }),
    },
    { wall: start - MIN, scen: 0 },
  );
  log.add({ type: 'session.started', payload: {} }, { wall: start, scen: 0 });
  if (pause) {
    log.add({ type: 'clock.paused', payload: {} }, { wall: start + MIN, scen: MIN });
    log.add({ type: 'clock.resumed', payload: {} }, { wall: start + MIN + pause, scen: MIN });
  }
  const reach = (milestoneId: string, min: number) =>
    log.add(
      { type: 'milestone.reached', payload: { milestoneId, source: 'facilitator' } },
      { wall: start + min * MIN + (pause && min > 1 ? pause : 0), scen: min * MIN, team: 'A' },
    );
  reach('detected', opts.detectMin);
  if (opts.containMin !== undefined) reach('contained', opts.containMin);
  log.add({ type: 'session.ended', payload: { reason: 'done' } }, { wall: start + 60 * MIN + pause, scen: 60 * MIN });
  return sessionKeyTimes(log.events)!;
}

const item = (id: string, teamName: string, sessionId: string | null, createdDay: number, closedDay: number | null): ImprovementItem => ({
  id,
  sessionId,
  teamName,
  area: 'a',
  correctiveAction: 'c',
  tag: null,
  owner: '',
  dueDate: null,
  status: closedDay === null ? 'open' : 'closed',
  createdWallMs: T0 + createdDay * DAY,
  updatedWallMs: T0 + (closedDay ?? createdDay) * DAY,
  closedWallMs: closedDay === null ? null : T0 + closedDay * DAY,
});

describe('sessionKeyTimes', () => {
  it("reads each team's key times and targets met from a session's log, in scenario and active wall time", () => {
    const s = session('s1', 0, { detectMin: 8, containMin: 25, pauseMin: 30 });
    expect(s).toMatchObject({ sessionId: 's1', name: 'Drill', scenarioId: 'engine-test', startedTimestamp: T0, createdTimestamp: T0 - MIN });
    expect(s.teams[0]).toEqual({
      teamName: 'Alpha',
      timeTo: { detect: { scenarioMs: 8 * MIN, wallMs: 8 * MIN }, contain: { scenarioMs: 25 * MIN, wallMs: 25 * MIN }, eradicate: null, recover: null },
      // Targets: detected 10, contained 20 min.
      milestonesMet: 1,
      milestonesTotal: 4,
    });
    expect(s.teams[1]!.timeTo.detect).toBeNull();
  });

  it('returns null for a log that is not a session', () => {
    expect(sessionKeyTimes([])).toBeNull();
  });
});

describe('computeTrends', () => {
  const sessions = [
    session('s3', 14, { detectMin: 4, containMin: 9 }),
    session('s1', 0, { detectMin: 12 }),
    session('s2', 7, { alphaName: ' alpha ', detectMin: 7, containMin: 15 }),
    session('x1', 3, { scenarioId: 'other', detectMin: 20 }),
  ];
  const items = [
    item('i1', 'Alpha', 's1', 0, 5),
    item('i2', 'ALPHA', 's2', 7, 10),
    item('i3', 'Alpha', 's2', 7, null),
    item('i4', 'Bravo', 's1', 0, 2),
    item('i5', 'Alpha', 'x1', 3, null),
  ];

  it('orders sessions by start and gives one series per team and key time', () => {
    const trends = computeTrends(sessions, items, { scenarioId: 'engine-test' });
    expect(trends.sessions.map((s) => s.sessionId)).toEqual(['s1', 's2', 's3']);
    const detect = trends.series.find((s) => s.metric === 'detect' && s.teamName.trim().toLowerCase() === 'alpha')!;
    // Team names match without regard to case and spaces; the series takes the latest spelling.
    expect(detect.teamName).toBe('Alpha');
    expect(detect.points).toEqual([
      { sessionId: 's1', timestamp: T0, scenarioMs: 12 * MIN, wallMs: 12 * MIN },
      { sessionId: 's2', timestamp: T0 + 7 * DAY, scenarioMs: 7 * MIN, wallMs: 7 * MIN },
      { sessionId: 's3', timestamp: T0 + 14 * DAY, scenarioMs: 4 * MIN, wallMs: 4 * MIN },
    ]);
    const contain = trends.series.find((s) => s.metric === 'contain' && s.teamName === 'Alpha')!;
    expect(contain.points.map((p) => p.scenarioMs)).toEqual([null, 15 * MIN, 9 * MIN]);
    expect(trends.series.map((s) => s.metric)).toEqual(['detect', 'detect', 'contain', 'contain', 'eradicate', 'eradicate', 'recover', 'recover']);
    // A scenario's trend counts the items found in its sessions.
    expect(trends.improvementPlan).toEqual({
      created: [
        { timestamp: T0, count: 1 },
        { timestamp: T0, count: 2 },
        { timestamp: T0 + 7 * DAY, count: 3 },
        { timestamp: T0 + 7 * DAY, count: 4 },
      ],
      closed: [
        { timestamp: T0 + 2 * DAY, count: 1 },
        { timestamp: T0 + 5 * DAY, count: 2 },
        { timestamp: T0 + 10 * DAY, count: 3 },
      ],
      open: 1,
      inProgress: 0,
      closedCount: 3,
    });
  });

  it("follows one team across scenarios, with that team's items only", () => {
    const trends = computeTrends(sessions, items, { teamName: 'ALPHA' });
    expect(trends.filter).toEqual({ scenarioId: null, teamName: 'ALPHA' });
    expect(trends.sessions.map((s) => [s.sessionId, s.teams.map((t) => t.teamName)])).toEqual([
      ['s1', ['Alpha']],
      ['x1', ['Alpha']],
      ['s2', [' alpha ']],
      ['s3', ['Alpha']],
    ]);
    expect(new Set(trends.series.map((s) => s.teamName))).toEqual(new Set(['Alpha']));
    expect(trends.improvementPlan.closed.map((p) => p.timestamp)).toEqual([T0 + 5 * DAY, T0 + 10 * DAY]);
    expect(trends.improvementPlan).toMatchObject({ open: 2, closedCount: 2 });
  });

  it('is empty for a team that never played', () => {
    const trends = computeTrends(sessions, items, { teamName: 'Charlie' });
    expect(trends.sessions).toEqual([]);
    expect(trends.series).toEqual([]);
    expect(trends.improvementPlan.created).toEqual([]);
  });
});
