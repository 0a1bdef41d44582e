import type { AssetCache } from '../../lib/assets.svelte.ts';
import type { PresenterView, RoomView } from '../presenter/presenter-feed.svelte.ts';

/** What the projector frame (ProjectorScreen) reads of a view: the same fields in `presenter.view` and `presenter.room`. */
export type ProjectorScreenView = Pick<PresenterView & RoomView, 'status' | 'sensitivity' | 'sessionName' | 'clock' | 'display'>;

/** What a projector screen's content is given: the view, the exercise clock now and the evidence images. */
export interface ProjectorContent<V> {
  view: V;
  scenarioMs: number;
  assets: AssetCache;
}

/**
 * Marks the page as a projector screen while one is shown (the root font
 * scales with the screen, the page itself never scrolls): returns the
 * function that unmarks it.
 */
export function projectorPage(): () => void {
  document.documentElement.classList.add('projector');
  return () => document.documentElement.classList.remove('projector');
}
