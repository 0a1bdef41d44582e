import type { ResultOf } from '../../../../src-main/api/contract.ts';

/**
 * The data the charts draw, in a module of its own so that TypeScript tools that
 * do not read Svelte files (the type-aware lint) see the same types as the
 * charts and their callers.
 */

export interface BarSeries {
  key: string;
  label: string;
}

export interface BarRow {
  key: string;
  label: string;
  /** One value per series; null where there is none (drawn as nothing, written as `format(null)`). */
  values: ReadonlyArray<number | null>;
  /** Per series, the most this row could reach (an outline behind the bar). */
  max?: ReadonlyArray<number | null>;
  /** Per series, an amount lost (a positive number, drawn left of zero in the series' colour). */
  loss?: ReadonlyArray<number | null>;
  /** A target for the row (a line across its bars). */
  target?: number | null;
  /** Short text after the label (e.g. "target 10:00"). */
  note?: string;
}

export interface LinePoint {
  /** Wall-clock time (Unix epoch ms). */
  x: number;
  y: number | null;
  /** What a point is, for its tooltip (e.g. the session's name). */
  label?: string;
  /** False for a point that only carries the line on (no marker), e.g. a count that holds until today. */
  mark?: boolean;
}

export interface LineSeries {
  key: string;
  label: string;
  points: readonly LinePoint[];
}

export type TimelineItem = ResultOf<'debrief.get'>['teams'][number]['timeline'][number];

export interface TimelineRow {
  key: string;
  label: string;
  items: readonly TimelineItem[];
}
