import type { ResultOf } from '../../../../src-main/api/contract.ts';
import type { Api } from '../api.ts';
import { unlessSame } from '../same-answer.ts';

type Listing = ResultOf<'library.list'>;

/** The scenario library as the renderer knows it; refreshed through the contract. */
export class LibraryState {
  #api: Api;
  /** Raw, not a deep proxy: an answer is replaced whole, never changed in place, and the cards read every field of it once. */
  #listing = $state.raw<Listing | null>(null);
  #error = $state<string | null>(null);
  #loading = $state(false);
  /** An answer to `library.list` already asked for (see library-start.ts): the first refresh takes it. */
  #first: Promise<Listing> | null;
  /** How many refreshes were asked for: only the latest one's answer (or error) is kept, whichever comes back last. */
  #asked = 0;

  constructor(api: Api, first: Promise<Listing> | null = null) {
    this.#api = api;
    this.#first = first;
  }

  // Read-only to the screens: the listing is raw state, so a change made in place would not be seen.
  get scenarios(): readonly Listing['scenarios'][number][] {
    return this.#listing?.scenarios ?? [];
  }
  get problems(): readonly Listing['problems'][number][] {
    return this.#listing?.problems ?? [];
  }
  get loaded() {
    return this.#listing !== null;
  }
  get loading() {
    return this.#loading;
  }
  get error() {
    return this.#error;
  }

  async refresh(): Promise<void> {
    const asked = ++this.#asked;
    this.#loading = true;
    try {
      const pending = this.#first ?? this.#api.call('library.list', {});
      this.#first = null;
      const listing = await pending;
      // A later refresh (after an import, a push) was asked for meanwhile: its answer is the newer one.
      if (asked !== this.#asked) return;
      // The same answer again (the push channel's first opening asks for it once more) keeps the cards as they are.
      this.#listing = unlessSame(this.#listing, listing);
      this.#error = null;
    } catch (error) {
      if (asked !== this.#asked) return;
      this.#error = error instanceof Error ? error.message : String(error);
    } finally {
      if (asked === this.#asked) this.#loading = false;
    }
  }
}
