/**
 * What an undo cancels, shared with the renderer so the console marks as
 * undone exactly what the engine, the debrief and the exports leave out.
 */
export { undoneSeqs, type CorrectableEntry } from '../core/engine/corrections.ts';
