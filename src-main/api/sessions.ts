/**
 * Contract schemas for sessions: what the renderer sends to set up and run an
 * exercise, and the session state it gets back.
 */
import { z } from 'zod';
import { SessionIdentityShape } from '../core/session-identity.ts';
import { CLOCK_SPEEDS } from '../core/engine/clock.ts';
import { HSEEP_RATINGS, SESSION_STATUSES } from '../core/enums.ts';
import { ExportedEventSchema } from '../core/report/export.ts';
import { payloadIssues, type LogRecord } from './log-events.ts';
import { Evidence } from '../core/scenario/schema.ts';

const Name = z.string().trim().min(1).max(200);
const SessionId = z.string().min(1).max(64);
const TeamId = z.string().min(1).max(64);
const NodeRef = z.string().min(1).max(64);

export const ClockSpeed = z.literal(CLOCK_SPEEDS);

export const Participant = z.strictObject({ name: Name, role: z.string().trim().max(120).optional() });

export const CreateSessionInput = z.strictObject({
  scenarioId: z.string().min(1).max(64),
  name: Name,
  facilitator: Name,
  /** Handling marking for the reports; the scenario's own marking when omitted. */
  sensitivity: z.string().trim().min(1).max(120).optional(),
  teams: z
    .array(z.strictObject({ name: Name, participants: z.array(Participant).max(50).default([]) }))
    .min(1)
    .max(6)
    .superRefine((teams, ctx) => {
      for (const issue of duplicateTeamNames(teams)) ctx.addIssue({ code: 'custom', ...issue });
    }),
  speed: ClockSpeed.default(1),
  /** Seed for random events; a random one when omitted. */
  seed: z.string().min(1).max(100).optional(),
  /** Milestone id -> target in scenario minutes (overrides the scenario's targets). */
  milestoneTargets: z
    .record(
      z.string().max(64),
      z
        .number()
        .min(0)
        .max(7 * 24 * 60),
    )
    .optional(),
});

/**
 * Each team name used a second time (compared without case and surrounding
 * spaces: "Blue" and " blue" are one name), as an issue on that team's name.
 * Reports, the presenter and the debrief tell teams apart by name.
 */
export function duplicateTeamNames(teams: readonly { name: string }[]): Array<{ path: [number, 'name']; message: string }> {
  const first = new Map<string, number>();
  const issues: Array<{ path: [number, 'name']; message: string }> = [];
  teams.forEach((team, i) => {
    const key = team.name.trim().toLocaleLowerCase();
    if (key === '') return;
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, i);
    else issues.push({ path: [i, 'name'], message: `Team ${earlier + 1} is already called “${teams[earlier]!.name.trim()}”: give each team its own name.` });
  });
  return issues;
}

export const SessionRef = z.strictObject({ sessionId: SessionId });

/** Starts the clock, at `speed` when given (chosen before the start) or at the speed set up. */
export const StartSessionInput = z.strictObject({ sessionId: SessionId, speed: ClockSpeed.optional() });

export const SetSpeedInput = z.strictObject({ sessionId: SessionId, speed: ClockSpeed });

export const RecordDecisionInput = z.strictObject({
  sessionId: SessionId,
  teamId: TeamId,
  decisionId: NodeRef,
  optionId: NodeRef,
  rationale: z.string().trim().max(10_000).default(''),
  decidedBy: z.string().trim().max(200).default(''),
});

export const MarkMilestoneInput = z.strictObject({ sessionId: SessionId, teamId: TeamId, milestoneId: NodeRef });

export const FireContingencyInput = z.strictObject({ sessionId: SessionId, teamId: TeamId, contingencyId: NodeRef });

export const AddNoteInput = z.strictObject({
  sessionId: SessionId,
  /** The team observed, or null for a note about the whole session. */
  teamId: TeamId.nullable(),
  text: z.string().trim().min(1).max(10_000),
  objectiveId: NodeRef.optional(),
  /** HSEEP rating of the objective: Performed without challenges / with Some / with Major challenges / Unable to be performed. */
  rating: z.enum(HSEEP_RATINGS).optional(),
  author: z.string().trim().max(200).optional(),
});

export const EndSessionInput = z.strictObject({ sessionId: SessionId, reason: z.string().trim().max(500).default('Ended by the facilitator') });

export const EventsInput = z.strictObject({ sessionId: SessionId, afterSeq: z.number().int().min(0).default(0) });

export const Ack = z.object({ seq: z.number().int(), hash: z.string() });

export const ClockStateSchema = z.object({
  running: z.boolean(),
  speed: ClockSpeed,
  anchorWallMs: z.number(),
  anchorScenarioMs: z.number(),
});

