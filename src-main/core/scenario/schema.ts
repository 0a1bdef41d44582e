/**
 * Scenario format v1: the JSON a scenario author writes, as a zod schema.
 *
 * This file is the single source of truth for the format: TypeScript types are
 * inferred from it, `scenarios/scenario.schema.json` is generated from it
 * (`npm run schema`), and docs/scenario-format.md describes it for authors.
 * Structural rules live here; rules that need the whole document (unique ids,
 * references, reachability, ordering) live in ./validate.ts.
 *
 * Times in a scenario are written in scenario MINUTES from the start of the
 * exercise (e.g. `"at": 15`); the engine works in milliseconds.
 */
import { z } from 'zod';
import { checkFlowLogRecord, CloudTrailRecord, FlowLogField, GuardDutyFinding, SecurityHubFinding, VPC_FLOW_LOG_DEFAULT_FIELDS } from './aws-records.ts';
import { parseTag } from './tags.ts';

/** The newest format version; files written for an earlier version load unchanged. */
export const FORMAT_VERSION = 1.1;
/** Every version this build reads. A construct added in 1.1 needs `"formatVersion": 1.1` (checked in ./version-gate.ts, called from ./semantic-checks.ts). */
export const FORMAT_VERSIONS = [1, 1.1] as const;
export type FormatVersion = (typeof FORMAT_VERSIONS)[number];

const Id = z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/, 'An id starts with a letter and holds only letters, digits, "_", "." or "-" (64 at most).');
const Text = z.string().min(1).max(2_000);
/** Markdown shown to people; rendered with a real parser and sanitised. */
const Markdown = z.string().max(50_000);
const Minutes = z
  .number()
  .min(0)
  .max(7 * 24 * 60);

export const Tag = z.string().superRefine((value, ctx) => {
  const parsed = parseTag(value);
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message });
});
const Tags = z.array(Tag).max(50).default([]);

export const Difficulty = z.enum(['introductory', 'intermediate', 'advanced']);

export const Meta = z.strictObject({
  id: Id,
  version: z.string().regex(/^\d+\.\d+\.\d+$/, 'Use a semantic version such as 1.0.0.'),
  title: Text.max(200),
  summary: Text,
  audience: z.array(Text).min(1).max(20),
  estimatedMinutes: z
    .number()
    .int()
    .min(5)
    .max(8 * 60),
  difficulty: Difficulty,
  /** Handling marking printed on reports, e.g. "TLP:AMBER" or "Internal — exercise material". */
  sensitivity: Text.max(120),
  authors: z
    .array(z.strictObject({ name: Text.max(200), organisation: Text.max(200).optional() }))
    .min(1)
    .max(20),
  tags: Tags,
  /** Format 1.1: a critical scenario is due twice a year in the programme view (others yearly). */
  critical: z.boolean().optional(),
});

export const Objective = z.strictObject({
  id: Id,
  text: Text,
  /** HSEEP capability or area this objective exercises, e.g. "Operational coordination". */
  capability: Text.max(200).optional(),
  tags: Tags,
});

export const Role = z.strictObject({
  id: Id,
  name: Text.max(120),
  description: Text.optional(),
});

export const Variable = z.discriminatedUnion('type', [
  z.strictObject({ id: Id, label: Text.max(120), type: z.literal('number'), initial: z.number(), unit: z.string().max(40).optional() }),
  z.strictObject({ id: Id, label: Text.max(120), type: z.literal('boolean'), initial: z.boolean() }),
  z.strictObject({ id: Id, label: Text.max(120), type: z.literal('string'), initial: z.string().max(500) }),
]);

export const Milestone = z.strictObject({
  id: Id,
  label: Text.max(120),
  /** Target scenario time, in minutes from the start, by which a good team reaches it. */
  targetMinutes: Minutes,
  description: Text.optional(),
});

/** The four milestones every scenario has (authors may add more). */
export const REQUIRED_MILESTONES = ['detected', 'contained', 'eradicated', 'recovered'] as const;

// ---------------------------------------------------------------- evidence

export { CloudTrailRecord, GuardDutyFinding, SecurityHubFinding } from './aws-records.ts';

/** Format 1.1: the roles (ids from `roles`) an inject or evidence item goes to; everyone when omitted. */
const Audience = z.array(Id).min(1).max(50);

/** Format 1.1: languages of the query that produced a held-back evidence item. */
export const QUERY_LANGUAGES = ['cloudtrail-lake-sql', 'athena-sql', 'cloudwatch-logs-insights', 'other'] as const;

/** Format 1.1: an evidence item held back until the facilitator reveals it (or a participant asks for it). */
export const OnRequest = z.strictObject({
  /** The question that unlocks it, e.g. "Which IAM user created access key AKIA…?". */
  question: Text.max(500),
  /** The query that produced the record, shown beside it once revealed. */
  query: z.strictObject({ language: z.enum(QUERY_LANGUAGES), text: z.string().min(1).max(10_000) }).optional(),
});

