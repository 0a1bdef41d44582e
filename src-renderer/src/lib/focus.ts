/**
 * `use:focusOnMount`: focuses a screen's heading once, when the screen opens,
 * so that a screen reader announces it and the keyboard starts from it.
 */
export function focusOnMount(node: HTMLElement): void {
  node.focus();
}
