import type { EventName, EventPayload, PushedEvent } from '../api/contract.ts';
import { mayHear, type Grant } from './grant.ts';

export type EventListener = (event: PushedEvent) => void;

/**
 * Fan-out of pushed events to whichever windows/streams a host has open. Each
 * subscription carries the grant of the window or stream it serves, and hears
 * only what that grant may hear (`mayHear`): the hosts never filter.
 */
export class EventHub {
  readonly #listeners = new Map<EventListener, Grant>();

  subscribe(grant: Grant, listener: EventListener): () => void {
    // A listener subscribed twice is one subscription (the later grant wins).
    this.#listeners.set(listener, grant);
    return () => this.#listeners.delete(listener);
  }

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    // eslint-disable-next-line @typescript-eslint/consistent-type-assertions -- emit's signature ties the payload to the name; TypeScript cannot carry that correlation from a generic pair into the union (microsoft/TypeScript#30581)
    const event = { name, payload } as PushedEvent;
    for (const [listener, grant] of this.#listeners) {
      if (!mayHear(grant, event)) continue;
      try {
        listener(event);
      } catch (error) {
        console.error(`sandtable: an event listener for ${name} failed:`, error);
      }
    }
  }
}
