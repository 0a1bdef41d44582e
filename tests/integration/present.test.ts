/**
 * Format 1.1 on a running session: audiences, living text and evidence on
 * request through the real services, dispatch and grants.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../src-main/app/dispatch.ts';
import { openApp } from '../../src-main/app/open.ts';
import type { Grant, Services } from '../../src-main/app/services.ts';
import { foldReveals } from '../../src-main/core/reveals.ts';
import { tempDir } from '../helpers/tmp.ts';

const facilitator: Grant = { role: 'facilitator' };
const data = tempDir();
const scenarios = tempDir();
let services: Services;
let sessionId: string;
let blue: Grant & { role: 'participant' };
let blueLegal: Grant & { role: 'participant' };
let red: Grant & { role: 'participant' };

async function ok<T = unknown>(method: string, input: unknown, grant: Grant = facilitator): Promise<T> {
  const res = await dispatch(services, method, input, grant);
  if (!res.ok) throw new Error(`${method}: ${res.error.code} ${res.error.message} ${res.error.path}`);
  return res.result as T;
}
async function refused(method: string, input: unknown, grant: Grant) {
  const res = await dispatch(services, method, input, grant);
  expect(res.ok, JSON.stringify(res)).toBe(false);
  return (res as { error: { code: string; message: string; path?: string } }).error;
}

function joinAs(name: string, teamId: string, role?: string): Grant & { role: 'participant' } {
  const code = services.participation.state(sessionId).join!.code;
  const joined = services.participation.join({ code, name, teamId, ...(role ? { role } : {}) }, '127.0.0.1');
  return services.participation.authenticate(joined.token)!;
}

beforeAll(async () => {
  mkdirSync(scenarios.dir, { recursive: true });
  copyFileSync('tests/fixtures/present/present-1.1.json', `${scenarios.dir}/present-1.1.json`);
  services = openApp({ dataDir: data.dir, host: 'web', version: '0.0.0-test', scenariosDir: scenarios.dir });
  const state = await ok<{ id: string }>('sessions.create', {
    scenarioId: 'present-fixture',
    name: 'Present test',
    facilitator: 'Fran',
    teams: [
      { name: 'Blue', participants: [] },
      { name: 'Red', participants: [] },
    ],
    speed: 0,
  });
  sessionId = state.id;
  await ok('sessions.openParticipation', { sessionId });
  await ok('sessions.start', { sessionId });
  blue = joinAs('Ana', 'team-1', 'tech');
  blueLegal = joinAs('Lee', 'team-1', 'legal');
  red = joinAs('Rob', 'team-2');
});

afterAll(() => {
  services.close();
  data.cleanup();
  scenarios.cleanup();
});

describe('living text', () => {
  it("shows the team's values, formatted, in the presenter and on the phones", async () => {
    const view = await ok<{ inject: { narrative: string; evidence: Array<{ id: string; body?: string }> } }>('presenter.view', { sessionId, teamId: 'team-1' });
    expect(view.inject.narrative).toContain('**1,250,000**');
    const note = view.inject.evidence.find((e) => e.id === 'ev-cost')!;
    expect(note.body).toContain('$48,000\\.00');
    expect(note.body).toContain('2 h 30 min');
    // The string variable is escaped: it cannot add markup.
    expect(note.body).toContain('\\<b\\>x\\<\\/b\\> \\*crypt0\\*');
  });
});

describe('join with a role', () => {
  it('refuses a role the scenario does not name, at /role', () => {
    const code = services.participation.state(sessionId).join!.code;
    expect(() => services.participation.join({ code, name: 'Zed', teamId: 'team-1', role: 'lawyer' }, '127.0.0.1')).toThrow(
      /There is no role lawyer: choose one of tech, legal, comms/,
    );
    const teams = services.participation.teams({ code }, '127.0.0.1');
    expect(teams.roles.map((r) => r.id)).toEqual(['tech', 'legal', 'comms']);
  });
});

describe('evidence on request', () => {
  it('holds back onRequest items from the room and the phones, and lists them in the console', async () => {
    const view = await ok<{ inject: { evidence: Array<{ id: string }>; held: Array<{ evidenceId: string; question: string }> } }>('presenter.view', {
      sessionId,
      teamId: 'team-1',
    });
    expect(view.inject.evidence.map((e) => e.id)).toEqual(['ev-cost']);
    expect(view.inject.held.map((h) => h.evidenceId)).toEqual(['ev-create-key', 'ev-vpc-log']);
    const held = await ok<Array<{ evidenceId: string; question: string; query: { language: string } | null; revealed: unknown }>>('sessions.heldEvidence', {
      sessionId,
      teamId: 'team-1',
    });
    expect(held.map((h) => [h.evidenceId, h.query?.language, h.revealed])).toEqual([
      ['ev-create-key', 'cloudtrail-lake-sql', null],
      ['ev-vpc-log', 'cloudwatch-logs-insights', null],
    ]);
  });

  it('a presenter token cannot reveal, a participant cannot reveal for another team or call the facilitator method', async () => {
    expect((await refused('sessions.revealEvidence', { sessionId, teamId: 'team-1', evidenceId: 'ev-create-key' }, { role: 'presenter', sessionId })).code).toBe('forbidden');
    expect((await refused('sessions.revealEvidence', { sessionId, teamId: 'team-2', evidenceId: 'ev-create-key' }, blue)).code).toBe('forbidden');
    expect((await refused('participant.requestEvidence', { evidenceId: 'ev-create-key' }, { role: 'presenter', sessionId })).code).toBe('forbidden');
    expect((await refused('participant.requestEvidence', { evidenceId: 'ev-create-key' }, facilitator)).code).toBe('forbidden');
    // The participant's method takes no team: there is no way to name another.
    expect((await refused('participant.requestEvidence', { evidenceId: 'ev-create-key', teamId: 'team-2' }, blue)).code).toBe('invalid_input');
  });

  it('the facilitator reveals for one team: logged, shown to that team only, with its query', async () => {
    const ack = await ok<{ seq: number }>('sessions.revealEvidence', { sessionId, teamId: 'team-1', evidenceId: 'ev-create-key' });
    const record = services.sessions.events(sessionId, ack.seq - 1)[0]!;
    expect(record).toMatchObject({
      type: 'evidence.revealed',
      teamId: 'team-1',
      origin: 'command',
      payload: { evidenceId: 'ev-create-key', injectId: 'i-leak', by: 'facilitator' },
    });
    const blueView = await ok<{ inject: { evidence: Array<{ id: string; onRequest?: { query?: { text: string } } }> } }>('presenter.view', { sessionId, teamId: 'team-1' });
    expect(blueView.inject.evidence.find((e) => e.id === 'ev-create-key')?.onRequest?.query?.text).toMatch(/CreateAccessKey/);
    const redView = await ok<{ inject: { evidence: Array<{ id: string }> } }>('presenter.view', { sessionId, teamId: 'team-2' });
    expect(redView.inject.evidence.map((e) => e.id)).toEqual(['ev-cost']);
    expect((await refused('sessions.revealEvidence', { sessionId, teamId: 'team-1', evidenceId: 'ev-create-key' }, facilitator)).message).toMatch(/already been revealed/);
    expect((await refused('sessions.revealEvidence', { sessionId, teamId: 'team-1', evidenceId: 'ev-legal-email' }, facilitator)).code).toBe('conflict');
  });

  it('a participant asks for one: revealed to their own team, the log names them', async () => {
    const ack = await ok<{ seq: number }>('participant.requestEvidence', { evidenceId: 'ev-vpc-log' }, red);
    const record = services.sessions.events(sessionId, ack.seq - 1)[0]!;
    expect(record).toMatchObject({ type: 'evidence.revealed', teamId: 'team-2', payload: { evidenceId: 'ev-vpc-log', by: 'participant', participantId: red.participantId } });
    const held = await ok<Array<{ evidenceId: string; revealed: { by: string; participant: string | null } | null }>>('sessions.heldEvidence', { sessionId, teamId: 'team-2' });
    expect(held.find((h) => h.evidenceId === 'ev-vpc-log')?.revealed).toMatchObject({ by: 'participant', participant: 'Rob' });
    const blueHeld = await ok<Array<{ evidenceId: string; revealed: unknown }>>('sessions.heldEvidence', { sessionId, teamId: 'team-1' });
    expect(blueHeld.find((h) => h.evidenceId === 'ev-vpc-log')?.revealed).toBeNull();
    expect((await refused('participant.requestEvidence', { evidenceId: 'ev-vpc-log' }, red)).code).toBe('not_found');
  });

  it('undo does not cancel a reveal (nor target it), and the reveals survive a restart and replay', async () => {
    expect((await refused('sessions.undo', { sessionId, teamId: 'team-2', reason: 'slip' }, facilitator)).message).toMatch(/nothing to undo/);
    expect(services.sessions.verify(sessionId).ok).toBe(true);
    services.close();
    services = openApp({ dataDir: data.dir, host: 'web', version: '0.0.0-test', scenariosDir: scenarios.dir });
    const reveals = foldReveals(services.sessions.events(sessionId, 0));
    expect([...(reveals.get('team-1')?.keys() ?? [])]).toEqual(['ev-create-key']);
    expect([...(reveals.get('team-2')?.keys() ?? [])]).toEqual(['ev-vpc-log']);
    const view = await ok<{ inject: { evidence: Array<{ id: string }> } }>('presenter.view', { sessionId, teamId: 'team-1' });
    expect(view.inject.evidence.map((e) => e.id)).toEqual(['ev-create-key', 'ev-cost']);
  });
});

describe('audiences', () => {
  it('labels the inject for the room; a phone shows it only to its roles (everyone without a role)', async () => {
    await ok('sessions.recordDecision', { sessionId, teamId: 'team-1', decisionId: 'd-scope', optionId: 'wait', rationale: 'r', decidedBy: 'Ana' });
    const room = await ok<{ inject: { id: string; audience: string[]; narrative: string; evidenceAudience: Record<string, string[]> } }>('presenter.view', {
      sessionId,
      teamId: 'team-1',
    });
    expect(room.inject.id).toBe('i-notify');
    expect(room.inject.audience).toEqual(['Legal', 'Communications']);
    expect(room.inject.evidenceAudience).toEqual({ 'ev-legal-email': ['Legal'] });
    // Living text follows the decision's change to the variable.
    expect(room.inject.narrative).toContain('2,000,000');
    // The tokens died with the restart: the phones' grants still stand for them in dispatch.
    const legal = services.participation.view(blueLegal);
    expect(legal.room.inject?.withheld).toBeUndefined();
    expect(legal.room.inject?.evidence.map((e) => e.id)).toEqual(['ev-legal-email']);
    const tech = services.participation.view(blue);
    expect(tech.room.inject).toMatchObject({ id: 'i-notify', withheld: true, narrative: '', evidence: [], audience: ['Legal', 'Communications'] });
    // Nothing of another role's inject reaches the phone but its label, not even its title.
    expect(JSON.stringify(tech)).not.toContain('Counsel on notification');
  });
});

describe('the debrief and the report', () => {
  it("list every reveal on the team's timeline and in the report, and quote option outcomes with the team's values", async () => {
    const debrief = await ok<{
      teams: Array<{ id: string; timeline: Array<{ kind: string; id?: string; by?: string; requestedBy?: string | null }>; decisions: Array<{ outcome: string | null }> }>;
    }>('debrief.get', { sessionId });
    const blueTeam = debrief.teams.find((t) => t.id === 'team-1')!;
    expect(blueTeam.timeline.filter((i) => i.kind === 'evidence')).toEqual([expect.objectContaining({ id: 'ev-create-key', by: 'facilitator', requestedBy: null })]);
    const redTeam = debrief.teams.find((t) => t.id === 'team-2')!;
    expect(redTeam.timeline.filter((i) => i.kind === 'evidence')).toEqual([expect.objectContaining({ id: 'ev-vpc-log', by: 'participant', requestedBy: 'Rob' })]);
    // Blue chose "wait", which set records to 2,000,000: the outcome quotes the value after the choice.
    expect(blueTeam.decisions[0]!.outcome).toBe('The copy keeps running: now 2,000,000 records.');
    const report = await ok<{ reveals: Array<{ team: string; text: string }> }>('reports.aar', { sessionId });
    expect(report.reveals.map((r) => `${r.team}: ${r.text}`)).toEqual([
      'Blue: Evidence revealed at 00:00 by the facilitator: CloudTrail: the second access key',
      'Red: Evidence revealed at 00:00 on request of Rob: Outbound traffic from the build host',
    ]);
  });
});
