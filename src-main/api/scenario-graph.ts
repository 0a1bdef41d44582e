/**
 * The timeline as a graph and its parallel tracks (src-main/core/scenario),
 * shared with the renderer so that the preview and the console read a node's
 * exits and its track exactly as validation and the engine do.
 */
export { exitsOf, nextIdsOf, type Exit } from '../core/scenario/graph.ts';
export { IMPLICIT_TRACK_ID, trackLayout, trackOf, tracksOf, type TrackInfo, type TrackLayout } from '../core/scenario/tracks.ts';
