/**
 * Keeping what a screen shows current: fetch again when main pushes a change
 * the screen shows, and when the push channel comes back after a break
 * (pushes may have been missed meanwhile). Returns the function that stops.
 */
import type { PushedEvent } from '../../../src-main/api/contract.ts';
import type { Api } from './api.ts';

export function refetchOn(api: Pick<Api, 'subscribe'>, changed: (event: PushedEvent) => boolean, refetch: () => Promise<void> | void): () => void {
  return api.subscribe(
    (event) => {
      if (changed(event)) void refetch();
    },
    () => void refetch(),
  );
}
