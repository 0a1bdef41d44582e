import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../src-main/app/dispatch.ts';
import { call, cleanup, facilitator, setup } from '../helpers/runner.ts';

const MIN = 60_000;
afterEach(cleanup);

describe('session runner', () => {
  it('runs a session through the contract, recording every event durably and in order', async () => {
    const { open, clock } = setup();
    const services = open();
    const pushed: number[] = [];
    services.events.subscribe({ role: 'facilitator' }, (e) => e.name === 'session.changed' && pushed.push(e.payload.seq));
    const created = await call(services, 'sessions.create', {
      scenarioId: 'engine-test',
      name: 'Tuesday drill',
      facilitator: 'Ana',
      teams: [{ name: 'Red', participants: [{ name: 'Kim', role: 'Incident commander' }] }, { name: 'Blue' }],
      seed: 'fixed',
      milestoneTargets: { contained: 20 },
    });
    expect(created.status).toBe('setup');
    expect(created.teams.map((t: any) => t.id)).toEqual(['team-1', 'team-2']);
    expect(created.milestoneTargets.contained).toBe(20 * MIN);
    const id = created.id;

    await call(services, 'sessions.start', { sessionId: id });
    let state = await call(services, 'sessions.get', { sessionId: id });
    expect(state.teams[0].currentInject).toBe('i1');

    // The timer delivers i2 at scenario minute 10 without anyone acting.
    clock.advance(10 * MIN + 5);
    state = await call(services, 'sessions.get', { sessionId: id });
    expect(state.teams[0].currentInject).toBe('i2');
    expect(state.teams[0].openDecision).toEqual({ id: 'd1', openedAtMs: 10 * MIN, deadlineMs: 15 * MIN, availableOptions: ['now', 'wait'] });

    const ack = await call(services, 'sessions.recordDecision', {
      sessionId: id,
      teamId: 'team-1',
      decisionId: 'd1',
      optionId: 'now',
      rationale: 'Revoke the key now; production can take it.',
      decidedBy: 'Kim (IC)',
    });
    expect(ack.seq).toBeGreaterThan(0);
    expect(pushed.at(-1)).toBe(ack.seq);
    const log = await call(services, 'sessions.events', { sessionId: id });
    expect(log.at(-1).seq).toBe(ack.seq);
    const decision = log.find((e: any) => e.type === 'decision.recorded');
    expect(decision).toMatchObject({ teamId: 'team-1', payload: { optionId: 'now', rationale: 'Revoke the key now; production can take it.', decidedBy: 'Kim (IC)' } });
    expect(log.map((e: any) => e.seq)).toEqual(log.map((_: any, i: number) => i + 1));
    expect(services.sessions.verify(id)).toMatchObject({ ok: true });
  });

  it('refuses actions that do not apply with typed errors and records nothing for them', async () => {
    const { open } = setup();
    const services = open();
    const { id } = await call(services, 'sessions.create', { scenarioId: 'engine-test', name: 'x', facilitator: 'y', teams: [{ name: 'A' }] });
    const before: number = (await call(services, 'sessions.events', { sessionId: id })).length;
    const early = await dispatch(services, 'sessions.pause', { sessionId: id }, facilitator);
    expect(early).toMatchObject({ ok: false, error: { code: 'conflict' } });
    await call(services, 'sessions.start', { sessionId: id });
    const wrong = await dispatch(services, 'sessions.recordDecision', { sessionId: id, teamId: 'team-1', decisionId: 'd1', optionId: 'now' }, facilitator);
    expect(wrong).toMatchObject({ ok: false, error: { code: 'conflict', path: '/decisionId' } });
    const noTeam = await dispatch(services, 'sessions.markMilestone', { sessionId: id, teamId: 'team-9', milestoneId: 'detected' }, facilitator);
    expect(noTeam).toMatchObject({ ok: false, error: { code: 'not_found', path: '/teamId' } });
    const noSession = await dispatch(services, 'sessions.get', { sessionId: 'nope' }, facilitator);
    expect(noSession).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const badTarget = await dispatch(
      services,
      'sessions.create',
      { scenarioId: 'engine-test', name: 'x', facilitator: 'y', teams: [{ name: 'A' }], milestoneTargets: { nope: 3 } },
      facilitator,
    );
    expect(badTarget).toMatchObject({ ok: false, error: { code: 'invalid_input', path: '/milestoneTargets/nope' } });
    const tooMany = await dispatch(
      services,
      'sessions.create',
      { scenarioId: 'engine-test', name: 'x', facilitator: 'y', teams: Array.from({ length: 7 }, (_, i) => ({ name: `T${i}` })) },
      facilitator,
    );
    expect(tooMany).toMatchObject({ ok: false, error: { code: 'invalid_input', path: '/teams' } });
    const after = (await call(services, 'sessions.events', { sessionId: id })).length;
    expect(after).toBe(before + 2); // session.started + the first inject
  });

  it('comes back after a restart paused at the scenario time of its last event, ready to resume', async () => {
    const { open, clock } = setup();
    const first = open();
    const { id } = await call(first, 'sessions.create', { scenarioId: 'engine-test', name: 'x', facilitator: 'y', teams: [{ name: 'A' }], seed: 's' });
    await call(first, 'sessions.start', { sessionId: id });
    clock.advance(10 * MIN);
    await call(first, 'sessions.markMilestone', { sessionId: id, teamId: 'team-1', milestoneId: 'detected' });
    const before = await call(first, 'sessions.get', { sessionId: id });
    first.close(); // the process goes away (a crash is tested in crash-safety.test.ts)
    clock.advance(20 * MIN); // long enough for the open decision's time limit to have run out, had the clock kept going

    const second = open();
    second.sessions.recover();
    const after = await call(second, 'sessions.get', { sessionId: id });
    expect(after.status).toBe('paused');
    expect(after.clock.anchorScenarioMs).toBe(10 * MIN);
    expect(after.teams[0].milestones).toEqual(before.teams[0].milestones);
    expect(after.teams[0].path).toEqual(before.teams[0].path);
    expect(after.teams[0].openDecision).toEqual(before.teams[0].openDecision);
    const log = await call(second, 'sessions.events', { sessionId: id });
    expect(log.map((e: any) => e.type)).not.toContain('decision.timedOut');
    expect(log.at(-1)).toMatchObject({ type: 'clock.paused', scenarioMs: 10 * MIN });
    await call(second, 'sessions.resume', { sessionId: id });
    clock.advance(5 * MIN);
    const resumed = await call(second, 'sessions.get', { sessionId: id });
    expect(resumed.teams[0].choices).toEqual({ d1: 'now' }); // the time limit ran out at scenario minute 15
    expect(second.sessions.verify(id)).toMatchObject({ ok: true });
  });
});