/** One track of a team (a scenario without tracks has one, `main`, with no title). */
export const TrackProgress = z.object({
  id: z.string(),
  title: z.string().nullable(),
  roles: z.array(z.string()),
  nodeId: z.string().nullable(),
  currentInject: z.string().nullable(),
  currentInjectAtMs: z.number().nullable(),
  /** `availableOptions`: this track's decision's options on offer now (format-1.1 conditional options). */
  openDecision: z.object({ id: z.string(), openedAtMs: z.number(), deadlineMs: z.number().nullable(), availableOptions: z.array(z.string()) }).nullable(),
  nextInjectMs: z.number().nullable(),
  /** A track other than the lead one that has reached an end node. */
  ended: z.object({ nodeId: z.string(), at: z.number() }).nullable(),
});

export const TeamState = z.object({
  id: z.string(),
  name: z.string(),
  participants: z.array(z.object({ name: z.string(), role: z.string().optional() })),
  /** The node the team is at: pending inject, open decision, or end. */
  nodeId: z.string().nullable(),
  currentInject: z.string().nullable(),
  /** `availableOptions`: the options on offer now (format-1.1 conditional options come and go with their condition). */
  openDecision: z.object({ id: z.string(), openedAtMs: z.number(), deadlineMs: z.number().nullable(), availableOptions: z.array(z.string()) }).nullable(),
  nextInjectMs: z.number().nullable(),
  /** Each track's position, the lead track first (one track for a scenario without tracks). */
  tracks: z.array(TrackProgress),
  milestones: z.record(z.string(), z.number().nullable()),
  objectives: z.record(z.string(), z.number().nullable()),
  variables: z.record(z.string(), z.union([z.number(), z.boolean(), z.string()])),
  score: z.record(z.string(), z.number()),
  path: z.array(z.string()),
  choices: z.record(z.string(), z.string()),
  /** The latest firing of each contingency, how many so far and (repeating ones) the earliest it may fire again by itself. */
  contingencies: z.record(z.string(), z.object({ firedAt: z.number(), manual: z.boolean(), count: z.number().int(), nextPossibleMs: z.number().nullable() }).nullable()),
  ended: z.object({ nodeId: z.string(), at: z.number() }).nullable(),
});

export const SessionState = z.object({
  ...SessionIdentityShape,
  seed: z.string(),
  status: z.enum(SESSION_STATUSES),
  clock: ClockStateSchema,
  /** Milestone id -> target in scenario ms. */
  milestoneTargets: z.record(z.string(), z.number()),
  lastSeq: z.number(),
  lastHash: z.string(),
  teams: z.array(TeamState),
  /**
   * What happened on its own (injects that came due, the pause after a
   * restart) that the disk refused to take: it waits in memory, is retried
   * every few seconds and written before anything else. Null when nothing waits.
   */
  storage: z.object({ waiting: z.number().int().min(1), problem: z.string() }).nullable(),
});

export const SessionSummary = z.object({
  id: SessionIdentityShape.id,
  name: SessionIdentityShape.name,
  facilitator: SessionIdentityShape.facilitator,
  scenarioId: SessionIdentityShape.scenarioId,
  scenarioVersion: SessionIdentityShape.scenarioVersion,
  status: z.enum(SESSION_STATUSES),
  createdWallMs: z.number(),
  updatedWallMs: z.number(),
  lastSeq: z.number(),
});

/** One log event (the stored fields of core/report/export.ts's, less the session and the previous hash); its payload is checked against its type's schema (./log-events.ts). */
export const LogEventSchema = ExportedEventSchema.omit({ sessionId: true, prevHash: true })
  .superRefine((event, ctx) => {
    for (const issue of payloadIssues(event.type, event.payload)) ctx.addIssue({ code: 'custom', path: ['payload', ...issue.path], message: issue.message });
  })
  .transform((event) => event as unknown as LogRecord);

export type SessionStateResult = z.output<typeof SessionState>;

export const TeamRef = z.strictObject({ sessionId: SessionId, teamId: TeamId });

