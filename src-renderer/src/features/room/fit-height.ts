/**
 * Shrinks an element's text (through the `--fit` custom property, a factor
 * its font size is multiplied by, starting from `max`) until the element fits
 * the height its parent leaves it, never below `min`. Projector screens must show every
 * team and every option whole: rather smaller text than a part that is cut off.
 * Re-fits when the screen is resized or `key` (what is shown) changes.
 */
export interface FitOptions {
  /** Changes whenever the content changes (e.g. the view's JSON). */
  key: unknown;
  /** Share of the parent's height to leave free below the element (0–1). */
  reserve?: number;
  min?: number;
  /** Factor to start from: above 1 lets text grow into space left free. */
  max?: number;
}

export function fitHeight(node: HTMLElement, options: FitOptions): { update: (o: FitOptions) => void; destroy: () => void } {
  let current = options;
  let frame = 0;
  const fit = () => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => {
      const parent = node.parentElement;
      if (!parent) return;
      const min = current.min ?? 0.55;
      const padding = parseFloat(getComputedStyle(parent).paddingBottom) || 0;
      const available = () => parent.getBoundingClientRect().bottom - padding - node.getBoundingClientRect().top - (current.reserve ?? 0) * parent.clientHeight;
      let scale = current.max ?? 1;
      node.style.setProperty('--fit', String(scale));
      for (let i = 0; i < 20 && node.scrollHeight > available() && scale > min; i++) {
        scale = Math.max(min, scale * 0.92);
        node.style.setProperty('--fit', String(scale));
      }
    });
  };
  const observer = new ResizeObserver(fit);
  observer.observe(node.parentElement ?? node);
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the DOM types promise document.fonts, but not every DOM has it (happy-dom, which the renderer tests use, does not)
  void document.fonts?.ready.then(fit);
  fit();
  return {
    update(next) {
      current = next;
      fit();
    },
    destroy() {
      cancelAnimationFrame(frame);
      observer.disconnect();
    },
  };
}
