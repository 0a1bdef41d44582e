/**
 * The facilitator scrolls the room screen in steps ("one screenful down"):
 * this Svelte action keeps an element scrolled to `steps` × 85 % of its own
 * visible height, whatever the projector's resolution. The room cannot
 * scroll itself; only a new step count from the console moves it.
 */
export const SCROLL_STEP = 0.85;

export function scrollSteps(node: HTMLElement, steps: number): { update: (steps: number) => void } {
  const apply = (n: number) => {
    const top = Math.round(n * SCROLL_STEP * node.clientHeight);
    const reduced = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    node.scrollTo({ top, behavior: reduced ? 'instant' : 'smooth' });
  };
  // After the first layout, so the element has its height.
  requestAnimationFrame(() => apply(steps));
  return { update: apply };
}
