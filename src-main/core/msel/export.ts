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
import { nextIdsOf } from '../scenario/graph.ts';
import { trackLayout, tracksOf } from '../scenario/tracks.ts';
import type { LogEvent, SessionConfig } from '../engine/events.ts';
import { describeCondition, describeRepeat, describeTrigger } from '../engine/rules.ts';
import type { Contingency, DecisionNode, InjectNode, Objective, Scenario, TimelineNode } from '../scenario/schema.ts';
import { FIELD_HEADERS, SCENARIO_COLUMNS, SESSION_COLUMNS, type MselField } from './columns.ts';
import { writeCsv } from '../csv.ts';
import { formatScenarioMs, formatScenarioTime, joinList } from './values.ts';
import { formatMinutes } from '../time-format.ts';

/**
 * A column of an exported MSEL: the MSEL fields, and for a scenario with
 * parallel tracks the track each row belongs to (export only: an import
 * builds one track).
 */
export type MselExportField = MselField | 'track';
const EXPORT_HEADERS: Readonly<Record<MselExportField, string>> = { ...FIELD_HEADERS, track: 'Track' };

/** One MSEL row: a cell per field, plus what the row stands for. */
export interface MselRow {
  kind: 'inject' | 'decision' | 'contingency';
  nodeId: string;
  cells: Partial<Record<MselExportField, string>>;
}

/** The columns for a scenario: with parallel tracks, a Track column after the scenario time. */
function columnsFor(scenario: Scenario, columns: readonly MselField[]): readonly MselExportField[] {
  if (!trackLayout(scenario).declared) return columns;
  const at = columns.indexOf('time') + 1;
  return [...columns.slice(0, at), 'track', ...columns.slice(at)];
}

/** The scenario's MSEL rows, in delivery order. */
export function scenarioMselRows(scenario: Scenario): MselRow[] {
  const reach = earliestMinutes(scenario);
  const layout = trackLayout(scenario);
  const trackTitle = new Map(layout.tracks.map((t) => [t.id, t.title ?? '']));
  const withTrack = (row: MselRow): MselRow => (layout.declared ? { ...row, cells: { ...row.cells, track: trackTitle.get(layout.trackOf(row.nodeId) ?? '') ?? '' } } : row);
  const objectiveText = new Map(scenario.objectives.map((o) => [o.id, o.text]));
  const placed: Array<{ minute: number; group: number; index: number; row: MselRow }> = [];
  scenario.timeline.forEach((node, index) => {
    const minute = reach.get(node.id) ?? Number.POSITIVE_INFINITY;
    if (node.type === 'inject') placed.push({ minute, group: 0, index, row: withTrack(injectRow(node, scenario.objectives)) });
    if (node.type === 'decision') placed.push({ minute, group: 0, index, row: withTrack(decisionRow(node, scenario.objectives, objectiveText, scenario)) });
  });
  scenario.contingencies.forEach((contingency, index) => {
    placed.push({ minute: contingencyMinute(contingency, reach) ?? Number.POSITIVE_INFINITY, group: 1, index, row: contingencyRow(contingency, scenario, reach) });
  });
  placed.sort((a, b) => a.minute - b.minute || a.group - b.group || a.index - b.index);
  return placed.map(({ row }, i) => ({ ...row, cells: { ...row.cells, sequence: String(i + 1) } }));
}

/** The scenario's MSEL as a spreadsheet-ready CSV text. */
export function scenarioMselCsv(scenario: Scenario): string {
  return toCsv(columnsFor(scenario, SCENARIO_COLUMNS), scenarioMselRows(scenario));
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
  return toCsv(columnsFor(scenario, SESSION_COLUMNS), sessionMselRows(scenario, events));
}

