/**
 * The programme view: across all sessions, for every framework item a
 * scenario declares (Well-Architected best practice, design principle,
 * shared-responsibility side, incident-response phase, AWS incident-response
 * playbook, NIST CSF 2.0 category, MITRE ATT&CK technique) — when it was last
 * exercised, by which teams, with what outcome — and cadence alerts: due once
 * a year by default, twice a year when a scenario declaring it is critical
 * (`meta.critical`), "never exercised" for items of the library's scenarios
 * that no session covered. Pure.
 *
 * What a team exercised is read from a handful of log entry types
 * (`PROGRAMME_EVENT_TYPES`), not by replaying logs: the scenario's meta and
 * objective tags for every team that played, an inject's or decision's tags
 * once delivered or opened, an option's tags (and score keys) once chosen, a
 * contingency's once fired. Undo is honoured (`countedEvents`).
 */
import { z } from 'zod';
import { totalAvailable } from '../debrief/score.ts';
import { normaliseTeamName } from '../debrief/improvement.ts';
import { countedEvents } from '../engine/corrections.ts';
import {
  ATTACK_TECHNIQUES,
  ATTACK_VOCABULARY,
  attackFullName,
  CSF_CATEGORIES,
  CSF_VOCABULARY,
  csfFullName,
  PLAYBOOK_VOCABULARY,
  PLAYBOOKS,
  PLAYBOOKS_BY_ID,
  type VocabularySource,
} from '../frameworks/index.ts';
import type { Scenario } from '../scenario/schema.ts';
import { canonicalTag, DESIGN_PRINCIPLES, parseTag, PHASES, RESPONSIBILITY_SIDES, WAF_BEST_PRACTICE_TITLES, WAF_TAG_PATTERN, type TagFamily } from '../scenario/tags.ts';

export const PROGRAMME_FAMILIES = ['waf', 'principle', 'srm', 'phase', 'playbook', 'csf', 'attack'] as const satisfies readonly TagFamily[];
export type ProgrammeFamily = (typeof PROGRAMME_FAMILIES)[number];

export const PROGRAMME_FAMILY_LABELS: Readonly<Record<ProgrammeFamily, string>> = {
  waf: 'Well-Architected security best practices',
  principle: 'Security design principles',
  srm: 'Shared responsibility',
  phase: 'Incident-response phases',
  playbook: 'AWS incident-response playbooks',
  csf: 'NIST CSF 2.0 categories',
  attack: 'MITRE ATT&CK techniques (cloud)',
};

/** Days between exercises before an item is overdue. */
export const DEFAULT_CADENCE_DAYS = 365;
/** Twice a year, for items a critical scenario declares. */
export const CRITICAL_CADENCE_DAYS = 182;
const DAY_MS = 86_400_000;

/** The only log entry types the programme view reads. */
export const PROGRAMME_EVENT_TYPES = [
  'session.created',
  'session.started',
  'inject.delivered',
  'decision.opened',
  'decision.recorded',
  'decision.timedOut',
  'random.rolled',
  'contingency.fired',
  'team.ended',
  // Undo: the corrections, and every team command one may name.
  'event.corrected',
  'milestone.marked',
  'contingency.triggered',
] as const;

export const PROGRAMME_STATUSES = ['never', 'overdue', 'current'] as const;
export type ProgrammeStatus = (typeof PROGRAMME_STATUSES)[number];

const ResultSchema = z.enum(['success', 'partial', 'failure']);

export const ProgrammeTeamSchema = z.object({
  teamName: z.string(),
  /** When this team last exercised the item (the session's start). */
  lastTimestamp: z.number(),
  sessionId: z.string(),
  sessionName: z.string(),
  /** How the team's exercise ended; null while it has not ended. */
  result: ResultSchema.nullable(),
  ending: z.string().nullable(),
  /** Points earned (gains) and lost (costs) by the team's choices and chance events in that session. */
  earned: z.number(),
  lost: z.number(),
  /** The most one path through the scenario can earn; null when its timeline loops. */
  available: z.number().nullable(),
  /** How many times (sessions) this team exercised the item. */
  times: z.number(),
});
export type ProgrammeTeam = z.infer<typeof ProgrammeTeamSchema>;

