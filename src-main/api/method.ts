/**
 * The shape of one contract method, shared by ./contract.ts and the method
 * groups it gathers (./reports.ts, ./interop.ts, ./programme.ts, …), which
 * cannot import ./contract.ts without a cycle.
 */
import type { z } from 'zod';

/**
 * Who may call a method. A facilitator grant may call everything; a presenter
 * grant (the projector view) may call only `presenter` methods, and only for
 * the session it was issued for.
 */
export type Access = 'facilitator' | 'presenter' | 'participant';

export interface MethodSpec<I extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType, A extends Access = Access> {
  input: I;
  result: R;
  access: A;
  summary: string;
}

/** A method's spec, its input, result and access types kept as written. */
export function method<I extends z.ZodType, R extends z.ZodType, A extends Access>(spec: MethodSpec<I, R, A>): MethodSpec<I, R, A> {
  return spec;
}
