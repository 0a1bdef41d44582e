/**
 * The debrief of a session: every metric the debrief screen, the reports and
 * the exports show, computed from the scenario and the event log alone
 * (see ./compute.ts). Defined as zod schemas so that the contract, the JSON
 * export and its re-import share one definition.
 *
 * Time fields, everywhere in this model:
 *  - `…ScenarioMs` / `scenarioMs` / `atMs` / `fromMs` / `toMs` / `targetMs`:
 *    scenario time, the simulated exercise clock, in ms from scenario minute 0.
 *  - `…WallMs` / `wallMs`: ACTIVE wall time, in ms since `session.started`,
 *    counting only the periods in which the exercise clock was running
 *    (from `session.started` or `clock.resumed` to the next `clock.paused`
 *    or `session.ended`). Pauses are excluded; speed changes, jumps and
 *    manual (speed 0) play are not pauses and are included, because the room
 *    was playing. It answers "how long did the team actually take".
 *    Events recorded before the start (setup notes) are at active wall time 0.
 *  - `…Timestamp` / `timestamp`: the wall clock itself (Unix epoch ms). For
 *    what people did (commands, notes), when it was recorded; for what the
 *    engine did (injects, decisions opening, time-outs, milestones reached by
 *    a random event, contingencies), when the scenario clock reached the
 *    event's scenario time — the runner may stamp such an event a little
 *    later (its timer fires late, or a jump or a command brought the team up
 *    to date). Active wall times are taken at these moments.
 *  - `deltaMs`, `latency…`, `…DurationMs`: differences of the above.
 */
import { z } from 'zod';
import { HSEEP_RATING_LABELS, HSEEP_RATINGS, SESSION_STATUSES } from '../enums.ts';
import { ParticipationDebriefSchema } from './participation.ts';
import { SessionIdentityShape } from '../session-identity.ts';

export const DEBRIEF_FORMAT_VERSION = 1;

export const HseepRatingSchema = z.enum(HSEEP_RATINGS);

/** The HSEEP scale in words. */
export { HSEEP_RATING_LABELS };

/** What made something happen: a team's decision (recorded or timed out) or a random event. */
export const CauseSchema = z.object({
  kind: z.enum(['decision', 'random']),
  nodeId: z.string(),
  /** The option chosen, or the random outcome rolled. */
  optionId: z.string(),
  seq: z.number(),
});

export const MilestoneResultSchema = z.object({
  id: z.string(),
  label: z.string(),
  /** Scenario time it was reached, or null if it was not. */
  scenarioMs: z.number().nullable(),
  /** Active wall time it was reached (see the module comment). */
  wallMs: z.number().nullable(),
  timestamp: z.number().nullable(),
  /** The session's target (set at setup; the scenario's target by default). */
  targetMs: z.number(),
  /** Reached no later than the target. */
  met: z.boolean(),
  /** scenarioMs − targetMs: positive = missed by, negative or zero = ahead by; null if not reached. */
  deltaMs: z.number().nullable(),
  /** `choice`: a decision or random outcome reached it; `facilitator`: marked by hand. */
  source: z.enum(['choice', 'facilitator', 'inject']).nullable(),
  via: CauseSchema.nullable(),
});

export const ElapsedSchema = z.object({ scenarioMs: z.number(), wallMs: z.number() });

/** Time from the start of the exercise to each of the four required milestones. */
export const KeyTimesSchema = z.object({
  detect: ElapsedSchema.nullable(),
  contain: ElapsedSchema.nullable(),
  eradicate: ElapsedSchema.nullable(),
  recover: ElapsedSchema.nullable(),
});

export const LedToSchema = z.object({
  /** The first node the room saw after the choice: an inject, a decision or an end. */
  nodeId: z.string(),
  type: z.enum(['inject', 'decision', 'branch', 'random', 'end']),
  title: z.string(),
  /** Branches and random events passed on the way, with what they resolved to. */
  via: z.array(z.object({ nodeId: z.string(), kind: z.enum(['branch', 'random']), title: z.string(), result: z.string() })),
});

