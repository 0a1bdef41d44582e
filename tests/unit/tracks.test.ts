import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LogEvent, NewLogEvent, SessionConfig } from '../../src-main/core/engine/events.ts';
import { compileScenario, MINUTE_MS } from '../../src-main/core/engine/machine.ts';
import { rehearse } from '../../src-main/core/engine/rehearse.ts';
import { computeDebrief } from '../../src-main/core/debrief/compute.ts';
import { scenarioMselCsv } from '../../src-main/core/msel/export.ts';
import { whatIf } from '../../src-main/core/report/what-if.ts';
import { stoppedClock } from '../../src-main/core/engine/clock.ts';
import { presenterView } from '../../src-main/core/presenter.ts';
import { openDecisionsOf } from '../../src-main/core/participants.ts';
import { SessionEngine } from '../../src-main/core/engine/session.ts';
import { EngineRejection, TeamEngine } from '../../src-main/core/engine/team.ts';
import { exitsOf } from '../../src-main/core/scenario/graph.ts';
import type { Scenario } from '../../src-main/core/scenario/schema.ts';
import { trackOf, tracksOf } from '../../src-main/core/scenario/tracks.ts';
import { parseScenarioText, type ValidationResult } from '../../src-main/core/scenario/validate.ts';
import { FIXTURES_DIR, sample } from '../fixtures/scenarios/build.ts';

const MIN = MINUTE_MS;
const TEXT = readFileSync(join(FIXTURES_DIR, 'two-tracks.json'), 'utf8');
type Json = Record<string, any>;
const input = (): Json => JSON.parse(TEXT) as Json;

function load(): Scenario {
  const result = parseScenarioText(TEXT);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.scenario;
}

function check(value: Json): ValidationResult {
  return parseScenarioText(JSON.stringify(value));
}

function errors(result: ValidationResult): Array<{ pointer: string; message: string }> {
  if (result.ok) throw new Error('expected the scenario to be rejected');
  return result.errors;
}

const indexOf = (value: Json, id: string): number => (value.timeline as Json[]).findIndex((n) => n.id === id);