const evidenceBase = { id: Id, caption: Text.max(300), audience: Audience.optional(), onRequest: OnRequest.optional() };
/** The text of an email, ticket, alert or note: required, so it may not be empty. */
const Body = Markdown.min(1);
/** The longest log line or flow log record accepted (characters). */
export const MAX_LOG_LINE_CHARS = 4_000;

const VpcFlowLogs = z
  .strictObject({
    ...evidenceBase,
    kind: z.literal('vpc-flow-logs'),
    /** The record format, field by field; the default format (version 2) when omitted. */
    fields: z.array(FlowLogField).min(1).max(60).optional(),
    /** Flow log records exactly as written: space-separated values, "-" for no value. */
    records: z.array(z.string().min(1).max(MAX_LOG_LINE_CHARS)).min(1).max(5_000),
  })
  .superRefine((item, ctx) => {
    const fields = item.fields ?? VPC_FLOW_LOG_DEFAULT_FIELDS;
    item.records.forEach((record, i) => {
      for (const message of checkFlowLogRecord(record, fields)) ctx.addIssue({ code: 'custom', path: ['records', i], message });
    });
  });

export const Evidence = z.discriminatedUnion('kind', [
  z.strictObject({ ...evidenceBase, kind: z.literal('cloudtrail'), records: z.array(CloudTrailRecord).min(1).max(500) }),
  z.strictObject({ ...evidenceBase, kind: z.literal('guardduty'), finding: GuardDutyFinding }),
  z.strictObject({ ...evidenceBase, kind: z.literal('securityhub'), findings: z.array(SecurityHubFinding).min(1).max(100) }),
  VpcFlowLogs,
  z.strictObject({ ...evidenceBase, kind: z.literal('log'), source: Text.max(200).optional(), lines: z.array(z.string().max(MAX_LOG_LINE_CHARS)).min(1).max(5_000) }),
  z.strictObject({
    ...evidenceBase,
    kind: z.literal('email'),
    from: Text.max(300),
    to: z.array(Text.max(300)).min(1),
    cc: z.array(Text.max(300)).optional(),
    subject: Text.max(300),
    sent: Text.max(100),
    body: Body,
  }),
  z.strictObject({
    ...evidenceBase,
    kind: z.literal('chat'),
    channel: Text.max(120).optional(),
    messages: z
      .array(z.strictObject({ from: Text.max(120), at: Text.max(40), text: Text }))
      .min(1)
      .max(500),
  }),
  z.strictObject({
    ...evidenceBase,
    kind: z.literal('ticket'),
    system: Text.max(120).optional(),
    key: Text.max(60),
    title: Text.max(300),
    status: Text.max(60),
    priority: Text.max(60).optional(),
    reporter: Text.max(120).optional(),
    body: Body,
  }),
  z.strictObject({
    ...evidenceBase,
    kind: z.literal('alert'),
    source: Text.max(200),
    severity: z.enum(['informational', 'low', 'medium', 'high', 'critical']),
    title: Text.max(300),
    body: Body,
    raisedAt: Text.max(100).optional(),
  }),
  z.strictObject({
    ...evidenceBase,
    kind: z.literal('table'),
    columns: z.array(Text.max(120)).min(1).max(50),
    rows: z.array(z.array(z.union([z.string().max(2_000), z.number(), z.boolean(), z.null()]))).max(2_000),
  }),
  z.strictObject({
    ...evidenceBase,
    kind: z.literal('image'),
    /** Path of a bundled image, relative to the scenario file (e.g. "assets/diagram.png"). */
    asset: z.string().regex(/^(?!\/)(?!.*\.\.)[A-Za-z0-9_./-]+\.(png|jpe?g|gif|webp)$/, 'A relative path to a .png, .jpg, .gif or .webp file, with no "..".'),
    alt: Text.max(500),
  }),
  z.strictObject({ ...evidenceBase, kind: z.literal('note'), body: Body }),
]);

// ---------------------------------------------------------------- logic

export type Scalar = number | boolean | string;
const ScalarValue = z.union([z.number(), z.boolean(), z.string().max(500)]);

export type Condition =
  | { var: string; op: '==' | '!=' | '>' | '>=' | '<' | '<='; value: Scalar }
  | { milestone: string; reached: boolean }
  | { chose: string; option: string }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

/** Structured conditions over variables, milestones and earlier choices: data, never code. */
export const Condition: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ var: Id, op: z.enum(['==', '!=', '>', '>=', '<', '<=']), value: ScalarValue }),
    z.strictObject({ milestone: Id, reached: z.boolean() }),
    z.strictObject({ chose: Id, option: Id }),
    z.strictObject({ all: z.array(Condition).min(1).max(20) }),
    z.strictObject({ any: z.array(Condition).min(1).max(20) }),
    z.strictObject({ not: Condition }),
  ]),
);