export const ProgrammeItemSchema = z.object({
  /** The tag under which the item is counted (a phase alias folds into its phase). */
  key: z.string(),
  family: z.enum(PROGRAMME_FAMILIES),
  /** `SEC02-BP02`, `traceability`, `IRP-CredCompromise`, `T1078.004`, `PR.AA`… */
  id: z.string(),
  label: z.string(),
  /** The scenarios (library or recorded sessions) that declare it. */
  declaredBy: z.array(z.object({ scenarioId: z.string(), title: z.string(), critical: z.boolean(), inLibrary: z.boolean() })),
  critical: z.boolean(),
  cadenceDays: z.number(),
  lastExercised: z.object({ timestamp: z.number(), sessionId: z.string(), sessionName: z.string() }).nullable(),
  sessions: z.number(),
  teams: z.array(ProgrammeTeamSchema),
  /** When it is next due (last exercised + cadence); null when never exercised. */
  dueTimestamp: z.number().nullable(),
  status: z.enum(PROGRAMME_STATUSES),
});
export type ProgrammeItem = z.infer<typeof ProgrammeItemSchema>;

export const VocabularySourceSchema = z.object({ framework: z.string(), version: z.string(), date: z.string(), source: z.string() });

export const ProgrammeSchema = z.object({
  generatedTimestamp: z.number(),
  cadence: z.object({ defaultDays: z.number(), criticalDays: z.number() }),
  filter: z.object({ families: z.array(z.enum(PROGRAMME_FAMILIES)), statuses: z.array(z.enum(PROGRAMME_STATUSES)), teamName: z.string().nullable() }),
  vocabularies: z.object({ playbook: VocabularySourceSchema, attack: VocabularySourceSchema, csf: VocabularySourceSchema }),
  /** Sessions read, and those that were started (only those exercise anything). */
  sessionsRead: z.number(),
  sessionsStarted: z.number(),
  /** Counts over every item the filter keeps, before the status filter. */
  summary: z.object({ items: z.number(), never: z.number(), overdue: z.number(), current: z.number() }),
  items: z.array(ProgrammeItemSchema),
});
export type Programme = z.infer<typeof ProgrammeSchema>;

// ---------------------------------------------------------------- inputs

export interface ProgrammeEntry {
  seq: number;
  teamId: string | null;
  type: string;
  origin: string;
  wallMs: number;
  payload: unknown;
}

export interface ProgrammeSessionInput {
  sessionId: string;
  name: string;
  /** The scenario it ran; null if it could not be read (the session is then skipped). */
  scenario: Scenario | null;
  /** Its log entries of `PROGRAMME_EVENT_TYPES` (others are ignored), in seq order. */
  events: readonly ProgrammeEntry[];
}

export interface ProgrammeFilter {
  families?: readonly ProgrammeFamily[] | undefined;
  statuses?: readonly ProgrammeStatus[] | undefined;
  teamName?: string | undefined;
}

// ---------------------------------------------------------------- what a scenario declares

interface ItemInfo {
  key: string;
  family: ProgrammeFamily;
  id: string;
  label: string;
}

interface Points {
  earned: number;
  lost: number;
}

/** Everything the programme needs to know of one scenario, worked out once. */
interface ScenarioFacts {
  id: string;
  title: string;
  critical: boolean;
  declared: Map<string, ItemInfo>;
  /** Meta and objective items: exercised by every team that played. */
  always: string[];
  nodes: Map<string, string[]>;
  options: Map<string, { keys: string[]; points: Points }>;
  outcomes: Map<string, Points>;
  contingencies: Map<string, string[]>;
  endings: Map<string, string>;
  available: number | null;
}

const facts = new WeakMap<Scenario, ScenarioFacts>();

