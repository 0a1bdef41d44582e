/**
 * Types of the after-action report as the report screen receives it
 * (`reports.aar`) and lays it out (src-main/api/report-layout.ts).
 */
import type { ResultOf } from '../../../../src-main/api/contract.ts';

export type AfterActionReport = ResultOf<'reports.aar'>;
export type ReportCharts = AfterActionReport['charts'];
export type TeamOutcome = AfterActionReport['outcomes'][number];
export type WhatIf = ResultOf<'reports.whatIf'>;
