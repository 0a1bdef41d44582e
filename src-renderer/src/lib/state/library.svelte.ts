import type { ResultOf } from '../../../../src-main/api/contract.ts';
import type { Api } from '../api.ts';

type Listing = ResultOf<'library.list'>;

/** The scenario library as the renderer knows it; refreshed through the contract. */
export class LibraryState {
  #api: Api;
  #listing = $state<Listing | null>(null);
  #error = $state<string | null>(null);
  #loading = $state(false);

  constructor(api: Api) {
    this.#api = api;
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
      this.#listing = await this.#api.call('library.list', {});
      this.#error = null;
    } catch (error) {
      this.#error = error instanceof Error ? error.message : String(error);
    } finally {
      this.#loading = false;
    }
  }
}
