import type { Api } from '../../lib/api.ts';
import type { Scenario } from './types.ts';

/** One scenario of the library, loaded in full for the preview screen. */
export class ScenarioPreviewState {
  #api: Api;
  // Raw state: a scenario is a large read-only tree; no deep reactivity needed.
  #scenario = $state.raw<Scenario | null>(null);
  #error = $state<string | null>(null);
  #loading = $state(false);
  /** Guards against an older request finishing after a newer one. */
  #request = 0;

  constructor(api: Api) {
    this.#api = api;
  }

  get scenario() {
    return this.#scenario;
  }
  get error() {
    return this.#error;
  }
  get loading() {
    return this.#loading;
  }

  async load(id: string): Promise<void> {
    const request = ++this.#request;
    this.#loading = true;
    this.#error = null;
    if (this.#scenario?.meta.id !== id) this.#scenario = null;
    try {
      const scenario = await this.#api.call('library.get', { id });
      if (request !== this.#request) return;
      this.#scenario = scenario;
    } catch (error) {
      if (request !== this.#request) return;
      this.#scenario = null;
      this.#error = error instanceof Error ? error.message : String(error);
    } finally {
      if (request === this.#request) this.#loading = false;
    }
  }
}
