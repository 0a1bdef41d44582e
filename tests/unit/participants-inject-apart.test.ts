/**
 * The one rule by which the projector (room view and presenter) and the
 * phones lay out a team's injects with parallel tracks: the latest inject is
 * shown apart from the tracks only when no track shows it — a contingency,
 * which belongs to no track, while it is the latest thing the team was told.
 */
import { describe, expect, it } from 'vitest';
import { injectApartFromTracks } from '../../src-main/core/participants.ts';

const inject = (id: string, kind: 'inject' | 'contingency' = id.startsWith('c-') ? 'contingency' : 'inject') => ({ id, kind });

describe('injectApartFromTracks', () => {
  it('is the latest inject with one track (no tracks), and nothing before the first', () => {
    expect(injectApartFromTracks({ inject: inject('i1'), tracks: [] })).toEqual(inject('i1'));
    expect(injectApartFromTracks({ inject: null, tracks: [] })).toBeNull();
  });

  it('is nothing when the latest is one of the tracks’ (as its own object, as a phone’s role-filtered copy is)', () => {
    const view = { inject: inject('t2'), tracks: [{ inject: inject('t2') }, { inject: inject('x1') }] };
    expect(injectApartFromTracks(view)).toBeNull();
  });

  it('is a contingency, the latest and on no track, until a track tells the team something newer', () => {
    const tracks = [{ inject: inject('t2') }, { inject: null }];
    expect(injectApartFromTracks({ inject: inject('c-still-open'), tracks })).toEqual(inject('c-still-open'));
    expect(injectApartFromTracks({ inject: inject('t3'), tracks: [{ inject: inject('t3') }, { inject: null }] })).toBeNull();
  });

  it('is a contingency whose id is also a track inject’s (ids are unique within each kind only)', () => {
    const view = { inject: inject('t2', 'contingency'), tracks: [{ inject: inject('t2', 'inject') }, { inject: null }] };
    expect(injectApartFromTracks(view)).toEqual(inject('t2', 'contingency'));
  });
});