describe('undo', () => {
  async function running() {
    const { open, clock } = setup();
    const services = open();
    const { id } = await call(services, 'sessions.create', { scenarioId: 'engine-test', name: 'x', facilitator: 'y', teams: [{ name: 'A' }, { name: 'B' }], seed: 's' });
    await call(services, 'sessions.start', { sessionId: id });
    clock.advance(10 * MIN);
    return { services, clock, id };
  }

  it('rolls back a decision and what it caused, recording a correcting event', async () => {
    const { services, id } = await running();
    const before = await call(services, 'sessions.get', { sessionId: id });
    const ack: { seq: number } = await call(services, 'sessions.recordDecision', { sessionId: id, teamId: 'team-1', decisionId: 'd1', optionId: 'wait', rationale: 'oops' });
    const undone = await call(services, 'sessions.undo', { sessionId: id, teamId: 'team-1' });
    expect(undone.corrected.type).toBe('decision.recorded');
    expect(undone.seq).toBe(ack.seq + 1);
    const after = await call(services, 'sessions.get', { sessionId: id });
    expect(after.teams[0].openDecision).toEqual(before.teams[0].openDecision);
    expect(after.teams[0].variables).toEqual(before.teams[0].variables);
    expect(after.teams[0].path).toEqual(before.teams[0].path);
    // The team can now decide again, and the whole log still replays.
    await call(services, 'sessions.recordDecision', { sessionId: id, teamId: 'team-1', decisionId: 'd1', optionId: 'now', rationale: 'right one' });
    const log = await call(services, 'sessions.events', { sessionId: id });
    expect(log.filter((e: any) => e.type === 'decision.recorded').map((e: any) => e.payload.optionId)).toEqual(['wait', 'now']);
    expect(log.find((e: any) => e.type === 'event.corrected').payload.correctedSeq).toBeLessThan(undone.seq);
    expect(services.sessions.verify(id)).toMatchObject({ ok: true });
  });

  it("still undoes a team's decision after hundreds of participants' records were appended since", async () => {
    const { services, id } = await running();
    await call(services, 'sessions.recordDecision', { sessionId: id, teamId: 'team-1', decisionId: 'd1', optionId: 'wait', rationale: 'oops' });
    const { code } = await call(services, 'sessions.openParticipation', { sessionId: id });
    // A full room joining and asking: none of it moves the team on.
    for (let i = 0; i < 150; i++) {
      const phone = services.participation.join({ code, name: `P${i}`, teamId: 'team-1' }, `192.0.2.${i}`);
      services.participation.ask({ role: 'participant', sessionId: id, teamId: 'team-1', participantId: phone.participantId }, 'Why wait?');
    }
    const undone = await call(services, 'sessions.undo', { sessionId: id, teamId: 'team-1' });
    expect(undone.corrected.type).toBe('decision.recorded');
    expect(services.sessions.verify(id)).toMatchObject({ ok: true });
  });

  it('undoes a note and a milestone, once, and refuses when time has moved on', async () => {
    const { services, clock, id } = await running();
    await call(services, 'sessions.addNote', { sessionId: id, teamId: 'team-2', text: 'Wrong team', rating: 'U', objectiveId: 'obj1' });
    expect((await call(services, 'sessions.undo', { sessionId: id, teamId: 'team-2' })).corrected.type).toBe('note.added');
    const again = await dispatch(services, 'sessions.undo', { sessionId: id, teamId: 'team-2' }, facilitator);
    expect(again).toMatchObject({ ok: false, error: { code: 'conflict' } });

    await call(services, 'sessions.markMilestone', { sessionId: id, teamId: 'team-1', milestoneId: 'detected' });
    await call(services, 'sessions.undo', { sessionId: id, teamId: 'team-1' });
    expect((await call(services, 'sessions.get', { sessionId: id })).teams[0].milestones.detected).toBeNull();

    await call(services, 'sessions.markMilestone', { sessionId: id, teamId: 'team-1', milestoneId: 'detected' });
    clock.advance(6 * MIN); // the decision's time limit runs out: the team has moved on
    const late = await dispatch(services, 'sessions.undo', { sessionId: id, teamId: 'team-1' }, facilitator);
    expect(late).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringContaining('moved on') } });
    expect(services.sessions.verify(id)).toMatchObject({ ok: true });
  });
});