const PresentedInjectSchema = z.object({
  id: z.string(),
  kind: z.enum(['inject', 'contingency']),
  title: z.string(),
  channel: z.string(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  subject: z.string().nullable(),
  narrative: z.string(),
  questions: z.array(z.string()),
  evidence: z.array(Evidence),
  deliveredAtMs: z.number(),
  /** Format 1.1: names of the roles the inject went to (empty: everyone). */
  audience: z.array(z.string()),
  evidenceAudience: z.record(z.string(), z.array(z.string())),
  /** Held-back evidence not yet revealed to the team: the question that unlocks each. */
  held: z.array(z.object({ evidenceId: z.string(), question: z.string() })),
  /** On a participant's phone: the inject went to other roles, only its label is left. */
  withheld: z.boolean().optional(),
});

const PresentedDecisionSchema = z.object({
  id: z.string(),
  title: z.string(),
  prompt: z.string(),
  options: z.array(z.object({ id: z.string(), label: z.string(), description: z.string().nullable() })),
  openedAtMs: z.number(),
  deadlineMs: z.number().nullable(),
});

/** One track of a team on the projector (scenarios with parallel tracks; none otherwise). */
const PresentedTrackSchema = z.object({
  id: z.string(),
  title: z.string(),
  inject: PresentedInjectSchema.nullable(),
  decision: PresentedDecisionSchema.nullable(),
  ending: z.object({ title: z.string(), outcome: z.string() }).nullable(),
});

const PhaseTag = z
  .string()
  .regex(/^phase:[a-z-]+$/, 'A phase tag such as phase:containment.')
  .max(64);

/** What the facilitator puts on the room screen (display state: kept beside the log, not in it). */
export const RoomDisplaySchema = z.strictObject({
  slide: z
    .discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('title') }),
      z.strictObject({ kind: z.literal('phase'), phase: PhaseTag }),
      z.strictObject({ kind: z.literal('pause'), message: z.string().trim().max(200).nullable() }),
    ])
    .nullable(),
  spotlight: z.strictObject({ evidenceId: NodeRef, record: z.number().int().min(0).max(10_000).nullable() }).nullable(),
  scroll: z.number().int().min(0).max(200),
  clock: z.boolean(),
});

/** Changes to the room screen: each field given replaces the current one. */
export const SetRoomInput = z.strictObject({
  sessionId: SessionId,
  slide: RoomDisplaySchema.shape.slide.optional(),
  spotlight: RoomDisplaySchema.shape.spotlight.optional(),
  scroll: RoomDisplaySchema.shape.scroll.optional(),
  clock: RoomDisplaySchema.shape.clock.optional(),
});

/** The room screen's display as the room sees it (slides resolved to room-facing text only). */
export const PresentedDisplaySchema = z.object({
  slide: z
    .discriminatedUnion('kind', [
      z.object({ kind: z.literal('title'), title: z.string(), brief: z.string() }),
      z.object({ kind: z.literal('phase'), phase: z.string(), label: z.string(), questions: z.array(z.string()) }),
      z.object({ kind: z.literal('pause'), message: z.string().nullable() }),
    ])
    .nullable(),
  spotlight: z.object({ evidence: Evidence, record: z.number().nullable() }).nullable(),
  scroll: z.number(),
  clock: z.boolean(),
});

/** Which presenter to open: one team's, or (teamId omitted) the room view of the whole session. */
export const PresenterRef = z.strictObject({ sessionId: SessionId, teamId: TeamId.optional() });

/** What the room view and the presenter view open with (core/presenter.ts's `viewHeading`). */
const ViewHeadingShape = {
  sessionId: z.string(),
  sessionName: z.string(),
  scenarioTitle: z.string(),
  sensitivity: z.string(),
  status: z.enum(SESSION_STATUSES),
  clock: ClockStateSchema,
};

/** The room view: every team of the session on one screen (room-facing fields only, see src-main/core/presenter.ts). */
export const RoomViewSchema = z.object({
  ...ViewHeadingShape,
  teams: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      phase: z.object({ tag: z.string(), label: z.string() }).nullable(),
      inject: PresentedInjectSchema.nullable(),
      decision: PresentedDecisionSchema.nullable(),
      milestones: z.array(z.object({ id: z.string(), label: z.string(), reachedAtMs: z.number().nullable() })),
      ending: z.object({ title: z.string(), outcome: z.string() }).nullable(),
      tracks: z.array(PresentedTrackSchema),
    }),
  ),
  display: PresentedDisplaySchema,
});

/** The projector's view: room-facing fields only (see src-main/core/presenter.ts). */
export const PresenterViewSchema = z.object({
  ...ViewHeadingShape,
  team: z.object({ id: z.string(), name: z.string() }),
  inject: PresentedInjectSchema.nullable(),
  decision: PresentedDecisionSchema.nullable(),
  ending: z.object({ title: z.string(), outcome: z.string() }).nullable(),
  tracks: z.array(PresentedTrackSchema),
  display: PresentedDisplaySchema,
});

export const PresenterLink = z.object({
  /** Under the web host: the address of the presenter view (its token grants read-only access to this session alone). */
  url: z.string().nullable(),
  /** Inside Electron: a presenter window was opened. */
  opened: z.boolean(),
});

export const UndoInput = z.strictObject({
  sessionId: SessionId,
  /** The team whose last action to undo, or null for the last session-wide note. */
  teamId: TeamId.nullable(),
  reason: z.string().trim().max(500).default('Undone by the facilitator'),
});

export const UndoResult = Ack.extend({ corrected: z.object({ seq: z.number(), type: z.string() }) });
