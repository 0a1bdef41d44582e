import { describedBy } from '../../../../components/form/described-by.ts';
import type { DraftEditor } from '../../editor.ts';

/** The props of every form and field: the draft's editor and the pointer of what it edits. */
export interface FormProps {
  editor: DraftEditor;
  pointer: string;
}

/** The props every field bound to one pointer of the draft takes. */
export interface FieldProps extends FormProps {
  /** The field's visible label. */
  label: string;
  /** The value may be left out (the field removes it rather than writing an empty one). */
  optional?: boolean;
  hint?: string;
}

/**
 * What Field.svelte hands its control to spread on it: the id its label names,
 * the pointer a click on a problem lands on, and the aria wiring to the hint
 * and problem under it.
 */
export interface FieldControl {
  id: string;
  'data-pointer': string;
  'aria-describedby': string | undefined;
  'aria-invalid': 'true' | undefined;
}

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

/** The attributes of a field's control (see FieldControl). */
export function fieldControl(id: string, pointer: string, hint: string | undefined, error: string | undefined): FieldControl {
  return { id, 'data-pointer': pointer, 'aria-describedby': describedBy(id, hint, error), 'aria-invalid': error ? 'true' : undefined };
}

/** A field's label as shown: an optional one says so. */
export function shownLabel(label: string, optional = false): string {
  return optional ? `${label} (optional)` : label;
}

/** The undo step's name for an edit of a field. */
export function editName(label: string, verb = 'Edit'): string {
  return `${verb} ${label.toLowerCase()}`;
}
