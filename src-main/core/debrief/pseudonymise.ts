/**
 * Pseudonymised exports: participants' names become "Participant A",
 * "Participant B", … in everything an export carries — the team lists, who
 * decided, who wrote a note, and any place a participant's full name appears
 * in a rationale, a note or an improvement item. Names are matched ignoring
 * case and surrounding or repeated spaces, as whole words. Strings that are
 * not a participant's name (a role such as "IC", a name nobody listed) are
 * left as they are; the facilitator, as the report's point of contact, is kept.
 *
 * Letters are handed out in the order of a key the caller derives from each
 * name (e.g. a hash of session id + name), so that the same session always
 * gives the same pseudonyms, without the letters following the alphabetical
 * order of the real names. This module stays pure; the hashing is the caller's.
 */
import type { LogEvent, SessionConfig } from '../engine/events.ts';
import type { ImprovementItem } from './improvement.ts';

export class Pseudonyms {
  readonly #byName: ReadonlyMap<string, string>;
  readonly #pattern: RegExp | null;

  /**
   * @param names   every participant name (duplicates and case variants are one person)
   * @param orderKey a stable key per normalised name; names are lettered in the key's order
   */
  constructor(names: Iterable<string>, orderKey: (normalisedName: string) => string) {
    const unique = [...new Set([...names].map(normalise).filter((n) => n.length > 0))];
    const keyed = unique.map((name) => ({ name, key: orderKey(name) })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.name < b.name ? -1 : 1));
    this.#byName = new Map(keyed.map(({ name }, i) => [name, `Participant ${letters(i)}`]));
    const alternatives = [...this.#byName.keys()].sort((a, b) => b.length - a.length).map((n) => n.split(' ').map(escapeRegExp).join('\\s+'));
    this.#pattern = alternatives.length ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}])`, 'giu') : null;
  }

  /** The participants of a session, from its `session.created` event and (given its log) everyone who joined from their own device. */
  static forSession(config: SessionConfig, orderKey: (normalisedName: string) => string, events: readonly LogEvent[] = []): Pseudonyms {
    return new Pseudonyms(
      [...config.teams.flatMap((t) => t.participants.map((p) => p.name)), ...events.flatMap((e) => (e.type === 'participant.joined' ? [e.payload.name] : []))],
      orderKey,
    );
  }

  /** Real name → pseudonym, for every participant. */
  get mapping(): ReadonlyMap<string, string> {
    return this.#byName;
  }

  /** The pseudonym of a name that is a participant's; anything else unchanged. */
  name(value: string): string {
    return this.#byName.get(normalise(value)) ?? this.text(value);
  }

  /** Replaces every participant's full name appearing in free text. */
  text(value: string): string {
    if (!this.#pattern || value.length === 0) return value;
    return value.replace(this.#pattern, (match) => this.#byName.get(normalise(match)) ?? match);
  }

  /** A copy of the log with names replaced. Hashes are kept as recorded, so the copy's chain no longer recomputes. */
  events(events: readonly LogEvent[]): LogEvent[] {
    return events.map((event): LogEvent => {
      switch (event.type) {
        case 'session.created':
          return {
            ...event,
            payload: {
              ...event.payload,
              teams: event.payload.teams.map((t) => ({ ...t, participants: t.participants.map((p) => ({ ...p, name: this.name(p.name) })) })),
            },
          };
        case 'decision.recorded':
          return { ...event, payload: { ...event.payload, rationale: this.text(event.payload.rationale), decidedBy: this.name(event.payload.decidedBy) } };
        case 'note.added':
          return {
            ...event,
            payload: {
              ...event.payload,
              text: this.text(event.payload.text),
              ...(event.payload.author !== undefined ? { author: this.name(event.payload.author) } : {}),
            },
          };
        case 'participant.joined':
          return { ...event, payload: { ...event.payload, name: this.name(event.payload.name) } };
        case 'participant.removed':
          return { ...event, payload: { ...event.payload, reason: this.text(event.payload.reason) } };
        case 'vote.cast':
          return { ...event, payload: { ...event.payload, rationale: this.text(event.payload.rationale) } };
        case 'question.asked':
          return { ...event, payload: { ...event.payload, text: this.text(event.payload.text) } };
        case 'feedback.given':
          return {
            ...event,
            payload: { ...event.payload, answers: Object.fromEntries(Object.entries(event.payload.answers).map(([k, v]) => [k, typeof v === 'string' ? this.text(v) : v])) },
          };
        default:
          return event;
      }
    });
  }

  /** Improvement items with names replaced in their owner and texts. */
  items(items: readonly ImprovementItem[]): ImprovementItem[] {
    return items.map((i) => ({ ...i, owner: this.name(i.owner), area: this.text(i.area), correctiveAction: this.text(i.correctiveAction) }));
  }
}

function normalise(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** 0 → A, 25 → Z, 26 → AA, … */
function letters(index: number): string {
  let n = index;
  let out = '';
  do {
    out = String.fromCharCode(65 + (n % 26)) + out;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return out;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
