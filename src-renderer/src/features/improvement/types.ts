/**
 * Types of the improvement plan (HSEEP AAR/IP Appendix A) as the renderer
 * uses them: the items from the contract, and a proposal the debrief makes
 * for a new item (what it found to improve; the facilitator completes it).
 */
import type { ResultOf } from '../../../../src-main/api/contract.ts';

export type ImprovementItem = ResultOf<'improvementPlan.list'>[number];
export type ImprovementStatus = ImprovementItem['status'];

export const IMPROVEMENT_STATUSES: ReadonlyArray<{ value: ImprovementStatus; label: string }> = [
  { value: 'open', label: 'Open' },
  { value: 'in-progress', label: 'In progress' },
  { value: 'closed', label: 'Closed' },
];

/** What the debrief asks of its improvement-plan view (ImprovementPlan.svelte, bound with `bind:this`). */
export interface ImprovementPlanView {
  /** Scrolls to the item form and focuses its first field. */
  focusForm(): Promise<void>;
}

export function statusLabel(status: ImprovementStatus): string {
  return IMPROVEMENT_STATUSES.find((s) => s.value === status)?.label ?? status;
}

/** A new item suggested from the debrief (an objective rated M or U, a decision against the recommendation…). */
export interface ImprovementProposal {
  teamName: string;
  area: string;
  correctiveAction?: string;
  /** A best-practice or principle tag, or an HSEEP capability. */
  tag?: string | null;
}
