/**
 * The room's screens (projector and phones), shared with the renderer: whom a
 * spotlit evidence item is for, by the same rule as every screen's views
 * (src-main/core/shown-images.ts).
 */
export { spotlightAudience, type AudienceView } from '../core/shown-images.ts';
export { injectApartFromTracks } from '../core/participants.ts';
