/**
 * Ids within a scenario, for validation: each collection indexed by id (a
 * repeated id reported), references that must name something, and a "did you
 * mean" for a likely typo.
 */
import { editDistance } from '../edit-distance.ts';
import { toPointer } from '../json-pointer.ts';

/** One step of a JSON path. */
export type Segment = string | number;

/** Reports a problem at a path. */
export type Report = (path: Segment[], message: string) => void;

/** The ids of one collection mapped to their index, and what to call its items in messages. */
export interface IdIndex {
  noun: string;
  ids: Map<string, number>;
}

/** Indexes a collection by id, reporting every repeated id. */
export function indexIds(items: ReadonlyArray<{ id: string }>, base: Segment[], noun: string, report: Report): IdIndex {
  const ids = new Map<string, number>();
  items.forEach((item, i) => {
    const first = ids.get(item.id);
    if (first === undefined) ids.set(item.id, i);
    else report([...base, i, 'id'], `the id "${item.id}" is already used by another ${noun} (${toPointer([...base, first])}); ids must be unique`);
  });
  return { noun, ids };
}

/** Reports an id that names nothing in `target`; returns the index it names otherwise. */
export function resolveId(path: Segment[], id: string, target: IdIndex, report: Report): number | undefined {
  const index = target.ids.get(id);
  if (index === undefined) {
    report(path, `refers to "${id}", but no ${target.noun} has that id${suggest(id, target)}`);
  }
  return index;
}

/** ` (did you mean "x"?)` when an existing id is a likely typo of `id`. */
export function suggest(id: string, target: IdIndex): string {
  if (target.ids.size > 2_000) return '';
  let best: string | undefined;
  let bestDistance = Math.min(3, Math.ceil(id.length / 3) + 1);
  for (const candidate of target.ids.keys()) {
    const distance = editDistance(id.toLowerCase(), candidate.toLowerCase(), bestDistance);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best === undefined ? '' : ` (did you mean "${best}"?)`;
}
