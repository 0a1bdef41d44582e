/**
 * Which evidence images a room-facing screen may fetch: exactly those its view
 * shows. The views are allow-lists already (presenter.ts: only injects
 * delivered to a team, held-back evidence left out until revealed; the
 * spotlight only while its evidence is on screen; participants.ts: only what
 * the participant's role may see), so an image is served to a projector or a
 * phone only when one of those views names it — never one of an inject still
 * to come, of held-back evidence, or of evidence no inject lists.
 */
import type { PresentedDisplay, PresentedInject, RoomView } from './presenter.ts';

/** A view of one team (presenter.view, or the `room` of a participant's view) or of every team (presenter.room). */
export type ImageView =
  | { inject: PresentedInject | null; tracks: ReadonlyArray<{ inject: PresentedInject | null }>; display: Pick<PresentedDisplay, 'spotlight'> }
  | { teams: ReadonlyArray<Pick<RoomView['teams'][number], 'inject' | 'tracks'>>; display: Pick<PresentedDisplay, 'spotlight'> };

/**
 * Every inject a view of one team shows now: its latest, and each parallel
 * track's latest (the latest is usually one of them too; none where a track
 * has none yet). One rule for what the projector, a phone, its images, its
 * spotlight and its requests for evidence may reach.
 */
export function injectsShown<I>(view: { inject: I | null; tracks: ReadonlyArray<{ inject: I | null }> }): I[] {
  return [view.inject, ...view.tracks.map((track) => track.inject)].filter((inject): inject is I => inject !== null);
}

/** The asset paths of the image evidence a view shows: on its injects (every track's, every team's) and in its spotlight. */
export function imagesShown(view: ImageView): Set<string> {
  const teams = 'teams' in view ? view.teams : [view];
  const injects = teams.flatMap((team) => injectsShown(team));
  const evidence = [...injects.flatMap((inject) => inject.evidence), ...(view.display.spotlight ? [view.display.spotlight.evidence] : [])];
  return new Set(evidence.flatMap((item) => (item.kind === 'image' ? [item.asset] : [])));
}

/** Whether a view shows the image at `path` (the path exactly as its evidence names it). */
export function showsImage(view: ImageView, path: string): boolean {
  return imagesShown(view).has(path);
}

/** What `spotlightAudience` reads of a view: its injects' evidence ids and audience labels, and its spotlight. */
type AudienceInject = Pick<PresentedInject, 'evidenceAudience'> & { evidence: ReadonlyArray<{ id: string }> };
type AudienceTeam = { inject: AudienceInject | null; tracks: ReadonlyArray<{ inject: AudienceInject | null }> };
export type AudienceView = (AudienceTeam | { teams: readonly AudienceTeam[] }) & { display: { spotlight: { evidence: { id: string } } | null } };

/**
 * Whom the spotlit evidence is for: the role names an inject on the same view
 * labels it with ("For: Incident commander, AppSec"), so a screen says no more
 * than it already shows — on a phone, as that role sees it. Empty when the
 * item is for everyone, or nothing is spotlit.
 */
export function spotlightAudience(view: AudienceView): string[] {
  const id = view.display.spotlight?.evidence.id;
  if (id === undefined) return [];
  const teams = 'teams' in view ? view.teams : [view];
  const listing = teams.flatMap((team) => injectsShown(team)).find((inject) => inject.evidence.some((e) => e.id === id));
  return listing?.evidenceAudience[id] ?? [];
}
