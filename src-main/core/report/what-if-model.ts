/**
 * What-if: a team's decision taken another way, replayed deterministically
 * with the session's seed (./what-if.ts), shown beside what happened. The
 * model is shared by the contract (`reports.whatIf`), the debrief screen and
 * the after-action report's "alternatives discussed".
 */
import { z } from 'zod';

export const WhatIfRequestSchema = z.strictObject({
  teamId: z.string().min(1).max(64),
  decisionId: z.string().min(1).max(200),
  /** Which time the team reached the decision (1 for the first). */
  visit: z.number().int().min(1).max(1_000).default(1),
  /** The option to take instead. */
  optionId: z.string().min(1).max(200),
});
export type WhatIfRequest = z.infer<typeof WhatIfRequestSchema>;

/** How many replays a report lists as alternatives discussed, at most. */
export const MAX_ALTERNATIVES = 10;

export const WhatIfStepSchema = z.object({
  kind: z.enum(['inject', 'decision', 'end']),
  title: z.string(),
  atMs: z.number(),
  /** For a decision, the option taken (and how); for an end, its result in words. */
  detail: z.string().nullable(),
});

export const WhatIfMilestoneSchema = z.object({
  id: z.string(),
  label: z.string(),
  targetMs: z.number(),
  scenarioMs: z.number().nullable(),
  met: z.boolean(),
  deltaMs: z.number().nullable(),
  /** How it was reached, in words. */
  reachedBy: z.string().nullable(),
});

export const WhatIfSideSchema = z.object({
  ending: z.object({ title: z.string(), result: z.enum(['success', 'partial', 'failure']), scenarioMs: z.number() }).nullable(),
  path: z.array(WhatIfStepSchema),
  milestones: z.array(WhatIfMilestoneSchema),
  score: z.array(z.object({ group: z.string(), label: z.string(), earned: z.number(), available: z.number().nullable(), lost: z.number() })),
});

export const WhatIfSchema = z.object({
  teamId: z.string(),
  team: z.string(),
  decisionId: z.string(),
  decision: z.string(),
  visit: z.number(),
  actualOption: z.string(),
  alternativeOption: z.string(),
  actual: WhatIfSideSchema,
  alternative: WhatIfSideSchema,
  /** How the replay was made (what it assumed for later decisions). */
  assumptions: z.array(z.string()),
});

export type WhatIfStep = z.infer<typeof WhatIfStepSchema>;
export type WhatIfSide = z.infer<typeof WhatIfSideSchema>;
export type WhatIf = z.infer<typeof WhatIfSchema>;
