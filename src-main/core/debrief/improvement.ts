/**
 * The improvement plan (HSEEP AAR/IP Appendix A): areas for improvement found
 * in exercises, each with a corrective action, an owner, a due date and a
 * status. Items belong to a team (by name, so they follow the team from one
 * session to the next) and, optionally, to the session that found them.
 */
import { z } from 'zod';

export const IMPROVEMENT_STATUSES = ['open', 'in-progress', 'closed'] as const;
export const ImprovementStatusSchema = z.enum(IMPROVEMENT_STATUSES);
export type ImprovementStatus = z.infer<typeof ImprovementStatusSchema>;

export const IMPROVEMENT_STATUS_LABELS: Readonly<Record<ImprovementStatus, string>> = {
  open: 'Open',
  'in-progress': 'In progress',
  closed: 'Closed',
};

/** An ISO calendar date, `YYYY-MM-DD`, that exists. */
export const IsoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'A date is written YYYY-MM-DD.')
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
  }, 'That date does not exist.');

export const ImprovementItemSchema = z.object({
  id: z.string(),
  /** The session that found it; null for an item added outside a session (or whose session is gone). */
  sessionId: z.string().nullable(),
  teamName: z.string(),
  /** The area for improvement. */
  area: z.string(),
  correctiveAction: z.string(),
  /** A best-practice or principle tag, or an HSEEP capability, that the item improves. */
  tag: z.string().nullable(),
  owner: z.string(),
  dueDate: z.string().nullable(),
  status: ImprovementStatusSchema,
  createdWallMs: z.number(),
  updatedWallMs: z.number(),
  closedWallMs: z.number().nullable(),
});
export type ImprovementItem = z.infer<typeof ImprovementItemSchema>;

/** Team names are matched ignoring case and surrounding spaces. */
export function normaliseTeamName(name: string): string {
  return name.trim().toLowerCase();
}