function toCsv(columns: readonly MselExportField[], rows: readonly MselRow[]): string {
  return writeCsv(
    columns.map((field) => EXPORT_HEADERS[field]),
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

function decisionRow(node: DecisionNode, objectives: readonly Objective[], objectiveText: ReadonlyMap<string, string>, scenario: Scenario): MselRow {
  const demonstrated = [...new Set(node.options.flatMap((o) => o.consequences.objectives ?? []))];
  const texts = demonstrated.length > 0 ? demonstrated.map((id) => objectiveText.get(id) ?? id) : objectivesSharingTags(node.tags, objectives).map((o) => o.text);
  const recommended = node.options.filter((o) => o.recommended);
  const defaultId = node.defaultOption ?? recommended[0]?.id ?? node.options[0]!.id;
  const terms = [
    node.timeLimitMinutes === undefined ? null : `time limit ${formatMinutes(node.timeLimitMinutes, 2)}`,
    `default: "${node.options.find((o) => o.id === defaultId)?.label ?? defaultId}"`,
  ].filter((t) => t !== null);
  const options = node.options
    .map((o) => `• ${o.label}${o.recommended ? ' (recommended)' : ''}${o.when ? ` (offered only while ${describeCondition(o.when, scenario)})` : ''}`)
    .join('\n');
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

/**
 * The earliest scenario minute a contingency can fire by itself: its deadline (version 1), else its
 * `from` and the earliest its inject can be delivered plus the delay (format 1.1), or null when only
 * a condition says when.
 */
function contingencyMinute(contingency: Contingency, reach: ReadonlyMap<string, number>): number | null {
  const when = contingency.when;
  if ('notReached' in when) return when.by;
  const after = when.after ? (reach.get(when.after.inject) ?? Number.POSITIVE_INFINITY) + when.after.minutes : null;
  if (after === null && when.from === undefined) return null;
  return Math.max(after ?? 0, when.from ?? 0);
}

/** The sentence that states a contingency's trigger in its notes; the importer reads back the version-1 form. */
export function contingencyTrigger(contingency: Contingency, scenario: Pick<Scenario, 'milestones' | 'objectives' | 'variables' | 'timeline'>): string {
  const when = contingency.when;
  const repeat = describeRepeat(contingency);
  if (!('notReached' in when)) {
    return `Contingency: fires ${describeTrigger(contingency, scenario)}${repeat ? `; ${repeat}` : ''}; the facilitator can fire it earlier.`;
  }
  const target = when.notReached;
  const what = 'milestone' in target ? `milestone "${target.milestone}" is reached` : `objective "${target.objective}" is demonstrated`;
  const label = 'milestone' in target ? scenario.milestones.find((m) => m.id === target.milestone)?.label : scenario.objectives.find((o) => o.id === target.objective)?.text;
  return `Contingency: fires at ${formatScenarioTime(when.by)} unless ${what} first${label ? ` (${label})` : ''}${repeat ? `; ${repeat}` : ''}; the facilitator can fire it earlier.`;
}

function contingencyRow(contingency: Contingency, scenario: Scenario, reach: ReadonlyMap<string, number>): MselRow {
  const target = 'notReached' in contingency.when ? contingency.when.notReached : undefined;
  const objective = target && 'objective' in target ? scenario.objectives.find((o) => o.id === target.objective) : undefined;
  const minute = contingencyMinute(contingency, reach);
  return {
    kind: 'contingency',
    nodeId: contingency.id,
    cells: {
      time: minute === null || !Number.isFinite(minute) ? '' : formatScenarioTime(minute),
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

/**
 * For every reachable node, the earliest scenario minute a team can be there:
 * the smallest, over all paths from the start, of the latest inject `at` on
 * the path (time passes only while a team waits for an inject).
 */
function earliestMinutes(scenario: Scenario): Map<string, number> {
  const byId = new Map(scenario.timeline.map((node) => [node.id, node]));
  const best = new Map<string, number>();
  const own = (node: TimelineNode) => (node.type === 'inject' && node.at !== undefined ? node.at : 0);
  // Every track starts at minute 0 (one track, from `start`, without `tracks`).
  const queue: TimelineNode[] = [];
  for (const track of tracksOf(scenario)) {
    const first = byId.get(track.start);
    if (!first || best.has(first.id)) continue;
    best.set(first.id, own(first));
    queue.push(first);
  }
  // Label-correcting search: a node is revisited only when its minute drops,
  // and it can drop only to another inject's `at`, so this ends quickly.
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head]!;
    const minute = best.get(node.id)!;
    for (const id of nextIdsOf(node)) {
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
