/**
 * Marks the page as a projector screen while one is shown (the root font
 * scales with the screen, the page itself never scrolls): returns the
 * function that unmarks it.
 */
export function projectorPage(): () => void {
  document.documentElement.classList.add('projector');
  return () => document.documentElement.classList.remove('projector');
}