export const Consequences = z.strictObject({
  /** Set variables to values. */
  set: z.record(Id, ScalarValue).optional(),
  /** Add to number variables (negative to subtract). */
  add: z.record(Id, z.number()).optional(),
  /** Points scored against tags, e.g. { "srm:customer": 2, "WAF-2024-06-27:SEC02-BP02": 1 }. */
  score: z.record(Tag, z.number().min(-100).max(100)).optional(),
  /** Milestones this choice reaches (at the scenario time it is recorded). */
  milestones: z.array(Id).optional(),
  /** Objectives this choice demonstrates. */
  objectives: z.array(Id).optional(),
});

// ---------------------------------------------------------------- timeline nodes

export const CHANNELS = ['email', 'chat', 'phone', 'alert', 'ticket', 'news', 'social-media', 'in-person', 'briefing', 'console', 'report', 'other'] as const;

const injectBody = {
  title: Text.max(200),
  /** What the room is told, in markdown. */
  narrative: Markdown.min(1),
  channel: z.enum(CHANNELS),
  from: Text.max(200).optional(),
  to: Text.max(200).optional(),
  subject: Text.max(300).optional(),
  evidence: z.array(Id).max(50).default([]),
  /** Discussion questions for the room. */
  questions: z.array(Text).max(30).default([]),
  /** What a well-prepared team would do (facilitator only). */
  expectedActions: z.array(Text).max(30).default([]),
  /** Notes only the facilitator sees. */
  facilitatorNotes: Markdown.optional(),
  tags: Tags,
  /** Format 1.1: what delivering this inject changes (variables, score, milestones, objectives), as a decision's consequences do. */
  effects: Consequences.optional(),
  /** Format 1.1: the roles this inject goes to (ids from `roles`); everyone when omitted. */
  audience: Audience.optional(),
};

export const InjectNode = z.strictObject({
  type: z.literal('inject'),
  id: Id,
  /** Scenario minute at which the inject is delivered (immediately on arrival when omitted or already past). */
  at: Minutes.optional(),
  ...injectBody,
  next: Id,
});

export const DecisionOption = z.strictObject({
  id: Id,
  label: Text.max(300),
  description: Markdown.optional(),
  /** What happens next, told to the room once the choice is made. */
  outcome: Markdown.optional(),
  recommended: z.boolean().default(false),
  /** Why this option is (or is not) the recommended one; shown in the debrief. */
  rationale: Markdown.optional(),
  consequences: Consequences.default({}),
  tags: Tags,
  /** Format 1.1: the option is offered only while this condition holds (never on the default option). */
  when: Condition.optional(),
  next: Id,
});

export const DecisionNode = z.strictObject({
  type: z.literal('decision'),
  id: Id,
  title: Text.max(200),
  prompt: Markdown.min(1),
  /** Roles expected to own this decision. */
  owners: z.array(Id).max(20).default([]),
  options: z.array(DecisionOption).min(2).max(9),
  /** Scenario minutes the team has once the decision opens; the default option is taken when it runs out. */
  timeLimitMinutes: z
    .number()
    .positive()
    .max(24 * 60)
    .optional(),
  /** Option taken when the time limit runs out (and by `rehearse --choices default`); the recommended one if omitted. */
  defaultOption: Id.optional(),
  facilitatorNotes: Markdown.optional(),
  tags: Tags,
});

export const BranchNode = z.strictObject({
  type: z.literal('branch'),
  id: Id,
  title: Text.max(200).optional(),
  cases: z
    .array(z.strictObject({ when: Condition, next: Id }))
    .min(1)
    .max(20),
  otherwise: Id,
});

export const RandomNode = z.strictObject({
  type: z.literal('random'),
  id: Id,
  title: Text.max(200),
  description: Markdown.optional(),
  outcomes: z
    .array(
      z.strictObject({
        id: Id,
        label: Text.max(300),
        weight: z.number().positive().max(1_000),
        narrative: Markdown.optional(),
        consequences: Consequences.default({}),
        next: Id,
      }),
    )
    .min(2)
    .max(20),
});

export const EndNode = z.strictObject({
  type: z.literal('end'),
  id: Id,
  title: Text.max(200),
  outcome: Markdown.min(1),
  result: z.enum(['success', 'partial', 'failure']).default('partial'),
});

export const TimelineNode = z.discriminatedUnion('type', [InjectNode, DecisionNode, BranchNode, RandomNode, EndNode]);

