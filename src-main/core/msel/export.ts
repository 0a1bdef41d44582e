/**
 * Scenario → MSEL: the scenario's script as the chronological list planners
 * keep in a spreadsheet, and, after a session, the same list with what
 * actually happened to each team.
 *
 * Rows are the timeline's injects and decisions and the scenario's
 * contingencies, in the order a team meets them: by the earliest scenario
 * minute a node can be reached at (the latest `at` on the quickest path to
 * it), then by their place in the file; a contingency sits at the minute it
 * fires. Branches, random events and endings are routing, not injects, and
 * are left out.
 */
import { countedEvents } from '../engine/corrections.ts';
import type { LogEvent, SessionConfig } from '../engine/events.ts';
import type { Contingency, DecisionNode, InjectNode, Objective, Scenario, TimelineNode } from '../scenario/schema.ts';
import { FIELD_HEADERS, SCENARIO_COLUMNS, SESSION_COLUMNS, type MselField } from './columns.ts';
import { writeCsv } from '../csv.ts';
import { formatScenarioMs, formatScenarioTime, joinList } from './values.ts';
import { formatMinutes } from '../time-format.ts';

/** One MSEL row: a cell per field, plus what the row stands for. */
export interface MselRow {
  kind: 'inject' | 'decision' | 'contingency';
  nodeId: string;
  cells: Partial<Record<MselField, string>>;
}

/** The scenario's MSEL rows, in delivery order. */
export function scenarioMselRows(scenario: Scenario): MselRow[] {
  const reach = earliestMinutes(scenario);
  const objectiveText = new Map(scenario.objectives.map((o) => [o.id, o.text]));
  const placed: Array<{ minute: number; group: number; index: number; row: MselRow }> = [];
  scenario.timeline.forEach((node, index) => {
    const minute = reach.get(node.id) ?? Number.POSITIVE_INFINITY;
    if (node.type === 'inject') placed.push({ minute, group: 0, index, row: injectRow(node, scenario.objectives) });
    if (node.type === 'decision') placed.push({ minute, group: 0, index, row: decisionRow(node, scenario.objectives, objectiveText) });
  });
  scenario.contingencies.forEach((contingency, index) => {
    placed.push({ minute: contingency.when.by, group: 1, index, row: contingencyRow(contingency, scenario) });
  });
  placed.sort((a, b) => a.minute - b.minute || a.group - b.group || a.index - b.index);
  return placed.map(({ row }, i) => ({ ...row, cells: { ...row.cells, sequence: String(i + 1) } }));
}

/** The scenario's MSEL as a spreadsheet-ready CSV text. */
export function scenarioMselCsv(scenario: Scenario): string {
  return toCsv(SCENARIO_COLUMNS, scenarioMselRows(scenario));
}

/**
 * The MSEL of a session: the scenario it ran, with each row's actual delivery
 * per team ("delivered at 00:17 (Red team)", in scenario time) and a status.
 * Commands that were undone, and what they caused, do not count.
 */
export function sessionMselRows(scenario: Scenario, events: readonly LogEvent[]): MselRow[] {
  const actuals = actualDeliveries(scenario, events);
  const teams = teamsOf(events);
  return scenarioMselRows(scenario).map((row) => {
    const lines: string[] = [];
    let done = 0;
    for (const team of teams) {
      const seen = actuals.get(`${team.id}\u0000${row.nodeId}`) ?? [];
      if (seen.length > 0) done += 1;
      for (const s of seen) lines.push(`${s.verb} at ${formatScenarioMs(s.scenarioMs)} (${team.name}${s.detail ? `, ${s.detail}` : ''})`);
    }
    return { ...row, cells: { ...row.cells, actualTime: lines.join('\n'), status: statusOf(row.kind, done, teams.length) } };
  });
}

/** The session's MSEL as a spreadsheet-ready CSV text. */
export function sessionMselCsv(scenario: Scenario, events: readonly LogEvent[]): string {
  return toCsv(SESSION_COLUMNS, sessionMselRows(scenario, events));
}

function toCsv(columns: readonly MselField[], rows: readonly MselRow[]): string {
  return writeCsv(
    columns.map((field) => FIELD_HEADERS[field]),
    rows.map((row) => columns.map((field) => row.cells[field] ?? '')),
  );
}

// ---------------------------------------------------------------- rows