describe('what the screens see', () => {
  it('shows nothing delivered before the start, and no open decision after the end', async () => {
    const { open, clock } = setup();
    const services = open();
    const { id } = await call(services, 'sessions.create', { scenarioId: 'engine-test', name: 'x', facilitator: 'y', teams: [{ name: 'A' }] });
    const before = await call(services, 'sessions.get', { sessionId: id });
    expect(before.teams[0]).toMatchObject({ currentInject: null, nodeId: null, openDecision: null, nextInjectMs: null, path: [] });
    expect((await call(services, 'presenter.view', { sessionId: id, teamId: 'team-1' })).inject).toBeNull();
    await call(services, 'sessions.start', { sessionId: id });
    clock.advance(10 * MIN);
    expect((await call(services, 'presenter.view', { sessionId: id, teamId: 'team-1' })).decision?.id).toBe('d1');
    await call(services, 'sessions.end', { sessionId: id });
    const after = await call(services, 'sessions.get', { sessionId: id });
    expect(after.teams[0].openDecision).toBeNull();
    expect((await call(services, 'presenter.view', { sessionId: id, teamId: 'team-1' })).decision).toBeNull();
  });
});

describe('review fixes', () => {
  it('refuses to undo a decision once its time limit would have run out', async () => {
    const { open, clock } = setup();
    const services = open();
    const { id } = await call(services, 'sessions.create', { scenarioId: 'engine-test', name: 'x', facilitator: 'y', teams: [{ name: 'A' }], seed: 's' });
    await call(services, 'sessions.start', { sessionId: id });
    clock.advance(10 * MIN); // d1 opens at 10:00 with a 5-minute limit
    await call(services, 'sessions.recordDecision', { sessionId: id, teamId: 'team-1', decisionId: 'd1', optionId: 'wait' });
    clock.advance(6 * MIN); // past 15:00: undoing would reopen an overdue decision
    const late = await dispatch(services, 'sessions.undo', { sessionId: id, teamId: 'team-1' }, facilitator);
    expect(late).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const log = await call(services, 'sessions.events', { sessionId: id });
    expect(log.map((e: any) => e.type)).not.toContain('decision.timedOut');
    expect(log.map((e: any) => e.type)).not.toContain('event.corrected');
    // The refusal did not drop the session: it keeps running and verifies.
    expect(services.sessions.verify(id)).toMatchObject({ ok: true });
  });

  it('answers not_found for an unknown team on undo', async () => {
    const { open } = setup();
    const services = open();
    const { id } = await call(services, 'sessions.create', { scenarioId: 'engine-test', name: 'x', facilitator: 'y', teams: [{ name: 'A' }] });
    await call(services, 'sessions.start', { sessionId: id });
    expect(await dispatch(services, 'sessions.undo', { sessionId: id, teamId: 'team-9' }, facilitator)).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});
