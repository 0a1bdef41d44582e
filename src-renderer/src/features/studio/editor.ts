/**
 * What a studio form may do to the draft it edits. The draft is the scenario
 * document as JSON (it may be invalid while being written); every change is
 * one undoable edit addressed by a JSON pointer (RFC 6901).
 */
export interface ValidationProblem {
  pointer: string;
  message: string;
}

export interface DraftEditor {
  /** The draft document (reactive). */
  readonly document: Record<string, unknown>;
  /** The value at a pointer, or undefined. */
  get(pointer: string): unknown;
  /** Replaces (or adds) the value at a pointer: one undoable edit, labelled for the undo menu. */
  set(pointer: string, value: unknown, label?: string): void;
  /** Inserts into the array at a pointer's parent, before the index it ends with ("-": at the end). */
  insert(pointer: string, value: unknown, label?: string): void;
  /** Removes the value at a pointer (array items shift). */
  remove(pointer: string, label?: string): void;
  /** The validator's problems at this pointer or beneath it. */
  problemsAt(pointer: string): readonly ValidationProblem[];
  /** Several edits as one undo step. */
  batch(label: string, edits: () => void): void;
}