/** Version 1: fires when `notReached` is still not reached at scenario minute `by`. */
export const DeadlineTrigger = z.strictObject({
  notReached: z.union([z.strictObject({ milestone: Id }), z.strictObject({ objective: Id })]),
  by: Minutes,
});

/**
 * Format 1.1: fires while `condition` holds, no sooner than minute `from`, and
 * (with `after`) no sooner than `minutes` after inject `inject` was delivered.
 * At least one of `condition` and `after` is given (checked in ./semantic-checks.ts).
 */
export const RuleTrigger = z.strictObject({
  condition: Condition.optional(),
  after: z.strictObject({ inject: Id, minutes: Minutes }).optional(),
  from: Minutes.optional(),
});

export const Contingency = z.strictObject({
  id: Id,
  /** When it fires by itself; the facilitator may also fire it by hand. */
  when: z.union([DeadlineTrigger, RuleTrigger]),
  /** Format 1.1: fires again while its trigger holds, at least `cooldownMinutes` after the previous firing, `max` times at most. */
  repeat: z
    .strictObject({
      cooldownMinutes: z
        .number()
        .min(1)
        .max(24 * 60),
      max: z.number().int().min(2).max(1_000).optional(),
    })
    .optional(),
  ...injectBody,
});

// ---------------------------------------------------------------- parallel tracks (1.1)

/**
 * A storyline of its own within a team (e.g. the technical response beside the
 * executive one), with its own position, on the team's clock and sharing its
 * variables. The first track is the lead track: it starts at the scenario's
 * `start`, and the team ends when it reaches an end (see ./tracks.ts).
 */
export const Track = z.strictObject({
  id: Id,
  title: Text.max(120),
  /** Id of the track's first timeline node. */
  start: Id,
  /** Roles who mostly play this track (shown beside it on the console). */
  roles: z.array(Id).max(20).default([]),
});

// ---------------------------------------------------------------- facilitator guide

export const Guide = z.strictObject({
  /** Read to the room at the start: the setting, who they are, the rules of play. */
  openingBrief: Markdown.min(1),
  /** For the facilitator only: what this exercise is really testing, how to run it. */
  facilitatorBrief: Markdown.min(1),
  phaseQuestions: z
    .array(z.strictObject({ phase: Tag, questions: z.array(Text).min(1).max(20) }))
    .max(20)
    .default([]),
  /** Misbeliefs worth springing on the room, with the truth to land in the debrief. */
  traps: z
    .array(z.strictObject({ title: Text.max(200), belief: Text, reality: Text }))
    .max(20)
    .default([]),
  debrief: z.strictObject({
    whatGoodLooksLike: Markdown.min(1),
    /** Best practices that would have prevented or shortened the incident. */
    preventedBy: z
      .array(z.strictObject({ tag: Tag, how: Text }))
      .max(30)
      .default([]),
    questions: z.array(Text).max(30).default([]),
  }),
});

// ---------------------------------------------------------------- the scenario

export const Scenario = z.strictObject({
  $schema: z.string().optional(),
  formatVersion: z.literal(FORMAT_VERSIONS),
  meta: Meta,
  guide: Guide,
  objectives: z.array(Objective).min(1).max(50),
  roles: z.array(Role).max(50).default([]),
  variables: z.array(Variable).max(100).default([]),
  milestones: z.array(Milestone).min(1).max(20),
  evidence: z.array(Evidence).max(1_000).default([]),
  /** Id of the first timeline node (of the lead track, when there are tracks). */
  start: Id,
  /** Parallel tracks within each team (format 1.1); without it, one track starting at `start`. */
  tracks: z.array(Track).min(2).max(8).optional(),
  timeline: z.array(TimelineNode).min(2).max(10_000),
  contingencies: z.array(Contingency).max(50).default([]),
});

export type Scenario = z.output<typeof Scenario>;
export type ScenarioInput = z.input<typeof Scenario>;
export type TimelineNode = z.output<typeof TimelineNode>;
export type InjectNode = z.output<typeof InjectNode>;
export type DecisionNode = z.output<typeof DecisionNode>;
export type DecisionOption = z.output<typeof DecisionOption>;
export type BranchNode = z.output<typeof BranchNode>;
export type RandomNode = z.output<typeof RandomNode>;
export type EndNode = z.output<typeof EndNode>;
export type Evidence = z.output<typeof Evidence>;
export type Contingency = z.output<typeof Contingency>;
export type Consequences = z.output<typeof Consequences>;
export type DeadlineTrigger = z.output<typeof DeadlineTrigger>;
export type RuleTrigger = z.output<typeof RuleTrigger>;
export type Milestone = z.output<typeof Milestone>;
export type Variable = z.output<typeof Variable>;
export type Objective = z.output<typeof Objective>;
export type Track = z.output<typeof Track>;
export type OnRequest = z.output<typeof OnRequest>;
