import type { EventName, EventPayload, PushedEvent } from '../api/contract.ts';

export type EventListener = (event: PushedEvent) => void;

/** Fan-out of pushed events to whichever windows/streams a host has open. */
export class EventHub {
  readonly #listeners = new Set<EventListener>();

  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    for (const listener of this.#listeners) {
      try {
        listener({ name, payload } as PushedEvent);
      } catch (error) {
        console.error(`sandtable: an event listener for ${name} failed:`, error);
      }
    }
  }
}
