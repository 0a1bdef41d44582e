import type { DraftEditor } from '../../editor.ts';

/**
 * The validator's problems for one field, in words, or undefined. With
 * `exact`, only those at the pointer itself (a list or group shows its own
 * problems; those of its items are shown beside the items).
 */
export function problemText(editor: DraftEditor, pointer: string, exact = false): string | undefined {
  const problems = editor.problemsAt(pointer).filter((p) => !exact || p.pointer === pointer);
  if (problems.length === 0) return undefined;
  return [...new Set(problems.map((p) => p.message))].join(' · ');
}

/** The ids of a field's hint and problem, for aria-describedby (the same scheme as components/form/FieldInput.svelte). */
export function describedBy(id: string, hint: string | undefined, error: string | undefined): string | undefined {
  return [hint ? `${id}-hint` : undefined, error ? `${id}-error` : undefined].filter(Boolean).join(' ') || undefined;
}
