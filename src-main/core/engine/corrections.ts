/** The fields of a log entry the undo rule reads (the renderer's entries have them too). */
export interface CorrectableEntry {
  seq: number;
  type: string;
  teamId: string | null;
  origin: string;
  payload: unknown;
}

function correctedSeqOf(entry: CorrectableEntry): number | null {
  if (entry.type !== 'event.corrected') return null;
  const payload = entry.payload;
  const seq = payload !== null && typeof payload === 'object' ? (payload as { correctedSeq?: unknown }).correctedSeq : undefined;
  return typeof seq === 'number' ? seq : null;
}

/**
 * THE rule of what an undo cancels, for the engine, the debrief, the exports
 * and the console alike: an `event.corrected` entry cancels the command it
 * names together with the engine events of the same team recorded between
 * that command and the correction (undo is allowed only while nothing else
 * has happened to the team, so those are exactly what the command caused).
 * The corrections themselves are not in the returned set.
 *
 * One pass over the log (entries in seq order): each team's engine events
 * are kept in a list from which a correction removes its tail, so every
 * event is looked at a bounded number of times whatever the number of
 * corrections.
 */
export function undoneSeqs(events: readonly CorrectableEntry[]): Set<number> {
  const undone = new Set<number>();
  const teamOfSeq = new Map<number, string | null>();
  /** Each team's engine-event seqs not yet cancelled, in seq order. */
  const engineSeqs = new Map<string | null, number[]>();
  for (const event of events) {
    const corrected = correctedSeqOf(event);
    if (corrected !== null) {
      undone.add(corrected);
      const list = teamOfSeq.has(corrected) ? engineSeqs.get(teamOfSeq.get(corrected)!) : undefined;
      if (list) {
        let cut = list.length;
        while (cut > 0 && list[cut - 1]! > corrected) cut--;
        for (let i = cut; i < list.length; i++) undone.add(list[i]!);
        list.length = cut;
      }
    }
    teamOfSeq.set(event.seq, event.teamId);
    if (event.origin === 'engine') {
      const list = engineSeqs.get(event.teamId);
      if (list) list.push(event.seq);
      else engineSeqs.set(event.teamId, [event.seq]);
    }
  }
  return undone;
}

/**
 * The events that still count once undos are applied: those `undoneSeqs`
 * cancels are dropped, and so are the corrections themselves. The log
 * itself keeps everything. Linear in the log's length.
 */
export function countedEvents<E extends CorrectableEntry>(events: readonly E[]): E[] {
  let anyCorrection = false;
  for (const e of events) {
    if (e.type === 'event.corrected') {
      anyCorrection = true;
      break;
    }
  }
  if (!anyCorrection) return [...events];
  const undone = undoneSeqs(events);
  return events.filter((e) => e.type !== 'event.corrected' && !undone.has(e.seq));
}