/** The item a tag names, or null for a tag that is not one (or not a programme family). */
export function itemOf(tag: string): ItemInfo | null {
  const parsed = parseTag(tag);
  if (!parsed.ok) return null;
  const { family, value } = parsed.tag;
  const key = canonicalTag(tag);
  switch (family) {
    case 'waf': {
      const version = WAF_TAG_PATTERN.exec(tag)?.[1] ?? '';
      const title = WAF_BEST_PRACTICE_TITLES[version]?.[value];
      return { key, family, id: value, label: `${title ?? value} (Well-Architected ${version})` };
    }
    case 'principle':
      return { key, family, id: value, label: DESIGN_PRINCIPLES[value as keyof typeof DESIGN_PRINCIPLES] };
    case 'srm':
      return { key, family, id: value, label: RESPONSIBILITY_SIDES[value as keyof typeof RESPONSIBILITY_SIDES] };
    case 'phase':
      return { key, family, id: value, label: PHASES[value as keyof typeof PHASES] };
    case 'playbook':
      return { key, family, id: value, label: PLAYBOOKS_BY_ID.get(value)?.name ?? value };
    case 'attack':
      return { key, family, id: value, label: attackFullName(value) ?? value };
    case 'csf':
      return { key, family, id: value, label: csfFullName(value) ?? value };
  }
}

function pointsOf(score: Readonly<Record<string, number>> | undefined): Points {
  let earned = 0;
  let lost = 0;
  for (const value of Object.values(score ?? {})) {
    if (value > 0) earned += value;
    else lost -= value;
  }
  return { earned, lost };
}

function factsOf(scenario: Scenario): ScenarioFacts {
  const known = facts.get(scenario);
  if (known) return known;
  const declared = new Map<string, ItemInfo>();
  const keysOf = (tags: Iterable<string>): string[] => {
    const keys = new Set<string>();
    for (const tag of tags) {
      const item = itemOf(tag);
      if (!item) continue;
      if (!declared.has(item.key)) declared.set(item.key, item);
      keys.add(item.key);
    }
    return [...keys];
  };
  const always = keysOf([...scenario.meta.tags, ...scenario.objectives.flatMap((o) => o.tags)]);
  const nodes = new Map<string, string[]>();
  const options = new Map<string, { keys: string[]; points: Points }>();
  const outcomes = new Map<string, Points>();
  const endings = new Map<string, string>();
  for (const node of scenario.timeline) {
    switch (node.type) {
      case 'inject':
        nodes.set(node.id, keysOf(node.tags));
        break;
      case 'decision':
        nodes.set(node.id, keysOf(node.tags));
        for (const option of node.options) {
          const score = option.consequences.score;
          options.set(`${node.id}\u0000${option.id}`, { keys: keysOf([...option.tags, ...Object.keys(score ?? {})]), points: pointsOf(score) });
        }
        break;
      case 'random':
        for (const outcome of node.outcomes) outcomes.set(`${node.id}\u0000${outcome.id}`, pointsOf(outcome.consequences.score));
        break;
      case 'end':
        endings.set(node.id, node.title);
        break;
      case 'branch':
        break; // a branch declares no tags
    }
  }
  const contingencies = new Map(scenario.contingencies.map((c) => [c.id, keysOf(c.tags)]));
  const made: ScenarioFacts = {
    id: scenario.meta.id,
    title: scenario.meta.title,
    critical: scenario.meta.critical === true,
    declared,
    always,
    nodes,
    options,
    outcomes,
    contingencies,
    endings,
    available: totalAvailable(scenario),
  };
  facts.set(scenario, made);
  return made;
}

// ---------------------------------------------------------------- one session

interface TeamRun {
  teamName: string;
  keys: Set<string>;
  result: 'success' | 'partial' | 'failure' | null;
  ending: string | null;
  earned: number;
  lost: number;
}

interface SessionRun {
  sessionId: string;
  name: string;
  startedAt: number;
  facts: ScenarioFacts;
  teams: TeamRun[];
}

const str = (payload: unknown, field: string): string | undefined => {
  const value = payload !== null && typeof payload === 'object' ? (payload as Record<string, unknown>)[field] : undefined;
  return typeof value === 'string' ? value : undefined;
};

