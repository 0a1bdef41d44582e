/**
 * The ids of a field's hint and problem (`<id>-hint`, `<id>-error`, as
 * FieldNotes.svelte writes them) for its control's aria-describedby, or
 * undefined when it has neither.
 */
export function describedBy(id: string, hint: string | null | undefined, error: string | null | undefined): string | undefined {
  return [hint ? `${id}-hint` : undefined, error ? `${id}-error` : undefined].filter(Boolean).join(' ') || undefined;
}