function injectRow(node: InjectNode, objectives: readonly Objective[]): MselRow {
  return {
    kind: 'inject',
    nodeId: node.id,
    cells: {
      time: node.at === undefined ? '' : formatScenarioTime(node.at),
      type: node.channel === 'news' || node.channel === 'social-media' ? 'media' : 'information',
      ...injectCells(node),
      objective: joinList(objectivesSharingTags(node.tags, objectives).map((o) => o.text)),
      notes: node.facilitatorNotes ?? '',
      id: node.id,
    },
  };
}

function injectCells(node: InjectNode | Contingency): Partial<Record<MselField, string>> {
  return {
    channel: node.channel,
    from: node.from ?? '',
    to: node.to ?? '',
    title: node.title,
    subject: node.subject ?? '',
    message: node.narrative,
    expectedAction: joinList(node.expectedActions),
    questions: joinList(node.questions),
  };
}

function decisionRow(node: DecisionNode, objectives: readonly Objective[], objectiveText: ReadonlyMap<string, string>): MselRow {
  const demonstrated = [...new Set(node.options.flatMap((o) => o.consequences.objectives ?? []))];
  const texts = demonstrated.length > 0 ? demonstrated.map((id) => objectiveText.get(id) ?? id) : objectivesSharingTags(node.tags, objectives).map((o) => o.text);
  const recommended = node.options.filter((o) => o.recommended);
  const defaultId = node.defaultOption ?? recommended[0]?.id ?? node.options[0]!.id;
  const terms = [
    node.timeLimitMinutes === undefined ? null : `time limit ${formatMinutes(node.timeLimitMinutes, 2)}`,
    `default: "${node.options.find((o) => o.id === defaultId)?.label ?? defaultId}"`,
  ].filter((t) => t !== null);
  const options = node.options.map((o) => `• ${o.label}${o.recommended ? ' (recommended)' : ''}`).join('\n');
  const notes = [`Decision (${terms.join('; ')}). Options:\n${options}`, node.facilitatorNotes ?? ''].filter((part) => part !== '').join('\n\n');
  return {
    kind: 'decision',
    nodeId: node.id,
    cells: {
      time: '',
      type: 'decision',
      title: node.title,
      message: node.prompt,
      expectedAction: joinList(recommended.map((o) => o.label)),
      objective: joinList(texts),
      notes,
      id: node.id,
    },
  };
}

/** The sentence that states a contingency's trigger in its notes; the importer reads it back. */
export function contingencyTrigger(contingency: Contingency, scenario: Pick<Scenario, 'milestones' | 'objectives'>): string {
  const target = contingency.when.notReached;
  const what = 'milestone' in target ? `milestone "${target.milestone}" is reached` : `objective "${target.objective}" is demonstrated`;
  const label =
    'milestone' in target
      ? scenario.milestones.find((m) => m.id === target.milestone)?.label
      : scenario.objectives.find((o) => o.id === target.objective)?.text;
  return `Contingency: fires at ${formatScenarioTime(contingency.when.by)} unless ${what} first${label ? ` (${label})` : ''}; the facilitator can fire it earlier.`;
}

function contingencyRow(contingency: Contingency, scenario: Scenario): MselRow {
  const target = contingency.when.notReached;
  const objective = 'objective' in target ? scenario.objectives.find((o) => o.id === target.objective) : undefined;
  return {
    kind: 'contingency',
    nodeId: contingency.id,
    cells: {
      time: formatScenarioTime(contingency.when.by),
      type: 'contingency',
      ...injectCells(contingency),
      objective: objective ? objective.text : joinList(objectivesSharingTags(contingency.tags, scenario.objectives).map((o) => o.text)),
      notes: [contingencyTrigger(contingency, scenario), contingency.facilitatorNotes ?? ''].filter((part) => part !== '').join('\n\n'),
      id: contingency.id,
    },
  };
}

/**
 * Objectives that share a specific tag (a Well-Architected best practice or a
 * design principle) with a node. Phase and shared-responsibility tags are too
 * broad to say which objective a node exercises.
 */
function objectivesSharingTags(tags: readonly string[], objectives: readonly Objective[]): Objective[] {
  const specific = new Set(tags.filter((tag) => !tag.startsWith('phase:') && !tag.startsWith('srm:')));
  return objectives.filter((o) => o.tags.some((tag) => specific.has(tag)));
}