export const DecisionResultSchema = z.object({
  decisionId: z.string(),
  title: z.string(),
  /** 1 for the first time the team reached this decision, 2 for the second… */
  visit: z.number(),
  status: z.enum(['decided', 'timedOut', 'open']),
  /** The inject on screen when the decision opened. */
  injectId: z.string().nullable(),
  injectTitle: z.string().nullable(),
  openedScenarioMs: z.number(),
  openedWallMs: z.number(),
  openedTimestamp: z.number(),
  decidedScenarioMs: z.number().nullable(),
  decidedWallMs: z.number().nullable(),
  decidedTimestamp: z.number().nullable(),
  /** decision.opened → decision.recorded (or the time-out), in scenario time and in active wall time. */
  latencyScenarioMs: z.number().nullable(),
  latencyWallMs: z.number().nullable(),
  options: z.array(z.object({ id: z.string(), label: z.string(), recommended: z.boolean() })),
  optionId: z.string().nullable(),
  optionLabel: z.string().nullable(),
  rationale: z.string(),
  decidedBy: z.string(),
  recommended: z.array(z.object({ optionId: z.string(), label: z.string(), rationale: z.string().nullable() })),
  /** Whether the chosen option is a recommended one; null when the decision recommends none or is still open. */
  matchedRecommendation: z.boolean().nullable(),
  /** The chosen option's outcome text. */
  outcome: z.string().nullable(),
  ledTo: LedToSchema.nullable(),
  milestonesReached: z.array(z.string()),
  objectivesDemonstrated: z.array(z.string()),
  /** Points the chosen option scored, by tag. */
  score: z.record(z.string(), z.number()),
});

export const ScoreLineSchema = z.object({
  /** Best-practice tag, design-principle name, responsibility side or canonical phase. */
  key: z.string(),
  label: z.string(),
  points: z.number(),
  /** The most points any path through the scenario can score here; null when not computable (the timeline loops). */
  max: z.number().nullable(),
  /** The most points any path can earn here, gains only (costs not subtracted); null when not computable. */
  available: z.number().nullable(),
});

export const ScoreGroupSchema = z.object({
  points: z.number(),
  max: z.number().nullable(),
  /** The most points any path can earn in the group, gains only. */
  available: z.number().nullable(),
  lines: z.array(ScoreLineSchema),
});

export const ScoreSchema = z.object({
  /** Points per tag as written in the scenario (what the engine keeps). */
  byTag: z.record(z.string(), z.number()),
  bestPractice: ScoreGroupSchema,
  principle: ScoreGroupSchema,
  responsibility: ScoreGroupSchema,
  phase: ScoreGroupSchema,
});

export const ObservationSchema = z.object({
  seq: z.number(),
  /** null: a note about the whole session. */
  teamId: z.string().nullable(),
  objectiveId: z.string().nullable(),
  scenarioMs: z.number(),
  wallMs: z.number(),
  timestamp: z.number(),
  text: z.string(),
  rating: HseepRatingSchema.nullable(),
  author: z.string().nullable(),
});

export const ObjectiveResultSchema = z.object({
  id: z.string(),
  text: z.string(),
  capability: z.string().nullable(),
  tags: z.array(z.string()),
  /** The latest HSEEP rating given to this objective for this team (team or session-wide observation). */
  rating: HseepRatingSchema.nullable(),
  demonstratedScenarioMs: z.number().nullable(),
  demonstratedWallMs: z.number().nullable(),
  /** Every observation behind the rating, oldest first. */
  observations: z.array(ObservationSchema),
});

export const ContingencyResultSchema = z.object({
  id: z.string(),
  title: z.string(),
  manual: z.boolean(),
  scenarioMs: z.number(),
  wallMs: z.number(),
  timestamp: z.number(),
  /** What it steers towards: fires at `byMs` unless this milestone/objective is reached. */
  condition: z.object({ kind: z.enum(['milestone', 'objective']), id: z.string(), byMs: z.number() }).nullable(),
});

