/**
 * Wraps an async refresh so that calls made while one is running fold into a
 * single further run after it: a burst of pushed events costs at most two
 * fetches, and the last fetch always sees the newest state.
 */
export function coalesce(run: () => Promise<void>): () => Promise<void> {
  let inflight: Promise<void> | null = null;
  let again = false;
  return () => {
    if (inflight) {
      again = true;
      return inflight;
    }
    inflight = (async () => {
      try {
        do {
          again = false;
          await run();
          // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- calls made while run() is awaited set `again`; the narrowing after `again = false` cannot see them
        } while (again);
      } finally {
        inflight = null;
      }
    })();
    return inflight;
  };
}
