/**
 * Adding and deleting contingencies in the studio, each one undoable edit.
 * A new contingency is the small template of `newContingency`: a version-1
 * deadline trigger on the first milestone, which every format version accepts.
 */
import type { DraftEditor } from './editor.ts';
import { newContingency } from './forms/templates.ts';

/** How many contingencies the draft has (0 when the list is missing or not a list). */
export function contingencyCount(editor: DraftEditor): number {
  const list = editor.get('/contingencies');
  return Array.isArray(list) ? list.length : 0;
}

/** Appends a new contingency (creating the list when missing); returns its index. */
export function addContingency(editor: DraftEditor): number {
  const index = contingencyCount(editor);
  editor.insert('/contingencies/-', newContingency(editor), 'Add contingency');
  return index;
}

/** Deletes the contingency at `index` (the ones after it shift down). */
export function deleteContingency(editor: DraftEditor, index: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= contingencyCount(editor)) return;
  editor.remove(`/contingencies/${String(index)}`, 'Delete contingency');
}
