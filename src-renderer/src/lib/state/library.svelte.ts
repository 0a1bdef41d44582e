import type { ResultOf } from '../../../../src-main/api/contract.ts';
import type { Api } from '../api.ts';

type Listing = ResultOf<'library.list'>;

/** The scenario library as the renderer knows it; refreshed through the contract. */
export class LibraryState {
  #api: Api;
  #listing = $state<Listing | null>(null);
  #error = $state<string | null>(null);
  #loading = $state(false);
  /** An answer to `library.list` already asked for (see library-start.ts): the first refresh takes it. */
  #first: Promise<Listing> | null;

  constructor(api: Api, first: Promise<Listing> | null = null) {
    this.#api = api;
    this.#first = first;
  }

  get scenarios() {
    return this.#listing?.scenarios ?? [];
  }
  get problems() {
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
    this.#loading = true;
    try {
      const pending = this.#first ?? this.#api.call('library.list', {});
      this.#first = null;
      this.#listing = await pending;
      this.#error = null;
    } catch (error) {
      this.#error = error instanceof Error ? error.message : String(error);
    } finally {
      this.#loading = false;
    }
  }
}
