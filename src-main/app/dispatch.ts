import { methods, parseCall, type MethodName } from '../api/contract.ts';
import { toPointer } from '../core/json-pointer.ts';
import { apiError, type ApiResponse } from '../api/errors.ts';
import { AppError, diskFullError } from './errors.ts';
import type { Grant, Services } from './services.ts';

type AnyHandler = (input: unknown, grant: Grant) => unknown;

/**
 * Whether every answer is checked against its method's result schema: in
 * tests and development (so every integration and end-to-end run checks
 * every answer), not in production builds. SANDTABLE_CHECK_RESULTS=1 or 0
 * says so explicitly.
 */
export function checksResults(env: Record<string, string | undefined> = process.env): boolean {
  if (env.SANDTABLE_CHECK_RESULTS === '1') return true;
  if (env.SANDTABLE_CHECK_RESULTS === '0') return false;
  return env.NODE_ENV !== 'production';
}

/** Decided at the first call, so that a host can say it runs a production build before then. */
let checkResults: boolean | undefined;

/** Why `result` is not what `method` promises, or null when it is. */
export function resultProblem(method: MethodName, result: unknown): string | null {
  const checked = methods[method].result.safeParse(result);
  if (checked.success) return null;
  const issue = checked.error.issues[0]!;
  return `${toPointer(issue.path)}: ${issue.message}`;
}

/**
 * The single entry point both hosts use: validate the untrusted call against
 * the contract, check the caller's grant, run the handler, and turn any
 * failure into a typed error. It never throws and never leaks a stack trace.
 */
export async function dispatch(services: Services, name: unknown, input: unknown, grant: Grant): Promise<ApiResponse<unknown>> {
  const call = parseCall(name, input);
  if (!call.ok) return call;
  const access = methods[call.method].access;
  if (grant.role !== 'facilitator' && access !== grant.role) {
    return { ok: false, error: apiError('forbidden', `The ${grant.role} view may not call ${call.method}.`) };
  }
  // A participant's methods act for the grant's own team (they take no session or team), so only a participant may call them.
  if (access === 'participant' && grant.role !== 'participant') {
    return { ok: false, error: apiError('forbidden', `Only a participant's own device may call ${call.method}.`) };
  }
  if (grant.role === 'presenter' && (call.input as { sessionId?: unknown }).sessionId !== grant.sessionId) {
    return { ok: false, error: apiError('forbidden', 'This presenter link is for another session.', '/sessionId') };
  }
  try {
    const handler = services.handlers[call.method] as AnyHandler;
    // Most handlers answer synchronously: awaiting only a promise spares those calls a turn of the microtask queue.
    const answer = handler(call.input, grant);
    const result = answer instanceof Promise ? ((await answer) as unknown) : answer;
    if ((checkResults ??= checksResults())) {
      const problem = resultProblem(call.method, result);
      if (problem !== null) {
        console.error(`sandtable: ${call.method} answered outside its contract at ${problem}`);
        return { ok: false, error: apiError('internal', `${call.method} answered outside its contract at ${problem}.`) };
      }
    }
    return { ok: true, result };
  } catch (error) {
    if (error instanceof AppError) return { ok: false, error: error.toApiError() };
    const full = diskFullError(error, services.context.dataDir);
    if (full) return { ok: false, error: full.toApiError() };
    console.error(`sandtable: ${call.method} failed:`, error);
    return { ok: false, error: apiError('internal', `${call.method} failed unexpectedly; the details are in the app's log.`) };
  }
}