// ---------------------------------------------------------------- order

/** Successors of a timeline node. */
function nextOf(node: TimelineNode): string[] {
  switch (node.type) {
    case 'inject':
      return [node.next];
    case 'decision':
      return node.options.map((o) => o.next);
    case 'branch':
      return [...node.cases.map((c) => c.next), node.otherwise];
    case 'random':
      return node.outcomes.map((o) => o.next);
    case 'end':
      return [];
  }
}

/**
 * For every reachable node, the earliest scenario minute a team can be there:
 * the smallest, over all paths from the start, of the latest inject `at` on
 * the path (time passes only while a team waits for an inject).
 */
function earliestMinutes(scenario: Scenario): Map<string, number> {
  const byId = new Map(scenario.timeline.map((node) => [node.id, node]));
  const best = new Map<string, number>();
  const own = (node: TimelineNode) => (node.type === 'inject' && node.at !== undefined ? node.at : 0);
  const first = byId.get(scenario.start);
  if (!first) return best;
  best.set(first.id, own(first));
  // Label-correcting search: a node is revisited only when its minute drops,
  // and it can drop only to another inject's `at`, so this ends quickly.
  const queue: TimelineNode[] = [first];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head]!;
    const minute = best.get(node.id)!;
    for (const id of nextOf(node)) {
      const next = byId.get(id);
      if (!next) continue;
      const candidate = Math.max(minute, own(next));
      if (candidate < (best.get(id) ?? Number.POSITIVE_INFINITY)) {
        best.set(id, candidate);
        queue.push(next);
      }
    }
  }
  return best;
}

// ---------------------------------------------------------------- what happened

interface Delivery {
  verb: string;
  scenarioMs: number;
  detail?: string;
}

function teamsOf(events: readonly LogEvent[]): SessionConfig['teams'] {
  const created = events.find((e) => e.type === 'session.created');
  return created?.type === 'session.created' ? created.payload.teams : [];
}

/**
 * What each team was actually shown, keyed by team and node: injects and
 * contingencies delivered, decisions opened and taken. Undone commands and
 * what they caused do not count (see countedEvents).
 */
function actualDeliveries(scenario: Scenario, events: readonly LogEvent[]): Map<string, Delivery[]> {
  const optionLabel = (decisionId: string, optionId: string): string => {
    const decision = scenario.timeline.find((node) => node.id === decisionId);
    const option = decision?.type === 'decision' ? decision.options.find((o) => o.id === optionId) : undefined;
    return `"${option?.label ?? optionId}"`;
  };
  const result = new Map<string, Delivery[]>();
  const add = (teamId: string | null, nodeId: string, delivery: Delivery) => {
    if (teamId === null) return;
    const key = `${teamId}\u0000${nodeId}`;
    result.set(key, [...(result.get(key) ?? []), delivery]);
  };
  for (const e of countedEvents(events)) {
    switch (e.type) {
      case 'inject.delivered':
        add(e.teamId, e.payload.nodeId, { verb: 'delivered', scenarioMs: e.scenarioMs });
        break;
      case 'contingency.fired':
        add(e.teamId, e.payload.contingencyId, { verb: 'fired', scenarioMs: e.scenarioMs, detail: e.payload.manual ? 'by the facilitator' : 'on time' });
        break;
      case 'decision.opened':
        add(e.teamId, e.payload.nodeId, { verb: 'opened', scenarioMs: e.scenarioMs });
        break;
      case 'decision.recorded':
        add(e.teamId, e.payload.decisionId, { verb: 'decided', scenarioMs: e.scenarioMs, detail: `chose ${optionLabel(e.payload.decisionId, e.payload.optionId)}` });
        break;
      case 'decision.timedOut':
        add(e.teamId, e.payload.decisionId, { verb: 'timed out', scenarioMs: e.scenarioMs, detail: `${optionLabel(e.payload.decisionId, e.payload.optionId)} taken` });
        break;
      default:
        break;
    }
  }
  return result;
}

function statusOf(kind: MselRow['kind'], done: number, teams: number): string {
  const word = kind === 'contingency' ? 'fired' : kind === 'decision' ? 'reached' : 'delivered';
  if (done === 0) return `not ${word}`;
  if (done === teams) return word;
  return `${word} for ${done} of ${teams} teams`;
}
