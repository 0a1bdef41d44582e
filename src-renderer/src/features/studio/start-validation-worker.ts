/**
 * Starts the studio's validation worker (./validation.worker.ts). Vite finds
 * the `new Worker(new URL(..., import.meta.url))` below and bundles the worker
 * as a file of its own, served from the app's own origin (CSP `worker-src 'self'`).
 */
import type { ValidationAnswer, ValidationRequest } from '../../../../src-main/api/studio-validation.ts';

/** What live validation needs of a Worker (a real one, or a stand-in). */
export interface ValidationWorker {
  postMessage(message: ValidationRequest): void;
  onmessage: ((event: MessageEvent<ValidationAnswer>) => void) | null;
  onerror: ((event: Event) => void) | null;
  terminate(): void;
}

/** The studio's worker, as Vite bundles it (a file of the app's own origin). */
export function startValidationWorker(): ValidationWorker | null {
  if (typeof Worker === 'undefined') return null;
  try {
    return new Worker(new URL('./validation.worker.ts', import.meta.url), { type: 'module', name: 'sandtable-validation' }) as unknown as ValidationWorker;
  } catch {
    return null;
  }
}
