import { describe, expect, it } from 'vitest';
import type { LogBody, LogEvent, SessionConfig } from '../../src-main/core/engine/events.ts';
import { readCsv } from '../../src-main/core/csv.ts';
import { scenarioMselRows, sessionMselCsv, sessionMselRows } from '../../src-main/core/msel/export.ts';
import { engineTestScenario } from '../helpers/scenario.ts';

const MIN = 60_000;
const scenario = engineTestScenario();

const config: SessionConfig = {
  name: 'Drill',
  facilitator: 'Ana',
  sensitivity: 'TLP:CLEAR',
  scenarioId: 'engine-test',
  scenarioVersion: '1.0.0',
  scenarioSha256: '0'.repeat(64),
  seed: 's',
  speed: 1,
  teams: [
    { id: 'team-1', name: 'Red', participants: [] },
    { id: 'team-2', name: 'Blue', participants: [] },
  ],
  milestoneTargets: {},
};

/** A log from bodies: seq numbers in order, hashes left blank (the MSEL does not read them). */
function log(...entries: Array<[teamId: string | null, minutes: number, body: LogBody]>): LogEvent[] {
  return entries.map(([teamId, minutes, body], i) => ({
    ...body,
    sessionId: 's1',
    seq: i + 1,
    teamId,
    origin: body.type.startsWith('inject') || body.type.startsWith('contingency.fired') || body.type === 'decision.opened' ? 'engine' : 'command',
    scenarioMs: minutes * MIN,
    wallMs: 1_700_000_000_000 + i,
    prevHash: '',
    hash: '',
  }));
}

const events = log(
  [null, 0, { type: 'session.created', payload: config }],
  [null, 0, { type: 'session.started', payload: {} }],
  ['team-1', 0, { type: 'inject.delivered', payload: { nodeId: 'i1' } }],
  ['team-2', 0, { type: 'inject.delivered', payload: { nodeId: 'i1' } }],
  ['team-1', 10, { type: 'inject.delivered', payload: { nodeId: 'i2' } }],
  ['team-1', 10, { type: 'decision.opened', payload: { nodeId: 'd1' } }],
  ['team-1', 12, { type: 'decision.recorded', payload: { decisionId: 'd1', optionId: 'now', rationale: '', decidedBy: 'Kim' } }],
  ['team-2', 17, { type: 'contingency.fired', payload: { contingencyId: 'c1', manual: true } }],
);

function row(rows: ReturnType<typeof sessionMselRows>, nodeId: string) {
  return rows.find((r) => r.nodeId === nodeId)!.cells;
}

describe('MSEL of a session', () => {
  it('fills in the actual delivery per team and a status', () => {
    const rows = sessionMselRows(scenario, events);
    expect(row(rows, 'i1')).toMatchObject({ time: '00:00', actualTime: 'delivered at 00:00 (Red)\ndelivered at 00:00 (Blue)', status: 'delivered' });
    expect(row(rows, 'i2')).toMatchObject({ time: '00:10', actualTime: 'delivered at 00:10 (Red)', status: 'delivered for 1 of 2 teams' });
    expect(row(rows, 'i3good')).toMatchObject({ actualTime: '', status: 'not delivered' });
    expect(row(rows, 'd1').actualTime).toBe('opened at 00:10 (Red)\ndecided at 00:12 (Red, chose "Contain now")');
    expect(row(rows, 'c1')).toMatchObject({ actualTime: 'fired at 00:17 (Blue, by the facilitator)', status: 'fired for 1 of 2 teams' });
  });

  it('does not count an undone command, nor what it caused', () => {
    const undone = log(
      [null, 0, { type: 'session.created', payload: { ...config, teams: [config.teams[0]!] } }],
      ['team-1', 10, { type: 'decision.opened', payload: { nodeId: 'd1' } }],
      ['team-1', 12, { type: 'decision.recorded', payload: { decisionId: 'd1', optionId: 'wait', rationale: '', decidedBy: '' } }],
      ['team-1', 12, { type: 'inject.delivered', payload: { nodeId: 'i3bad' } }],
      ['team-1', 13, { type: 'event.corrected', payload: { correctedSeq: 3, reason: 'Wrong button' } }],
      ['team-1', 14, { type: 'decision.recorded', payload: { decisionId: 'd1', optionId: 'now', rationale: '', decidedBy: '' } }],
    );
    const rows = sessionMselRows(scenario, undone);
    expect(row(rows, 'd1').actualTime).toBe('opened at 00:10 (Red)\ndecided at 00:14 (Red, chose "Contain now")');
    expect(row(rows, 'i3bad')).toMatchObject({ actualTime: '', status: 'not delivered' });
  });

  it("writes the scenario's columns plus Actual time and Status", () => {
    const table = readCsv(sessionMselCsv(scenario, events));
    const header = table.records[0]!;
    expect(header.slice(0, 4)).toEqual(['Sequence', 'Scenario time', 'Actual time', 'Type']);
    expect(header).toContain('Status');
    expect(table.records).toHaveLength(1 + scenarioMselRows(scenario).length);
  });
});