/** What each team of one session exercised, and how it ended; null if the session never started. */
export function sessionRun(input: ProgrammeSessionInput): SessionRun | null {
  if (!input.scenario) return null;
  const f = factsOf(input.scenario);
  const events = countedEvents(input.events);
  const created = events.find((e) => e.type === 'session.created');
  const started = events.find((e) => e.type === 'session.started');
  if (!created || !started) return null;
  const config = created.payload as { teams?: Array<{ id: string; name: string }> };
  const teams = new Map<string, TeamRun>((config.teams ?? []).map((t) => [t.id, { teamName: t.name, keys: new Set(f.always), result: null, ending: null, earned: 0, lost: 0 }]));
  const add = (team: TeamRun, keys: readonly string[] | undefined) => {
    if (keys) for (const k of keys) team.keys.add(k);
  };
  for (const e of events) {
    const team = e.teamId === null ? undefined : teams.get(e.teamId);
    if (!team) continue;
    switch (e.type) {
      case 'inject.delivered':
      case 'decision.opened':
        add(team, f.nodes.get(str(e.payload, 'nodeId') ?? ''));
        break;
      case 'decision.recorded':
      case 'decision.timedOut': {
        const option = f.options.get(`${str(e.payload, 'decisionId') ?? ''}\u0000${str(e.payload, 'optionId') ?? ''}`);
        if (option) {
          add(team, option.keys);
          team.earned += option.points.earned;
          team.lost += option.points.lost;
        }
        break;
      }
      case 'random.rolled': {
        const points = f.outcomes.get(`${str(e.payload, 'nodeId') ?? ''}\u0000${str(e.payload, 'outcomeId') ?? ''}`);
        if (points) {
          team.earned += points.earned;
          team.lost += points.lost;
        }
        break;
      }
      case 'contingency.fired':
        add(team, f.contingencies.get(str(e.payload, 'contingencyId') ?? ''));
        break;
      case 'team.ended': {
        const result = str(e.payload, 'result');
        team.result = result === 'success' || result === 'partial' || result === 'failure' ? result : null;
        team.ending = f.endings.get(str(e.payload, 'nodeId') ?? '') ?? null;
        break;
      }
    }
  }
  return { sessionId: input.sessionId, name: input.name, startedAt: started.wallMs, facts: f, teams: [...teams.values()] };
}

// ---------------------------------------------------------------- across sessions

/** Where an item sorts within its family: the vocabulary's own order where there is one. */
const ORDER: Partial<Record<ProgrammeFamily, ReadonlyMap<string, number>>> = {
  principle: new Map(Object.keys(DESIGN_PRINCIPLES).map((k, i) => [k, i])),
  srm: new Map(['customer', 'shared', 'aws'].map((k, i) => [k, i])),
  phase: new Map(Object.keys(PHASES).map((k, i) => [k, i])),
  playbook: new Map(PLAYBOOKS.map((p, i) => [p.id, i])),
  csf: new Map(CSF_CATEGORIES.map((c, i) => [c.id, i])),
  attack: new Map(ATTACK_TECHNIQUES.map((t, i) => [t.id, i])),
};

function compareItems(a: ItemInfo, b: ItemInfo): number {
  const family = PROGRAMME_FAMILIES.indexOf(a.family) - PROGRAMME_FAMILIES.indexOf(b.family);
  if (family !== 0) return family;
  const order = ORDER[a.family];
  const ra = order?.get(a.id) ?? Infinity;
  const rb = order?.get(b.id) ?? Infinity;
  return ra !== rb ? ra - rb : a.key.localeCompare(b.key, 'en', { numeric: true });
}

export const PROGRAMME_VOCABULARIES: Programme['vocabularies'] = { playbook: PLAYBOOK_VOCABULARY, attack: ATTACK_VOCABULARY, csf: CSF_VOCABULARY } satisfies Record<
  string,
  VocabularySource
>;

/**
 * The programme across sessions. `library`: the scenarios in the library now
 * (their items are listed even if never exercised); `sessions`: every
 * recorded session with its scenario and its log entries of
 * `PROGRAMME_EVENT_TYPES`; `now`: the time cadence is judged at.
 */
