/**
 * The studio's validation worker: validates each draft it is sent with the
 * project's own validator (src-main/api/studio-validation.ts), off the main
 * thread, and answers with the request's sequence number so the page can drop
 * answers overtaken by a later edit. Started by live-validation.svelte.ts as
 * `new Worker(new URL('./validation.worker.ts', import.meta.url), { type: 'module' })`,
 * which Vite bundles as a file of the app's own origin (CSP `worker-src 'self'`).
 */
// First, so zod runs without its eval probe before the validator's schemas are built (the CSP forbids eval).
import '../../lib/zod-config.ts';
import { answerValidation, type ValidationRequest } from '../../../../src-main/api/studio-validation.ts';

interface WorkerScope {
  onmessage: ((event: MessageEvent<ValidationRequest>) => void) | null;
  postMessage(message: unknown): void;
}

const scope = self as unknown as WorkerScope;

scope.onmessage = (event) => {
  scope.postMessage(answerValidation(event.data, () => performance.now()));
};