export const TimelineItemSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('inject'), id: z.string(), title: z.string(), atMs: z.number(), phase: z.string().nullable() }),
  z.object({
    kind: z.literal('decision'),
    id: z.string(),
    title: z.string(),
    fromMs: z.number(),
    toMs: z.number().nullable(),
    status: z.enum(['decided', 'timedOut', 'open']),
    optionLabel: z.string().nullable(),
  }),
  z.object({ kind: z.literal('milestone'), id: z.string(), label: z.string(), atMs: z.number(), targetMs: z.number(), met: z.boolean() }),
  z.object({ kind: z.literal('contingency'), id: z.string(), title: z.string(), atMs: z.number(), manual: z.boolean() }),
  z.object({ kind: z.literal('pause'), atMs: z.number(), wallDurationMs: z.number() }),
  z.object({ kind: z.literal('jump'), fromMs: z.number(), toMs: z.number() }),
  z.object({ kind: z.literal('phase'), phase: z.string(), label: z.string(), fromMs: z.number(), toMs: z.number() }),
  z.object({ kind: z.literal('end'), id: z.string(), title: z.string(), result: z.enum(['success', 'partial', 'failure']), atMs: z.number() }),
  /** Format 1.1: a held-back evidence item revealed to the team, by the facilitator or on a participant's request (their name). */
  z.object({ kind: z.literal('evidence'), id: z.string(), caption: z.string(), atMs: z.number(), by: z.enum(['facilitator', 'participant']), requestedBy: z.string().nullable() }),
]);

/** How a track of a team ended (scenarios with parallel tracks). */
export const TrackEndingSchema = z.object({
  nodeId: z.string(),
  title: z.string(),
  result: z.enum(['success', 'partial', 'failure']),
  scenarioMs: z.number(),
});

/** One track's path through the scenario: the injects, decisions and ending it met, in order. */
export const TrackPathSchema = z.object({
  id: z.string(),
  title: z.string(),
  path: z.array(z.object({ nodeId: z.string(), kind: z.enum(['inject', 'decision', 'end']), title: z.string(), atMs: z.number() })),
  /** Null: the track was still under way when the lead track (and so the team) ended, or the session stopped. */
  ended: TrackEndingSchema.nullable(),
});

export const TeamDebriefSchema = z.object({
  id: z.string(),
  name: z.string(),
  participants: z.array(z.object({ name: z.string(), role: z.string().nullable() })),
  ended: z.object({ nodeId: z.string(), title: z.string(), result: z.enum(['success', 'partial', 'failure']), scenarioMs: z.number(), wallMs: z.number() }).nullable(),
  /** Milestone id → result, in the scenario's order. */
  milestones: z.record(z.string(), MilestoneResultSchema),
  timeTo: KeyTimesSchema,
  decisions: z.array(DecisionResultSchema),
  score: ScoreSchema,
  objectives: z.array(ObjectiveResultSchema),
  contingencies: z.array(ContingencyResultSchema),
  /** The scenario's variables at the end of the log, as choices, random outcomes and (format 1.1) injects and contingencies left them. */
  variables: z.record(z.string(), z.union([z.number(), z.boolean(), z.string()])),
  /** The team's notes that rate no objective. */
  notes: z.array(ObservationSchema),
  /** Items for a chart on the scenario-time axis, ordered by time. */
  timeline: z.array(TimelineItemSchema),
  /** Scenarios with parallel tracks only: each track's path and ending (the team's result is the lead track's). */
  tracks: z.array(TrackPathSchema).optional(),
});

export const PauseSchema = z.object({
  /** Scenario time at which the clock stood still. */
  scenarioMs: z.number(),
  /** Active wall time when it paused. */
  wallMs: z.number(),
  fromTimestamp: z.number(),
  /** null: still paused when the log ends. */
  toTimestamp: z.number().nullable(),
  wallDurationMs: z.number(),
});