describe('parallel tracks: validation', () => {
  it('accepts the two-track fixture and gives every node one track', () => {
    const scenario = load();
    expect(tracksOf(scenario).map((t) => [t.id, t.lead])).toEqual([
      ['technical', true],
      ['executive', false],
    ]);
    expect(trackOf(scenario, 'tb1')).toBe('technical');
    expect(trackOf(scenario, 'xd2')).toBe('executive');
  });

  it('gives a scenario without tracks one implicit track with no title', () => {
    const scenario = parseScenarioText(JSON.stringify(sample()));
    if (!scenario.ok) throw new Error('sample invalid');
    expect(tracksOf(scenario.scenario)).toEqual([{ id: 'main', title: null, start: scenario.scenario.start, roles: [], lead: true }]);
  });

  it('refuses tracks in a version-1 file, naming the construct', () => {
    const value = { ...input(), formatVersion: 1 };
    expect(errors(check(value))).toEqual([{ pointer: '/tracks', message: 'Parallel tracks ("tracks") needs "formatVersion": 1.1 (this file declares 1)' }]);
  });

  it('refuses a node reached from two tracks, naming both, once where they meet', () => {
    const value = input();
    // The executive track's memo leads into the technical track's restore decision.
    value.timeline[indexOf(value, 'x3internal')].next = 'td2';
    const found = errors(check(value));
    expect(found).toContainEqual({
      pointer: `/timeline/${indexOf(value, 'td2')}`,
      message:
        'node "td2" is reached from two tracks, "technical" (from "t1") and "executive" (from "x1"); every node belongs to exactly one track, so no track may lead into another\'s nodes',
    });
    // Reported where the tracks meet, not again at every node after it.
    expect(found.filter((e) => e.message.includes('reached from two tracks'))).toHaveLength(1);
  });

  it('refuses a lead track that does not start at the scenario start', () => {
    const value = input();
    value.tracks = [value.tracks[1], value.tracks[0]];
    expect(errors(check(value))).toContainEqual({
      pointer: '/tracks/0/start',
      message: 'the first track ("executive") is the lead track and begins where the scenario begins: its "start" must be "t1" (the scenario\'s "start"), not "x1"',
    });
  });

  it('refuses repeated track ids, unknown starts and roles', () => {
    const value = input();
    value.tracks[1].id = 'technical';
    value.tracks[1].roles = ['cfo'];
    expect(errors(check(value))).toContainEqual({
      pointer: '/tracks/1/id',
      message: 'the id "technical" is already used by another track (/tracks/0); ids must be unique',
    });
    expect(errors(check(value))).toContainEqual({ pointer: '/tracks/1/roles/0', message: 'refers to "cfo", but no role has that id' });
    const unknown = input();
    unknown.tracks[1].start = 'x9';
    expect(errors(check(unknown))).toContainEqual({ pointer: '/tracks/1/start', message: 'refers to "x9", but no timeline node has that id (did you mean "x1"?)' });
  });

  it('refuses a node no track reaches, naming every track start', () => {
    const value = input();
    value.timeline.push({ type: 'end', id: 'orphan', title: 'Orphan', outcome: 'Never.', result: 'partial' });
    expect(errors(check(value))).toEqual([
      { pointer: `/timeline/${value.timeline.length - 1}`, message: 'node "orphan" can never be reached: no path from the start of any track ("t1", "x1") leads to it' },
    ]);
  });

  it('refuses a track whose nodes cannot reach an end of it', () => {
    const value = input();
    // The executive's regulator decision loops back to itself with no way out.
    const xd2 = value.timeline[indexOf(value, 'xd2')];
    xd2.options[0].next = 'xd2';
    xd2.options[1].next = 'xd2';
    expect(errors(check(value))).toContainEqual({
      pointer: `/timeline/${indexOf(value, 'xd2')}`,
      message: 'node "xd2" leads only back to itself: a loop with no way out to an end node',
    });
  });

  it('is documented with the fixture, exactly', () => {
    const doc = readFileSync(join(FIXTURES_DIR, '../../../docs/scenario-format.md'), 'utf8');
    const block = /<!-- two-tracks:start -->\n```json\n([\s\S]*?)\n```\n<!-- two-tracks:end -->/.exec(doc);
    expect(block, 'the marked example block is missing').not.toBeNull();
    expect(block![1]).toBe(TEXT.trimEnd());
  });

  it("lists the exits of every kind of node in the author's order", () => {
    const scenario = load();
    const kinds = (id: string) => exitsOf(scenario.timeline.find((n) => n.id === id)!).map((e) => `${e.kind}:${e.next}`);
    expect(kinds('t1')).toEqual(['next:td1']);
    expect(kinds('td1')).toEqual(['option:t2', 'option:t2']);
    expect(kinds('tb1')).toEqual(['case:t3hold', 'otherwise:t3wipe']);
    expect(kinds('tend')).toEqual([]);
  });
});

function config(teams = ['red']): SessionConfig {
  return {
    name: 'Tracks',
    facilitator: 'Fac',
    sensitivity: 'TLP:CLEAR',
    scenarioId: 'two-tracks',
    scenarioVersion: '1.0.0',
    scenarioSha256: '0'.repeat(64),
    seed: 'seed-1',
    speed: 1,
    teams: teams.map((id) => ({ id, name: id, participants: [] })),
    milestoneTargets: {},
  };
}

class Log {
  events: LogEvent[] = [];
  push(batch: NewLogEvent[]): NewLogEvent[] {
    for (const e of batch) this.events.push({ ...e, sessionId: 's', seq: this.events.length + 1, prevHash: '', hash: '' });
    return batch;
  }
}

const decide = (decisionId: string, optionId: string) => ({ type: 'decision.recorded' as const, payload: { decisionId, optionId, rationale: 'r', decidedBy: 'x' } });

