/**
 * `computeDebrief(scenario, events)`: the debrief of a session, computed in
 * one pass over its event log (plus a short finishing pass). Pure: the same
 * scenario and log always give the same debrief, so an exported log can be
 * re-checked against the metrics exported with it.
 *
 * The pass keeps what concerns the whole session (the clock, its pauses,
 * speed changes and jumps, notes about the session, the participants' names)
 * and hands each event about a team to that team's reducer
 * (./team-reducer.ts); teams are then compared (./compare.ts).
 *
 * Time conventions (scenario time, active wall time, timestamps) are those of
 * ./model.ts.
 */
import { countedEvents } from '../engine/corrections.ts';
import type { LogEvent, SessionConfig } from '../engine/events.ts';
import type { Contingency, Scenario, TimelineNode } from '../scenario/schema.ts';
import { trackLayout } from '../scenario/tracks.ts';
import { ActiveTime } from './active-time.ts';
import { compareTeams } from './compare.ts';
import { DEBRIEF_FORMAT_VERSION, type Debrief, type Observation } from './model.ts';
import { participationDebrief } from './participation.ts';
import { ScoreCeilings } from './score.ts';
import { TeamReducer, type DebriefContext, type Reached } from './team-reducer.ts';

export { KEY_MILESTONES } from './team-reducer.ts';

/** The log cannot be read as a session (it does not begin with `session.created`). */
export class DebriefError extends Error {
  override name = 'DebriefError';
}

/** The debrief of a session: its scenario and its whole event log (in seq order, beginning with `session.created`). */
export function computeDebrief(scenario: Scenario, events: readonly LogEvent[]): Debrief {
  const first = events[0];
  if (!first || first.type !== 'session.created') throw new DebriefError('The event log does not begin with session.created.');
  const config: SessionConfig = first.payload;
  const layout = trackLayout(scenario);
  /** participant id -> name, for "revealed on request of …". */
  const participantNames = new Map<string, string>();
  const context: DebriefContext = {
    scenario,
    config,
    nodes: new Map<string, TimelineNode>(scenario.timeline.map((n) => [n.id, n])),
    contingencies: new Map<string, Contingency>(scenario.contingencies.map((c) => [c.id, c])),
    ceilings: ScoreCeilings.for(scenario),
    trackOf: (nodeId) => layout.trackOf(nodeId) ?? layout.tracks[0]!.id,
    tracks: layout.declared ? layout.tracks.map((t) => ({ id: t.id, title: t.title ?? t.id })) : null,
    participantName: (participantId) => participantNames.get(participantId),
  };
  const teams = new Map(config.teams.map((team) => [team.id, new TeamReducer(team, context)]));
  const clock = new ActiveTime(config.speed);
  const speedChanges: Debrief['clock']['speedChanges'] = [];
  const jumps: Debrief['clock']['jumps'] = [];
  const sessionObjectiveNotes: Observation[] = [];
  const sessionNotes: Observation[] = [];
  let endReason: string | null = null;
  let maxScenarioMs = 0;

  // Undone actions (and what they caused) are not part of the exercise's record of what happened.
  for (const event of countedEvents(events)) {
    maxScenarioMs = Math.max(maxScenarioMs, event.scenarioMs);
    // When it happened, and its active time, read before a clock event at that moment changes the clock.
    const at = clock.timestampOf(event);
    const wallMs = clock.activeAt(at);
    const reached: Reached = { scenarioMs: event.scenarioMs, wallMs, timestamp: at };

    if (event.type === 'clock.speedChanged') {
      speedChanges.push({ scenarioMs: event.scenarioMs, wallMs, timestamp: at, from: clock.speed, to: event.payload.speed });
    } else if (event.type === 'clock.jumped') {
      jumps.push({ fromScenarioMs: clock.scenarioAt(at), toScenarioMs: event.payload.toScenarioMs, wallMs, timestamp: at });
    } else if (event.type === 'session.ended') {
      endReason = event.payload.reason;
    }
    if (clock.apply(event)) continue;

    if (event.type === 'note.added') {
      const note: Observation = {
        seq: event.seq,
        teamId: event.teamId,
        objectiveId: event.payload.objectiveId ?? null,
        scenarioMs: event.scenarioMs,
        wallMs,
        timestamp: at,
        text: event.payload.text,
        rating: event.payload.rating ?? null,
        author: event.payload.author ?? null,
      };
      if (event.teamId === null) (note.objectiveId ? sessionObjectiveNotes : sessionNotes).push(note);
      else teams.get(event.teamId)?.note(note);
      continue;
    }

    if (event.type === 'participant.joined') participantNames.set(event.payload.participantId, event.payload.name);
    if (event.teamId !== null) teams.get(event.teamId)?.apply(event, reached);
  }

  const last = events.at(-1)!;
  const endTimestamp = clock.endedAt ?? last.wallMs;
  const startedAt = clock.startedAt;
  const pauses = clock.pauses.map((p) => ({ ...p, wallDurationMs: Math.max(0, (p.toTimestamp ?? endTimestamp) - p.fromTimestamp) }));
  const status: Debrief['session']['status'] = clock.endedAt !== null ? 'ended' : startedAt === null ? 'setup' : clock.paused ? 'paused' : 'running';
  const teamDebriefs = [...teams.values()].map((team) => team.finish({ maxScenarioMs, pauses, jumps, sessionObjectiveNotes }));

  return {
    formatVersion: DEBRIEF_FORMAT_VERSION,
    session: {
      id: first.sessionId,
      name: config.name,
      facilitator: config.facilitator,
      sensitivity: config.sensitivity,
      scenarioId: config.scenarioId,
      scenarioVersion: config.scenarioVersion,
      scenarioTitle: scenario.meta.title,
      scenarioSha256: config.scenarioSha256,
      seed: config.seed,
      status,
      createdTimestamp: first.wallMs,
      startedTimestamp: startedAt,
      endedTimestamp: clock.endedAt,
      endReason,
      durationScenarioMs: maxScenarioMs,
      elapsedWallMs: startedAt === null ? 0 : Math.max(0, endTimestamp - startedAt),
      activeWallMs: clock.activeAt(endTimestamp),
      eventCount: events.length,
      lastSeq: last.seq,
      lastHash: last.hash,
    },
    clock: {
      initialSpeed: config.speed,
      pauses: { count: pauses.length, totalWallMs: pauses.reduce((sum, p) => sum + p.wallDurationMs, 0), items: pauses },
      speedChanges,
      jumps,
    },
    teams: teamDebriefs,
    comparison: compareTeams(scenario, teamDebriefs),
    notes: sessionNotes,
    participation: participationDebrief(scenario, config, events),
  };
}
