/**
 * Evidence images, fetched through the contract as data: URLs (the CSP allows
 * data: images and nothing remote) and kept for the life of the screen.
 * `resolve` is what EvidenceView takes as `assetUrl`: it answers at once with
 * the URL once loaded, and starts the load the first time it is asked.
 */
export class AssetCache {
  #urls = $state<Record<string, string>>({});
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping of the loads started, not state: the UI follows #urls, and resolve() adds to it while a template renders, where writing reactive state is refused
  readonly #requested = new Set<string>();
  readonly #load: (path: string) => Promise<string>;

  constructor(load: (path: string) => Promise<string>) {
    this.#load = load;
  }

  readonly resolve = (path: string): string | undefined => {
    const url = this.#urls[path];
    if (url === undefined && !this.#requested.has(path)) {
      this.#requested.add(path);
      this.#load(path).then(
        (loaded) => {
          this.#urls[path] = loaded;
        },
        () => {
          // Not loadable (missing file, removed scenario, or not on this screen's view when asked: the
          // projector and phones get only images their view shows). The image view keeps its placeholder
          // and alt text; the path is asked again the next time a render needs it, not in a loop.
          this.#requested.delete(path);
        },
      );
    }
    return url;
  };
}