describe('parallel tracks: the engine', () => {
  const scenario = load();
  const compiled = compileScenario(scenario);

  it('advances both tracks on one clock, each with its own position', () => {
    const team = new TeamEngine(compiled, 'red', 'seed');
    expect(team.start().map((e) => e.event)).toEqual([
      { type: 'inject.delivered', payload: { nodeId: 't1' } },
      { type: 'decision.opened', payload: { nodeId: 'td1' } },
    ]);
    expect(team.nextDueMs()).toBe(5 * MIN); // the executive track's first inject
    expect(team.advanceTo(6 * MIN)).toEqual([
      { event: { type: 'inject.delivered', payload: { nodeId: 'x1' } }, scenarioMs: 5 * MIN },
      { event: { type: 'decision.opened', payload: { nodeId: 'xd1' } }, scenarioMs: 5 * MIN },
    ]);
    expect(team.tracks.map((t) => [t.track.id, t.node?.id, t.position.currentInject, t.position.openDecision])).toEqual([
      ['technical', 'td1', 't1', { id: 'td1', openedAt: 0 }],
      ['executive', 'xd1', 'x1', { id: 'xd1', openedAt: 5 * MIN }],
    ]);
  });

  it('keeps two decisions open at once and takes them in either order', () => {
    const team = new TeamEngine(compiled, 'red', 'seed');
    team.start();
    team.advanceTo(6 * MIN);
    expect(team.openDecisions().map((d) => d.id)).toEqual(['td1', 'xd1']);
    team.command(decide('xd1', 'hold'));
    expect(team.openDecisions().map((d) => d.id)).toEqual(['td1']);
    expect(team.context.vars.legalHold).toBe(true);
    expect(() => team.command(decide('xd1', 'hold'))).toThrow(new EngineRejection('conflict', 'Decision xd1 is not open for this team (the open decision is td1).', '/decisionId'));
    team.command(decide('td1', 'revoke'));
    expect(team.openDecisions()).toEqual([]);
  });

  it('lets a variable set in one track decide a branch in the other', () => {
    const run = (hold: string, key: string) => {
      const team = new TeamEngine(compiled, 'red', 'seed');
      team.start();
      team.advanceTo(6 * MIN);
      team.command(decide('xd1', hold));
      team.command(decide('td1', key));
      team.advanceTo(31 * MIN);
      return team.context.path;
    };
    expect(run('hold', 'revoke')).toEqual(expect.arrayContaining(['t3hold', 'x3internal']));
    expect(run('nohold', 'watch')).toEqual(expect.arrayContaining(['t3wipe', 'x3notify']));
    expect(run('nohold', 'watch')).not.toContain('t3hold');
  });

  it('times a decision out in its own track only', () => {
    const team = new TeamEngine(compiled, 'red', 'seed');
    team.start();
    const events = team.advanceTo(11 * MIN);
    expect(events.find((e) => e.event.type === 'decision.timedOut')).toEqual({
      event: { type: 'decision.timedOut', payload: { decisionId: 'td1', optionId: 'revoke' } },
      scenarioMs: 10 * MIN,
    });
    expect(team.openDecisions().map((d) => d.id)).toEqual(['xd1']);
  });

  it('finishes a track on its own end node, and ends the team when the lead track ends', () => {
    const team = new TeamEngine(compiled, 'red', 'seed');
    team.start();
    team.advanceTo(6 * MIN);
    team.command(decide('xd1', 'hold'));
    team.command(decide('td1', 'revoke'));
    const atThirty = team.advanceTo(30 * MIN);
    expect(atThirty.map((e) => e.event)).toContainEqual({ type: 'track.ended', payload: { nodeId: 'xend', result: 'success' } });
    expect(team.context.ended).toBeNull();
    expect(team.tracks[1]!.position.ended).toEqual({ nodeId: 'xend', at: 30 * MIN });
    team.command(decide('td2', 'restore'));
    const end = team.advanceTo(45 * MIN);
    expect(end.at(-1)).toEqual({ event: { type: 'team.ended', payload: { nodeId: 'tend', result: 'success' } }, scenarioMs: 40 * MIN });
    expect(team.context.ended).toEqual({ nodeId: 'tend', at: 40 * MIN });
    expect(team.nextDueMs()).toBeNull();
  });

  it('stops the other tracks when the lead track ends first', () => {
    const team = new TeamEngine(compiled, 'red', 'seed');
    team.start();
    team.advanceTo(6 * MIN);
    team.command(decide('td1', 'watch')); // many records: the executives face the regulator decision
    team.command(decide('xd1', 'nohold'));
    team.advanceTo(30 * MIN);
    expect(
      team
        .openDecisions()
        .map((d) => d.id)
        .sort(),
    ).toEqual(['td2', 'xd2']);
    team.command(decide('td2', 'restore'));
    team.advanceTo(40 * MIN);
    expect(team.context.ended?.nodeId).toBe('tend');
    expect(team.openDecisions()).toEqual([]);
    expect(() => team.command(decide('xd2', 'notify'))).toThrow(/already reached the end/);
  });

  it('replays a two-team, two-track session exactly, undo included', () => {
    const log = new Log();
    const { engine, events } = SessionEngine.create(scenario, config(['red', 'blue']), 0);
    log.push(events);
    log.push(engine.start(1_000));
    log.push(engine.tick(6 * MIN + 1_000));
    log.push(engine.teamCommand('red', decide('xd1', 'hold'), 7 * MIN));
    log.push(engine.teamCommand('red', decide('td1', 'revoke'), 7 * MIN + 500));
    log.push(engine.teamCommand('blue', decide('td1', 'watch'), 8 * MIN));
    const undone = log.events.at(-1)!;
    log.push(engine.correct(undone, 'wrong option', 8 * MIN + 100));
    log.push(engine.teamCommand('blue', decide('td1', 'revoke'), 8 * MIN + 200));
    log.push(engine.tick(31 * MIN));
    log.push(engine.teamCommand('red', decide('td2', 'restore'), 32 * MIN));
    log.push(engine.pause(33 * MIN));

    const replayed = SessionEngine.replay(scenario, log.events);
    for (const id of ['red', 'blue']) {
      expect(replayed.team(id).persisted()).toEqual(engine.team(id).persisted());
      expect(replayed.team(id).context.path).toEqual(engine.team(id).context.path);
    }
    expect(JSON.parse(replayed.team('red').persisted().value)).toEqual({ t0: expect.stringMatching(/^n\d+$/), t1: expect.stringMatching(/^n\d+$/) });
    // After a restart the session goes on from the replayed engine just as it would have.
    const live = engine.resume(40 * MIN);
    const again = replayed.resume(40 * MIN);
    expect(again).toEqual(live);
    expect(replayed.tick(80 * MIN)).toEqual(engine.tick(80 * MIN));
    expect(replayed.team('red').context.ended?.nodeId).toBe('tend');
  });

  it("undoes a decision in one track while the other track's decision stays open", () => {
    const team = new TeamEngine(compiled, 'red', 'seed');
    team.start();
    team.advanceTo(6 * MIN);
    team.command(decide('td1', 'watch'));
    expect(team.context.vars.recordsExposed).toBe(41_000);
    team.undo();
    expect(team.context.vars.recordsExposed).toBe(1_000);
    expect(team.openDecisions().map((d) => d.id)).toEqual(['td1', 'xd1']);
    expect(team.context.path.at(-1)).toBe('xd1');
  });

  it('rehearses every track to its end', () => {
    const result = rehearse(scenario, { seed: 's', choices: { td1: 'watch', xd2: 'notify' } });
    expect(result.ended).toBe('tend');
    expect(result.path).toEqual(expect.arrayContaining(['x3notify', 'xd2', 'xend']));
    expect(result.objectives.notify).toBe(30 * MIN);
    expect(result.tracks?.map((t) => [t.id, t.ended, t.result, t.path[0]])).toEqual([
      ['technical', 'tend', 'success', 't1'],
      ['executive', 'xend', 'success', 'x1'],
    ]);
    // A scenario without tracks reports none (its --json output is unchanged).
    const v1 = parseScenarioText(JSON.stringify(sample()));
    if (!v1.ok) throw new Error('sample invalid');
    expect(rehearse(v1.scenario, { seed: 's', choices: 'default' })).not.toHaveProperty('tracks');
  });

  it("debriefs each track's path, both decisions open at once included", () => {
    const log = new Log();
    const { engine, events } = SessionEngine.create(scenario, config(['red']), 0);
    log.push(events);
    log.push(engine.start(0));
    log.push(engine.tick(6 * MIN));
    log.push(engine.teamCommand('red', decide('xd1', 'hold'), 7 * MIN));
    log.push(engine.teamCommand('red', decide('td1', 'revoke'), 8 * MIN));
    log.push(engine.tick(31 * MIN));
    log.push(engine.teamCommand('red', decide('td2', 'restore'), 32 * MIN));
    log.push(engine.tick(41 * MIN));
    const team = computeDebrief(scenario, log.events).teams[0]!;
    expect(team.decisions.map((d) => [d.decisionId, d.status, d.injectId])).toEqual([
      ['td1', 'decided', 't1'],
      ['xd1', 'decided', 'x1'],
      ['td2', 'decided', 't3hold'],
    ]);
    expect(team.ended?.nodeId).toBe('tend');
    expect(team.tracks?.map((t) => [t.id, t.path.map((p) => p.nodeId), t.ended?.result])).toEqual([
      ['technical', ['t1', 'td1', 't2', 't3hold', 'td2', 't4good', 'tend'], 'success'],
      ['executive', ['x1', 'xd1', 'x2', 'x3internal', 'xend'], 'success'],
    ]);
  });

  it('replays a what-if with two decisions open at once: the other legal-hold choice changes the technical track', () => {
    const log = new Log();
    const { engine, events } = SessionEngine.create(scenario, { ...config(['red']), speed: 1 }, 0);
    log.push(events);
    log.push(engine.start(0));
    log.push(engine.tick(6 * MIN));
    log.push(engine.teamCommand('red', decide('xd1', 'hold'), 7 * MIN));
    log.push(engine.teamCommand('red', decide('td1', 'revoke'), 8 * MIN));
    log.push(engine.tick(31 * MIN));
    log.push(engine.teamCommand('red', decide('td2', 'restore'), 32 * MIN));
    log.push(engine.tick(41 * MIN));
    const debrief = computeDebrief(scenario, log.events);
    const w = whatIf(scenario, log.events, debrief, { teamId: 'red', decisionId: 'xd1', visit: 1, optionId: 'nohold' });
    const titles = (side: typeof w.actual) => side.path.map((step) => step.title);
    expect(titles(w.actual)).toContain('Snapshots kept for counsel');
    expect(titles(w.alternative)).toContain('Instances reimaged');
    expect(titles(w.alternative)).not.toContain('Snapshots kept for counsel');
    // The technical decisions are taken as they were, after as long.
    expect(w.alternative.ending?.title).toBe('Recovered cleanly');
  });

  it('puts each track on the projector, allow-listed, and every open decision on the phones', () => {
    const secret = 'FACILITATOR-ONLY';
    const withNotes = parseScenarioText(
      JSON.stringify({
        ...input(),
        timeline: input().timeline.map((n: Json) =>
          n.type === 'inject'
            ? { ...n, facilitatorNotes: `${secret} notes`, expectedActions: [`${secret} action`] }
            : n.type === 'decision'
              ? { ...n, facilitatorNotes: `${secret} notes` }
              : n,
        ),
      }),
    );
    if (!withNotes.ok) throw new Error(JSON.stringify(withNotes.errors));
    const base = { sessionId: 's', sessionName: 'Drill', status: 'running' as const, clock: stoppedClock(1), sensitivity: 'TLP:CLEAR', team: { id: 'red', name: 'Red' } };
    const open = { id: 'td1', openedAtMs: 0, deadlineMs: 10 * MIN };
    const view = presenterView(withNotes.scenario, {
      ...base,
      latest: { kind: 'inject', id: 'x1', atMs: 5 * MIN },
      openDecision: open,
      endedAt: null,
      tracks: [
        { id: 'technical', title: 'Technical response', latest: { id: 't1', atMs: 0 }, openDecision: open, endedAt: null },
        { id: 'executive', title: 'Executive & legal', latest: { id: 'x1', atMs: 5 * MIN }, openDecision: { id: 'xd1', openedAtMs: 5 * MIN, deadlineMs: null }, endedAt: null },
      ],
    });
    expect(view.tracks.map((t) => [t.title, t.inject?.id, t.decision?.id])).toEqual([
      ['Technical response', 't1', 'td1'],
      ['Executive & legal', 'x1', 'xd1'],
    ]);
    expect(JSON.stringify(view)).not.toContain(secret);
    expect(JSON.stringify(view)).not.toMatch(/recommended|rationale/);
    expect(openDecisionsOf(view).map((d) => d.id)).toEqual(['td1', 'xd1']);
    // One track: no tracks on the projector, exactly as before.
    const single = presenterView(withNotes.scenario, {
      ...base,
      latest: null,
      openDecision: open,
      endedAt: null,
      tracks: [{ id: 'main', title: null, latest: null, openDecision: open, endedAt: null }],
    });
    expect(single.tracks).toEqual([]);
    expect(openDecisionsOf(single).map((d) => d.id)).toEqual(['td1']);
  });

  it('writes a Track column in the MSEL of a scenario with tracks only', () => {
    const [header, first] = scenarioMselCsv(scenario).split('\r\n');
    expect(header).toContain('Scenario time,Track,Type');
    expect(first).toContain(',00:00,Technical response,');
    const v1 = parseScenarioText(JSON.stringify(sample()));
    if (!v1.ok) throw new Error('sample invalid');
    expect(scenarioMselCsv(v1.scenario).split('\r\n')[0]).not.toContain('Track');
  });
});