export function computeProgramme(library: readonly Scenario[], sessions: readonly ProgrammeSessionInput[], now: number, filter: ProgrammeFilter = {}): Programme {
  const families = new Set<ProgrammeFamily>(filter.families?.length ? filter.families : PROGRAMME_FAMILIES);
  const statuses = new Set<ProgrammeStatus>(filter.statuses?.length ? filter.statuses : PROGRAMME_STATUSES);
  const wantedTeam = filter.teamName === undefined ? null : normaliseTeamName(filter.teamName);

  interface Aggregate {
    info: ItemInfo;
    declaredBy: Map<string, { scenarioId: string; title: string; critical: boolean; inLibrary: boolean }>;
    last: { timestamp: number; sessionId: string; sessionName: string } | null;
    sessions: Set<string>;
    teams: Map<string, ProgrammeTeam>;
  }
  const items = new Map<string, Aggregate>();
  const declare = (f: ScenarioFacts, inLibrary: boolean) => {
    for (const info of f.declared.values()) {
      if (!families.has(info.family)) continue;
      let item = items.get(info.key);
      if (!item) items.set(info.key, (item = { info, declaredBy: new Map(), last: null, sessions: new Set(), teams: new Map() }));
      const by = item.declaredBy.get(f.id);
      if (!by) item.declaredBy.set(f.id, { scenarioId: f.id, title: f.title, critical: f.critical, inLibrary });
      else {
        by.inLibrary ||= inLibrary;
        if (inLibrary) {
          // The library's copy says what the scenario is now.
          by.title = f.title;
          by.critical = f.critical;
        }
      }
    }
  };
  for (const scenario of library) declare(factsOf(scenario), true);

  let started = 0;
  for (const input of sessions) {
    const run = sessionRun(input);
    if (!run) continue;
    started++;
    declare(run.facts, false);
    for (const team of run.teams) {
      if (wantedTeam !== null && normaliseTeamName(team.teamName) !== wantedTeam) continue;
      for (const key of team.keys) {
        const item = items.get(key);
        if (!item) continue; // a family the filter leaves out
        item.sessions.add(run.sessionId);
        if (!item.last || run.startedAt > item.last.timestamp) item.last = { timestamp: run.startedAt, sessionId: run.sessionId, sessionName: run.name };
        const teamKey = normaliseTeamName(team.teamName);
        const previous = item.teams.get(teamKey);
        if (!previous || run.startedAt >= previous.lastTimestamp) {
          item.teams.set(teamKey, {
            teamName: team.teamName,
            lastTimestamp: run.startedAt,
            sessionId: run.sessionId,
            sessionName: run.name,
            result: team.result,
            ending: team.ending,
            earned: team.earned,
            lost: team.lost,
            available: run.facts.available,
            times: (previous?.times ?? 0) + 1,
          });
        } else previous.times += 1;
      }
    }
  }

  const all = [...items.values()]
    .sort((a, b) => compareItems(a.info, b.info))
    .map((item): ProgrammeItem => {
      const declaredBy = [...item.declaredBy.values()].sort((a, b) => a.title.localeCompare(b.title));
      const critical = declaredBy.some((d) => d.critical);
      const cadenceDays = critical ? CRITICAL_CADENCE_DAYS : DEFAULT_CADENCE_DAYS;
      const dueTimestamp = item.last ? item.last.timestamp + cadenceDays * DAY_MS : null;
      const status: ProgrammeStatus = dueTimestamp === null ? 'never' : dueTimestamp < now ? 'overdue' : 'current';
      return {
        ...item.info,
        declaredBy,
        critical,
        cadenceDays,
        lastExercised: item.last,
        sessions: item.sessions.size,
        teams: [...item.teams.values()].sort((a, b) => b.lastTimestamp - a.lastTimestamp || a.teamName.localeCompare(b.teamName)),
        dueTimestamp,
        status,
      };
    });
  const count = (s: ProgrammeStatus) => all.filter((i) => i.status === s).length;
  return {
    generatedTimestamp: now,
    cadence: { defaultDays: DEFAULT_CADENCE_DAYS, criticalDays: CRITICAL_CADENCE_DAYS },
    filter: { families: [...families], statuses: [...statuses], teamName: filter.teamName ?? null },
    vocabularies: PROGRAMME_VOCABULARIES,
    sessionsRead: sessions.length,
    sessionsStarted: started,
    summary: { items: all.length, never: count('never'), overdue: count('overdue'), current: count('current') },
    items: all.filter((i) => statuses.has(i.status)),
  };
}
