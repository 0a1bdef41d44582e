/**
 * Trends across sessions: how a scenario's or a team's times to detect,
 * contain, eradicate and recover move from one exercise to the next, and how
 * the improvement plan gets closed over time. Pure.
 *
 * Each session needs only a light pass over its log (clock events and
 * milestones), so trends over many sessions stay cheap.
 */
import { countedEvents } from '../engine/corrections.ts';
import { z } from 'zod';
import type { LogEvent, SessionConfig } from '../engine/events.ts';
import { ActiveTime } from './active-time.ts';
import { KEY_MILESTONES } from './compute.ts';
import { normaliseTeamName, type ImprovementItem } from './improvement.ts';
import { KeyTimesSchema, type KeyTimes } from './model.ts';

export const KEY_TIME_METRICS = ['detect', 'contain', 'eradicate', 'recover'] as const;
export type KeyTimeMetric = (typeof KEY_TIME_METRICS)[number];

export const SessionKeyTimesSchema = z.object({
  sessionId: z.string(),
  name: z.string(),
  scenarioId: z.string(),
  scenarioVersion: z.string(),
  createdTimestamp: z.number(),
  startedTimestamp: z.number().nullable(),
  teams: z.array(
    z.object({
      teamName: z.string(),
      timeTo: KeyTimesSchema,
      milestonesMet: z.number(),
      milestonesTotal: z.number(),
    }),
  ),
});
export type SessionKeyTimes = z.infer<typeof SessionKeyTimesSchema>;

const CountPoint = z.object({ timestamp: z.number(), count: z.number() });

export const TrendsSchema = z.object({
  filter: z.object({ scenarioId: z.string().nullable(), teamName: z.string().nullable() }),
  /** The sessions included, oldest first (by start, or creation if never started). */
  sessions: z.array(SessionKeyTimesSchema),
  /** One series per team name and key time, oldest session first; null values where the milestone was not reached. */
  series: z.array(
    z.object({
      metric: z.enum(KEY_TIME_METRICS),
      teamName: z.string(),
      points: z.array(z.object({ sessionId: z.string(), timestamp: z.number(), scenarioMs: z.number().nullable(), wallMs: z.number().nullable() })),
    }),
  ),
  improvementPlan: z.object({
    /** Cumulative number of items created, and of items closed, after each change. */
    created: z.array(CountPoint),
    closed: z.array(CountPoint),
    open: z.number(),
    inProgress: z.number(),
    closedCount: z.number(),
  }),
});
export type Trends = z.infer<typeof TrendsSchema>;

/** A session's key times per team, from its log (beginning with `session.created`). */
export function sessionKeyTimes(events: readonly LogEvent[]): SessionKeyTimes | null {
  const first = events[0];
  if (!first || first.type !== 'session.created') return null;
  const config: SessionConfig = first.payload;
  const clock = new ActiveTime(config.speed);
  const reached = new Map<string, Map<string, { scenarioMs: number; wallMs: number }>>(config.teams.map((t) => [t.id, new Map()]));
  for (const event of countedEvents(events)) {
    if (event.type === 'milestone.reached' && event.teamId !== null) {
      const team = reached.get(event.teamId);
      if (team && !team.has(event.payload.milestoneId)) {
        team.set(event.payload.milestoneId, { scenarioMs: event.scenarioMs, wallMs: clock.activeAt(clock.timestampOf(event)) });
      }
      continue;
    }
    clock.apply(event);
  }
  const targets = Object.entries(config.milestoneTargets);
  return {
    sessionId: first.sessionId,
    name: config.name,
    scenarioId: config.scenarioId,
    scenarioVersion: config.scenarioVersion,
    createdTimestamp: first.wallMs,
    startedTimestamp: clock.startedAt,
    teams: config.teams.map((team) => {
      const times = reached.get(team.id)!;
      const timeTo = Object.fromEntries(Object.entries(KEY_MILESTONES).map(([metric, id]) => [metric, times.get(id) ?? null])) as KeyTimes;
      return {
        teamName: team.name,
        timeTo,
        milestonesMet: targets.filter(([id, target]) => (times.get(id)?.scenarioMs ?? Infinity) <= target).length,
        milestonesTotal: targets.length,
      };
    }),
  };
}

/**
 * Trends over sessions and improvement-plan items. With `scenarioId`, only
 * sessions of that scenario (and items found in them); with `teamName`, only
 * that team's results (and items).
 */
export function computeTrends(
  sessions: readonly SessionKeyTimes[],
  items: readonly ImprovementItem[],
  filter: { scenarioId?: string | undefined; teamName?: string | undefined } = {},
): Trends {
  const wanted = filter.teamName === undefined ? null : normaliseTeamName(filter.teamName);
  const when = (s: SessionKeyTimes) => s.startedTimestamp ?? s.createdTimestamp;
  const included = sessions
    .filter((s) => filter.scenarioId === undefined || s.scenarioId === filter.scenarioId)
    .map((s) => (wanted === null ? s : { ...s, teams: s.teams.filter((t) => normaliseTeamName(t.teamName) === wanted) }))
    .filter((s) => s.teams.length > 0)
    .sort((a, b) => when(a) - when(b) || (a.sessionId < b.sessionId ? -1 : 1));

  const series = new Map<string, Trends['series'][number]>();
  for (const session of included) {
    for (const team of session.teams) {
      for (const metric of KEY_TIME_METRICS) {
        const key = `${metric}\u0000${normaliseTeamName(team.teamName)}`;
        let line = series.get(key);
        if (!line) {
          line = { metric, teamName: team.teamName, points: [] };
          series.set(key, line);
        }
        line.teamName = team.teamName; // the latest spelling
        const t = team.timeTo[metric];
        line.points.push({ sessionId: session.sessionId, timestamp: when(session), scenarioMs: t?.scenarioMs ?? null, wallMs: t?.wallMs ?? null });
      }
    }
  }

  // Items follow the filter: the team's items, and with a scenario, only those found in its sessions.
  const sessionIds = new Set(included.map((s) => s.sessionId));
  const relevant = items.filter(
    (i) => (wanted === null || normaliseTeamName(i.teamName) === wanted) && (filter.scenarioId === undefined || (i.sessionId !== null && sessionIds.has(i.sessionId))),
  );
  return {
    filter: { scenarioId: filter.scenarioId ?? null, teamName: filter.teamName ?? null },
    sessions: included,
    series: [...series.values()].sort((a, b) => KEY_TIME_METRICS.indexOf(a.metric) - KEY_TIME_METRICS.indexOf(b.metric) || a.teamName.localeCompare(b.teamName)),
    improvementPlan: {
      created: cumulative(relevant.map((i) => i.createdWallMs)),
      closed: cumulative(relevant.filter((i) => i.closedWallMs !== null).map((i) => i.closedWallMs!)),
      open: relevant.filter((i) => i.status === 'open').length,
      inProgress: relevant.filter((i) => i.status === 'in-progress').length,
      closedCount: relevant.filter((i) => i.status === 'closed').length,
    },
  };
}

function cumulative(timestamps: number[]): Array<{ timestamp: number; count: number }> {
  return [...timestamps].sort((a, b) => a - b).map((timestamp, i) => ({ timestamp, count: i + 1 }));
}