export const ClockHistorySchema = z.object({
  initialSpeed: z.number(),
  pauses: z.object({ count: z.number(), totalWallMs: z.number(), items: z.array(PauseSchema) }),
  speedChanges: z.array(z.object({ scenarioMs: z.number(), wallMs: z.number(), timestamp: z.number(), from: z.number(), to: z.number() })),
  jumps: z.array(z.object({ fromScenarioMs: z.number(), toScenarioMs: z.number(), wallMs: z.number(), timestamp: z.number() })),
});

export const DebriefSessionSchema = z.object({
  ...SessionIdentityShape,
  scenarioSha256: z.string(),
  seed: z.string(),
  status: z.enum(SESSION_STATUSES),
  createdTimestamp: z.number(),
  startedTimestamp: z.number().nullable(),
  endedTimestamp: z.number().nullable(),
  endReason: z.string().nullable(),
  /** Scenario time reached when the log ends. */
  durationScenarioMs: z.number(),
  /** Wall time from the start to the end of the log, pauses included. */
  elapsedWallMs: z.number(),
  /** The same without the pauses. */
  activeWallMs: z.number(),
  eventCount: z.number(),
  lastSeq: z.number(),
  /** Hash of the last event: the whole log's fingerprint. */
  lastHash: z.string(),
});

export const ComparisonSchema = z.object({
  milestones: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      targetMs: z.number(),
      teams: z.array(z.object({ teamId: z.string(), scenarioMs: z.number().nullable(), wallMs: z.number().nullable(), met: z.boolean() })),
      /** Teams that reached it first in scenario time (ties share). */
      fastestTeamIds: z.array(z.string()),
    }),
  ),
  metrics: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      unit: z.enum(['count', 'ms', 'points']),
      better: z.enum(['lower', 'higher']),
      values: z.array(z.object({ teamId: z.string(), value: z.number().nullable() })),
      bestTeamIds: z.array(z.string()),
    }),
  ),
});

export const DebriefSchema = z.object({
  formatVersion: z.literal(DEBRIEF_FORMAT_VERSION),
  session: DebriefSessionSchema,
  clock: ClockHistorySchema,
  teams: z.array(TeamDebriefSchema),
  comparison: ComparisonSchema,
  /** Session-wide notes that rate no objective. */
  notes: z.array(ObservationSchema),
  /** Participants on their own devices: attendance, votes and alignment, questions, hot wash (absent in exports made before it existed). */
  participation: ParticipationDebriefSchema.optional(),
});

export type HseepRating = z.infer<typeof HseepRatingSchema>;
export type Cause = z.infer<typeof CauseSchema>;
export type MilestoneResult = z.infer<typeof MilestoneResultSchema>;
export type Elapsed = z.infer<typeof ElapsedSchema>;
export type KeyTimes = z.infer<typeof KeyTimesSchema>;
export type LedTo = z.infer<typeof LedToSchema>;
export type DecisionResult = z.infer<typeof DecisionResultSchema>;
export type ScoreGroup = z.infer<typeof ScoreGroupSchema>;
export type Score = z.infer<typeof ScoreSchema>;
export type Observation = z.infer<typeof ObservationSchema>;
export type ObjectiveResult = z.infer<typeof ObjectiveResultSchema>;
export type ContingencyResult = z.infer<typeof ContingencyResultSchema>;
export type TimelineItem = z.infer<typeof TimelineItemSchema>;
export type TeamDebrief = z.infer<typeof TeamDebriefSchema>;
export type TrackPath = z.infer<typeof TrackPathSchema>;
export type TrackEnding = z.infer<typeof TrackEndingSchema>;
export type Pause = z.infer<typeof PauseSchema>;
export type DebriefSession = z.infer<typeof DebriefSessionSchema>;
export type Comparison = z.infer<typeof ComparisonSchema>;
export type Debrief = z.infer<typeof DebriefSchema>;
