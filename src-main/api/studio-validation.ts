/**
 * The studio's live validation: the project's own validator (core/scenario/
 * validate.ts, every rule a published scenario must pass, images aside since
 * the renderer cannot see the data folder) run on a draft document. The
 * studio's Web Worker (src-renderer/src/features/studio/validation.worker.ts)
 * imports it from here, the only part of main the renderer may import.
 *
 * Pure TypeScript: no node:, no electron, no DOM.
 */
import { validateScenario, type ScenarioStats } from '../core/scenario/validate.ts';

export type { ScenarioStats };

/** One problem: an RFC 6901 pointer into the draft and a sentence for its author. */
export interface DraftProblem {
  pointer: string;
  message: string;
}

export interface DraftValidation {
  /** True when the draft passes every rule (it may be published, rehearsed and bundled). */
  ok: boolean;
  problems: DraftProblem[];
  /** How much the draft holds, once its structure is right (null until then). */
  stats: ScenarioStats | null;
}

/** A request to the validation worker: the draft and the sequence number its answer carries back. */
export interface ValidationRequest {
  seq: number;
  document: unknown;
}

/** The worker's answer: the validation of request `seq`, and how long it took (ms). */
export interface ValidationAnswer extends DraftValidation {
  seq: number;
  ms: number;
}

/** Validates a draft document as a scenario; never throws. */
export function validateDraft(document: unknown): DraftValidation {
  const result = validateScenario(document);
  if (result.ok) return { ok: true, problems: [], stats: result.stats };
  return { ok: false, problems: result.errors.map((e) => ({ pointer: e.pointer, message: e.message })), stats: result.stats ?? null };
}

/** Answers one request (what the worker does with each message). */
export function answerValidation(request: ValidationRequest, now: () => number): ValidationAnswer {
  const started = now();
  // The studio sends its draft as JSON text (JSON.stringify on the page and JSON.parse here cost less than a structured clone of 2,000 steps).
  const validation = validateDraft(typeof request.document === 'string' ? (JSON.parse(request.document) as unknown) : request.document);
  return { seq: request.seq, ...validation, ms: now() - started };
}
