/**
 * Richer rules (format 1.1): contingencies on conditions, after an inject and
 * repeating with a cooldown; conditional options; injects that set variables.
 * Run against tests/fixtures/rules/rules-scenario.json, which uses each rule.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LogEvent, NewLogEvent, SessionConfig } from '../../src-main/core/engine/events.ts';
import { compileScenario, MINUTE_MS } from '../../src-main/core/engine/machine.ts';
import { rehearse, RehearsalError, walkDecisionPaths } from '../../src-main/core/engine/rehearse.ts';
import { SessionEngine } from '../../src-main/core/engine/session.ts';
import { EngineRejection, TeamEngine } from '../../src-main/core/engine/team.ts';
import { computeDebrief } from '../../src-main/core/debrief/compute.ts';
import { scenarioMselRows } from '../../src-main/core/msel/export.ts';
import { whatIf, WhatIfError } from '../../src-main/core/report/what-if.ts';
import { presenterView } from '../../src-main/core/presenter.ts';
import { Contingency, TimelineNode, type Scenario, type ScenarioInput } from '../../src-main/core/scenario/schema.ts';
import { parseScenarioText, validateScenario } from '../../src-main/core/scenario/validate.ts';

const MIN = MINUTE_MS;
const FIXTURE = 'tests/fixtures/rules/rules-scenario.json';
const text = readFileSync(FIXTURE, 'utf8');

function load(): Scenario {
  const result = parseScenarioText(text);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.scenario;
}
const scenario = load();
const compiled = compileScenario(scenario);
const raw = (): ScenarioInput => JSON.parse(text) as ScenarioInput;

const fired = (events: Array<{ event: { type: string; payload: unknown }; scenarioMs: number }>) =>
  events.filter((e) => e.event.type === 'contingency.fired').map((e) => [(e.event.payload as { contingencyId: string }).contingencyId, e.scenarioMs / MIN]);

function config(): SessionConfig {
  return {
    name: 'Rules',
    facilitator: 'Fac',
    sensitivity: 'TLP:CLEAR',
    scenarioId: scenario.meta.id,
    scenarioVersion: scenario.meta.version,
    scenarioSha256: '0'.repeat(64),
    seed: 'rules',
    speed: 1,
    teams: [
      { id: 'red', name: 'Red', participants: [] },
      { id: 'blue', name: 'Blue', participants: [] },
    ],
    milestoneTargets: {},
  };
}

class Log {
  events: LogEvent[] = [];
  push(batch: NewLogEvent[]): void {
    for (const e of batch) this.events.push({ ...e, sessionId: 's', seq: this.events.length + 1, prevHash: '', hash: '' });
  }
}

describe('injects that set variables, read by a branch', () => {
  it('applies an inject’s effects as it is delivered, and the branch reads the result', () => {
    const team = new TeamEngine(compiled, 't', 'seed');
    team.start();
    expect(team.context.vars.records).toBe(5_000);
    team.advanceTo(5 * MIN);
    expect(team.context.vars.records).toBe(13_000);
    expect(team.context.score['phase:detection']).toBe(1);
    expect(team.context.delivered).toEqual({ 'i-exfil': 5 * MIN }); // the inject a contingency counts from
    team.command({ type: 'decision.recorded', payload: { decisionId: 'd-contain', optionId: 'revoke', rationale: '', decidedBy: '' } });
    // 13,000 > 10,000: the branch goes to the "big" inject.
    expect(team.node?.id).toBe('i-big');
  });

  it('logs milestones an inject reaches with the source "inject"', () => {
    const input = raw();
    (input.timeline[0] as { effects: unknown }).effects = { add: { records: 5000 }, milestones: ['detected'] };
    const result = validateScenario(input);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const team = new TeamEngine(compileScenario(result.scenario), 't', 'seed');
    expect(team.start().map((e) => e.event)).toEqual([
      { type: 'inject.delivered', payload: { nodeId: 'i-alert' } },
      { type: 'milestone.reached', payload: { milestoneId: 'detected', source: 'inject' } },
    ]);
  });
});

describe('contingencies on conditions, after an inject, repeating', () => {
  it('fires on a variable condition as soon as it holds, again after the cooldown, and no more than max', () => {
    const team = new TeamEngine(compiled, 't', 'seed');
    team.start();
    expect(team.context.contingencies['c-press']).toBeNull();
    const atFive = team.advanceTo(5 * MIN);
    expect(fired(atFive)).toEqual([['c-press', 5]]);
    expect(team.context.contingencies['c-press']).toEqual({ firedAt: 5 * MIN, manual: false, count: 1 });
    expect(team.nextDueMs()).toBe(10 * MIN); // the cooldown (and the decision's time limit at 15)
    team.command({ type: 'decision.recorded', payload: { decisionId: 'd-contain', optionId: 'revoke', rationale: '', decidedBy: '' } });
    const later = team.advanceTo(30 * MIN);
    expect(fired(later)).toEqual([
      ['c-press', 10],
      ['c-backup', 13],
    ]);
    expect(team.context.contingencies['c-press']).toEqual({ firedAt: 10 * MIN, manual: false, count: 2 });
  });

  it('counts "after" from the inject’s delivery and fires only if its condition still holds', () => {
    const watched = new TeamEngine(compiled, 't', 'seed');
    watched.start();
    watched.advanceTo(5 * MIN);
    watched.command({ type: 'decision.recorded', payload: { decisionId: 'd-contain', optionId: 'watch', rationale: '', decidedBy: '' } });
    expect(fired(watched.advanceTo(30 * MIN)).map(([id]) => id)).not.toContain('c-backup'); // never contained
    expect(watched.context.vars.backupsVerified).toBe(false);

    const revoked = new TeamEngine(compiled, 't', 'seed');
    revoked.start();
    revoked.advanceTo(5 * MIN);
    revoked.command({ type: 'decision.recorded', payload: { decisionId: 'd-contain', optionId: 'revoke', rationale: '', decidedBy: '' } });
    expect(revoked.nextDueMs()).toBe(10 * MIN);
    revoked.advanceTo(12 * MIN);
    expect(revoked.context.contingencies['c-backup']).toBeNull();
    const events = revoked.advanceTo(13 * MIN);
    expect(events.map((e) => [e.event.type, e.scenarioMs / MIN])).toEqual([
      ['contingency.fired', 13],
      ['objective.demonstrated', 13],
    ]);
    // The contingency's effects: a variable set and an objective demonstrated.
    expect(revoked.context.vars.backupsVerified).toBe(true);
    expect(revoked.context.objectives['obj-backups']).toBe(13 * MIN);
  });

  it('keeps the version-1 deadline form working beside the new ones', () => {
    const team = new TeamEngine(compiled, 't', 'seed');
    team.start();
    team.advanceTo(5 * MIN);
    team.command({ type: 'decision.recorded', payload: { decisionId: 'd-contain', optionId: 'revoke', rationale: '', decidedBy: '' } });
    expect(fired(team.advanceTo(45 * MIN))).toEqual([
      ['c-press', 10],
      ['c-backup', 13],
      ['c-deadline', 40],
    ]);
  });

  it('lets the facilitator fire a repeating contingency by hand until its max, and restarts the cooldown', () => {
    const team = new TeamEngine(compiled, 't', 'seed');
    team.start();
    team.advanceTo(2 * MIN);
    expect(team.command({ type: 'contingency.triggered', payload: { contingencyId: 'c-press' } }).map((e) => e.event)).toEqual([
      { type: 'contingency.fired', payload: { contingencyId: 'c-press', manual: true } },
    ]);
    // Its condition holds from minute 5, but the cooldown from the manual firing at 2 runs to 7.
    expect(fired(team.advanceTo(6 * MIN))).toEqual([]);
    expect(fired(team.advanceTo(7 * MIN))).toEqual([['c-press', 7]]);
    expect(team.context.contingencies['c-press']?.count).toBe(2);
    expect(() => team.command({ type: 'contingency.triggered', payload: { contingencyId: 'c-press' } })).toThrow(/already fired 2 times, its most/);
  });

  it('does not fire a non-repeating contingency twice, by hand or by itself', () => {
    const team = new TeamEngine(compiled, 't', 'seed');
    team.start();
    team.command({ type: 'contingency.triggered', payload: { contingencyId: 'c-backup' } });
    expect(team.context.vars.backupsVerified).toBe(true); // effects apply to a manual firing too
    expect(() => team.command({ type: 'contingency.triggered', payload: { contingencyId: 'c-backup' } })).toThrow(/already fired/);
  });
});

describe('conditional options', () => {
  function atDecision(): TeamEngine {
    const team = new TeamEngine(compiled, 't', 'seed');
    team.start();
    team.advanceTo(5 * MIN);
    return team;
  }

  it('refuses an option whose condition does not hold, with a contract error naming the condition', () => {
    const team = atDecision();
    let error: unknown;
    try {
      team.command({ type: 'decision.recorded', payload: { decisionId: 'd-contain', optionId: 'notify', rationale: '', decidedBy: '' } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EngineRejection);
    expect((error as EngineRejection).code).toBe('conflict');
    expect((error as EngineRejection).path).toBe('/optionId');
    expect((error as EngineRejection).message).toBe(
      'Option notify of decision d-contain is not on offer now: it is offered only while milestone "Detected" is reached. The options on offer are revoke, watch.',
    );
    expect(team.openDecisions().map((d) => d.id)).toEqual(['d-contain']);
  });

  it('offers it as soon as the condition holds while the decision is open, and accepts it then', () => {
    const team = atDecision();
    team.command({ type: 'milestone.marked', payload: { milestoneId: 'detected' } });
    const events = team.command({ type: 'decision.recorded', payload: { decisionId: 'd-contain', optionId: 'notify', rationale: '', decidedBy: '' } });
    expect(events.map((e) => e.event.type)).toContain('branch.taken');
    expect(team.context.choices['d-contain']).toBe('notify');
  });

  it('shows the room only the options on offer', () => {
    const base = {
      sessionId: 's',
      sessionName: 'S',
      status: 'running' as const,
      clock: { running: true, speed: 1 as const, anchorWallMs: 0, anchorScenarioMs: 0 },
      sensitivity: 'TLP:CLEAR',
      team: { id: 't', name: 'T' },
      latest: null,
      endedAt: null,
    };
    const open = { id: 'd-contain', openedAtMs: 5 * MIN, deadlineMs: 15 * MIN };
    expect(presenterView(scenario, { ...base, openDecision: { ...open, availableOptions: ['revoke', 'watch'] } }).decision?.options.map((o) => o.id)).toEqual(['revoke', 'watch']);
    expect(presenterView(scenario, { ...base, openDecision: { ...open, availableOptions: ['revoke', 'watch', 'notify'] } }).decision?.options.map((o) => o.id)).toEqual([
      'revoke',
      'watch',
      'notify',
    ]);
  });

  it('times out to the default option, which is always on offer', () => {
    const team = atDecision();
    const events = team.advanceTo(15 * MIN);
    expect(events.find((e) => e.event.type === 'decision.timedOut')?.event.payload).toEqual({ decisionId: 'd-contain', optionId: 'revoke' });
  });
});

describe('rehearse and the all-combinations walker', () => {
  it('takes only options on offer, and refuses a choices file naming one that is not', () => {
    for (const seed of ['1', '2', '3', '4', '5', '6']) {
      const run = rehearse(scenario, { choices: 'random', seed });
      expect(run.choices['d-contain']).not.toBe('notify'); // "detected" is never reached in a rehearsal
      expect(run.offered['d-contain']).toEqual(['revoke', 'watch']);
      if (run.choices['d-contain'] === 'watch') expect(run.choices['d-restore']).toBe('restore'); // backups never verified
    }
    expect(() => rehearse(scenario, { choices: { 'd-contain': 'notify' }, seed: '1' })).toThrow(RehearsalError);
    expect(() => rehearse(scenario, { choices: { 'd-contain': 'notify' }, seed: '1' })).toThrow(/"notify" is not on offer/);
  });

  it('walks exactly the combinations that can be played', () => {
    const { runs, truncated } = walkDecisionPaths(scenario, '1');
    expect(truncated).toBe(false);
    expect(runs.map((r) => `${r.choices['d-contain'] ?? '-'}/${r.choices['d-restore'] ?? '-'}`).sort()).toEqual(['revoke/rebuild', 'revoke/restore', 'watch/restore']);
  });

  it('states the triggers and the conditional options truthfully in the MSEL', () => {
    const rows = scenarioMselRows(scenario);
    const notes = (id: string) => rows.find((r) => r.nodeId === id)!.cells.notes;
    expect(notes('c-press')).toContain('fires when Records copied > 10000; repeats while it holds, at least 5 min apart, 2 times at most');
    expect(notes('c-backup')).toContain('fires 8 min after inject "The copying goes on" is delivered, if milestone "Contained" is reached still holds');
    expect(notes('d-contain')).toContain('Notify the regulator now (offered only while milestone "Detected" is reached)');
    expect(rows.find((r) => r.nodeId === 'c-backup')!.cells.time).toBe('00:13');
  });
});

describe('replay and restore', () => {
  function scripted(): { log: Log; engine: SessionEngine } {
    const log = new Log();
    const { engine, events } = SessionEngine.create(scenario, config(), 0);
    log.push(events);
    log.push(engine.start(1_000));
    log.push(engine.tick(1_000 + 6 * MIN));
    log.push(engine.teamCommand('red', { type: 'milestone.marked', payload: { milestoneId: 'detected' } }, 1_000 + 7 * MIN));
    log.push(engine.teamCommand('red', { type: 'decision.recorded', payload: { decisionId: 'd-contain', optionId: 'notify', rationale: '', decidedBy: '' } }, 1_000 + 8 * MIN));
    log.push(engine.teamCommand('blue', { type: 'contingency.triggered', payload: { contingencyId: 'c-press' } }, 1_000 + 9 * MIN));
    log.push(engine.tick(1_000 + 20 * MIN));
    return { log, engine };
  }

  it('rebuilds every rule’s state exactly from the log', () => {
    const { log, engine } = scripted();
    expect(log.events.filter((e) => e.type === 'contingency.fired').length).toBeGreaterThanOrEqual(4);
    const replayed = SessionEngine.replay(scenario, log.events);
    for (const teamId of ['red', 'blue']) {
      const { path: _a, ...live } = engine.team(teamId).context;
      const { path: _b, ...again } = replayed.team(teamId).context;
      expect(again).toEqual(live);
    }
  });

  it('gives the debrief the variables and score the engine has, inject and contingency effects included', () => {
    const { log, engine } = scripted();
    const debrief = computeDebrief(scenario, log.events);
    for (const teamId of ['red', 'blue']) {
      const team = debrief.teams.find((t) => t.id === teamId)!;
      expect(team.variables).toEqual(engine.team(teamId).context.vars);
      expect(team.score.byTag).toEqual(engine.team(teamId).context.score);
    }
    expect(debrief.teams.find((t) => t.id === 'red')!.variables).toEqual({ records: 13_000, backupsVerified: false }); // never contained
    expect(debrief.teams.find((t) => t.id === 'blue')!.variables).toEqual({ records: 13_000, backupsVerified: true }); // contained at the time-out
    expect(debrief.teams.find((t) => t.id === 'red')!.score.byTag['phase:detection']).toBe(2); // the inject's point and the option's
  });

  it('undoes a manual firing of a repeating contingency with effects: count, cooldown and effects go, replay agrees', () => {
    const log = new Log();
    const { engine, events } = SessionEngine.create(scenario, config(), 0);
    log.push(events);
    log.push(engine.start(1_000));
    log.push(engine.tick(1_000 + 2 * MIN));
    const rules = () => {
      const { now: _now, ...rest } = engine.team('red').context;
      return structuredClone(rest);
    };
    const before = rules();
    for (const contingencyId of ['c-backup', 'c-press']) {
      log.push(engine.teamCommand('red', { type: 'contingency.triggered', payload: { contingencyId } }, 1_000 + 2 * MIN));
      expect(rules()).not.toEqual(before);
      log.push(
        engine.correct(
          log.events.findLast((e) => e.type === 'contingency.triggered')!,
          'by mistake',
          1_000 + 2 * MIN,
        ),
      );
      expect(rules()).toEqual(before);
    }
    log.push(engine.tick(1_000 + 20 * MIN));
    const replayed = SessionEngine.replay(scenario, log.events);
    for (const teamId of ['red', 'blue']) expect(replayed.team(teamId).context).toEqual(engine.team(teamId).context);
    expect(computeDebrief(scenario, log.events).teams.find((t) => t.id === 'red')!.variables).toEqual(engine.team('red').context.vars);
  });

  it('after a restart, goes on exactly as a session that never stopped', () => {
    const { log, engine } = scripted();
    const restored = SessionEngine.replay(scenario, log.events);
    const strip = (events: NewLogEvent[]) => events.map(({ wallMs: _w, ...e }) => e);
    const next = 1_000 + 45 * MIN;
    const live = strip(engine.tick(next));
    expect(strip(restored.tick(next))).toEqual(live);
    expect(live.map((e) => e.type)).toContain('contingency.fired'); // c-deadline at 40 for both teams
    for (const teamId of ['red', 'blue']) expect(restored.team(teamId).context.contingencies).toEqual(engine.team(teamId).context.contingencies);
  });
});

describe('what-if with conditional options', () => {
  it('refuses an alternative that was not on offer, and replays a later unavailable choice as the default', () => {
    const log = new Log();
    const { engine, events } = SessionEngine.create(scenario, { ...config(), teams: [{ id: 'red', name: 'Red', participants: [] }] }, 0);
    log.push(events);
    log.push(engine.start(0));
    log.push(engine.tick(5 * MIN));
    log.push(engine.teamCommand('red', { type: 'decision.recorded', payload: { decisionId: 'd-contain', optionId: 'revoke', rationale: '', decidedBy: '' } }, 6 * MIN));
    log.push(engine.tick(16 * MIN));
    log.push(engine.teamCommand('red', { type: 'decision.recorded', payload: { decisionId: 'd-restore', optionId: 'rebuild', rationale: '', decidedBy: '' } }, 17 * MIN));
    log.push(engine.end('done', 18 * MIN));
    const debrief = computeDebrief(scenario, log.events);
    // "Detected" was never reached: "notify" was not on offer.
    expect(() => whatIf(scenario, log.events, debrief, { teamId: 'red', decisionId: 'd-contain', visit: 1, optionId: 'notify' })).toThrow(WhatIfError);
    expect(() => whatIf(scenario, log.events, debrief, { teamId: 'red', decisionId: 'd-contain', visit: 1, optionId: 'notify' })).toThrow(/was not on offer at that point/);
    // Watching instead: never contained, so the backups are never verified and "rebuild" is not on offer later.
    const alternative = whatIf(scenario, log.events, debrief, { teamId: 'red', decisionId: 'd-contain', visit: 1, optionId: 'watch' });
    expect(alternative.assumptions.join(' ')).toContain('not on offer on this path');
  });
});

describe('validation of the 1.1 rules', () => {
  const errors = (input: unknown) => {
    const result = validateScenario(input);
    return result.ok ? [] : result.errors;
  };

  it('accepts the fixture', () => {
    expect(errors(raw())).toEqual([]);
  });

  it('refuses every new construct in a file that declares version 1', () => {
    const input = { ...raw(), formatVersion: 1 };
    const pointers = errors(input).map((e) => `${e.pointer}: ${e.message}`);
    expect(pointers).toEqual([
      '/timeline/0/effects: Inject effects ("effects") needs "formatVersion": 1.1 (this file declares 1)',
      '/timeline/1/effects: Inject effects ("effects") needs "formatVersion": 1.1 (this file declares 1)',
      '/timeline/2/options/2/when: A conditional option ("when") needs "formatVersion": 1.1 (this file declares 1)',
      '/timeline/6/options/1/when: A conditional option ("when") needs "formatVersion": 1.1 (this file declares 1)',
      '/contingencies/0/when: A contingency triggered by a condition or an inject ("condition", "after", "from") needs "formatVersion": 1.1 (this file declares 1)',
      '/contingencies/0/repeat: A repeating contingency ("repeat") needs "formatVersion": 1.1 (this file declares 1)',
      '/contingencies/1/when: A contingency triggered by a condition or an inject ("condition", "after", "from") needs "formatVersion": 1.1 (this file declares 1)',
      '/contingencies/1/effects: Inject effects ("effects") needs "formatVersion": 1.1 (this file declares 1)',
    ]);
  });

  it('names unknown references with a suggestion, and type mismatches in conditions and effects', () => {
    const input = raw() as unknown as {
      timeline: Array<Record<string, unknown> & { options?: Array<Record<string, unknown>> }>;
      contingencies: Array<Record<string, unknown>>;
    };
    input.contingencies[0]!.when = { condition: { var: 'recrods', op: '>', value: 10000 } };
    input.contingencies[1]!.when = { after: { inject: 'i-exfill', minutes: 8 } };
    input.contingencies[2]!.when = { after: { inject: 'd-contain', minutes: 1 } };
    input.timeline[2]!.options![2]!.when = { var: 'backupsVerified', op: '>', value: 1 };
    input.timeline[0]!.effects = { set: { records: 'many' }, add: { backupsVerified: 1 } };
    const found = errors(input).map((e) => `${e.pointer}: ${e.message}`);
    expect(found).toEqual(
      expect.arrayContaining([
        '/contingencies/0/when/condition/var: refers to "recrods", but no variable has that id (did you mean "records"?)',
        '/contingencies/1/when/after/inject: refers to "i-exfill", but no timeline node has that id (did you mean "i-exfil"?)',
        '/contingencies/2/when/after/inject: refers to "d-contain", which is a decision node, not an inject',
        '/timeline/2/options/2/when/value: compares variable "backupsVerified" (a boolean) with 1, which is a number',
        '/timeline/0/effects/set/records: sets variable "records" (a number) to "many", which is a string',
        '/timeline/0/effects/add/backupsVerified: adds to variable "backupsVerified", but it is a boolean; only number variables can be added to (use "set")',
      ]),
    );
  });

  it('refuses a conditional default option and a rule trigger that says nothing', () => {
    const input = raw() as unknown as { timeline: Array<Record<string, unknown>>; contingencies: Array<Record<string, unknown>> };
    input.timeline[2]!.defaultOption = 'notify';
    input.contingencies[0]!.when = { from: 5 };
    const found = errors(input).map((e) => `${e.pointer}: ${e.message}`);
    expect(found).toEqual([
      '/timeline/2/options/2/when: option "notify" is the default of decision "d-contain" (its "defaultOption"), so it must always be on offer and cannot have "when"; make another option the default',
      '/contingencies/0/when: says neither when it fires: give "condition" (fire while it holds), "after" (some minutes after an inject), or both — or the version-1 form { "notReached", "by" }',
    ]);
  });

  it('explains a repeat without its cooldown', () => {
    const input = raw() as unknown as { contingencies: Array<Record<string, unknown>> };
    input.contingencies[0]!.repeat = { max: 3 };
    expect(errors(input).map((e) => `${e.pointer}: ${e.message}`)).toEqual(['/contingencies/0/repeat/cooldownMinutes: is required (a number)']);
    input.contingencies[0]!.repeat = { cooldownMinutes: 0.5 };
    expect(errors(input).map((e) => `${e.pointer}: ${e.message}`)).toEqual(['/contingencies/0/repeat/cooldownMinutes: must be at least 1 (it is 0.5)']);
  });
});

describe('docs/scenario-format.md, "Richer rules"', () => {
  it('has a complete example for every rule, each valid as written', () => {
    const doc = readFileSync('docs/scenario-format.md', 'utf8');
    const section = doc.slice(doc.indexOf('### Richer rules'), doc.indexOf('### Framework tags'));
    const blocks = [...section.matchAll(/```json\n([\s\S]*?)\n```/g)].map((m) => JSON.parse(`[${m[1]!}]`) as Array<Record<string, unknown>>);
    expect(blocks).toHaveLength(5);
    const used = new Set<string>();
    for (const item of blocks.flat()) {
      const parsed = 'type' in item ? TimelineNode.safeParse(item) : Contingency.safeParse(item);
      expect(parsed.success, JSON.stringify(item)).toBe(true);
      const when = item.when as Record<string, unknown> | undefined;
      if (when?.condition) used.add('condition');
      if (when?.after) used.add('after');
      if (item.repeat) used.add('repeat');
      if (item.effects) used.add('effects');
      if ((item.options as Array<{ when?: unknown }> | undefined)?.some((o) => o.when)) used.add('option when');
    }
    expect([...used].sort()).toEqual(['after', 'condition', 'effects', 'option when', 'repeat']);
  });
});
