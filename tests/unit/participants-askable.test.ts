/**
 * What a participant may ask for (held-back evidence, format 1.1) with
 * parallel tracks: every inject the phone's view shows, not only the team's
 * latest, as the participant's role sees it; and whom a spotlit item is
 * for, as the same view labels it.
 */
import { describe, expect, it } from 'vitest';
import { askableEvidence, foldParticipation, participantView } from '../../src-main/core/participants.ts';
import { injectsShown, spotlightAudience } from '../../src-main/core/shown-images.ts';
import { joinedEvent, twoTracksRoom, twoTracksScenario } from '../helpers/two-tracks.ts';

const scenario = twoTracksScenario(
  [
    { id: 'ev-retention', kind: 'note', caption: 'Mail retention', body: 'Purged after 30 days.', onRequest: { question: 'When is old mail purged?' } },
    { id: 'ev-board', kind: 'note', caption: 'Board briefing draft', body: 'For the CISO only.', audience: ['ciso'], onRequest: { question: 'What has the board been told?' } },
    { id: 'ev-memo', kind: 'note', caption: 'Memo', body: 'Shown with the inject.' },
    { id: 'ev-bucket', kind: 'note', caption: 'Bucket policy', body: 'Public read.', onRequest: { question: 'Who can read the bucket?' } },
  ],
  { x1: ['ev-retention', 'ev-board', 'ev-memo'], t2: ['ev-bucket'] },
);
const joined = joinedEvent;
const state = foldParticipation([joined(1, 'p-none'), joined(2, 'p-ciso', 'ciso'), joined(3, 'p-legal', 'legal')]);

const room = (revealed: string[] = [], spotlit: string | null = null) => twoTracksRoom(scenario, { revealed, spotlit });
const askable = (participantId: string, revealed: string[] = []) => askableEvidence(participantView(room(revealed), state, participantId, scenario).room).map((h) => h.evidenceId);

describe('what a participant may ask for', () => {
  it('is the held-back evidence of every inject the view shows, the latest (once, though a track shows it too) and each track’s', () => {
    expect(injectsShown(room()).map((i) => i.id)).toEqual(['t2', 't2', 'x1']);
    expect(askableEvidence(room())).toEqual([
      { evidenceId: 'ev-bucket', question: 'Who can read the bucket?' },
      { evidenceId: 'ev-retention', question: 'When is old mail purged?' },
      { evidenceId: 'ev-board', question: 'What has the board been told?' },
    ]);
    expect(askable('p-none')).toEqual(['ev-bucket', 'ev-retention', 'ev-board']);
  });

  it('as the participant’s role sees it, and no longer once revealed', () => {
    expect(askable('p-ciso')).toEqual(['ev-bucket', 'ev-retention', 'ev-board']);
    expect(askable('p-legal')).toEqual(['ev-bucket', 'ev-retention']);
    expect(askable('p-ciso', ['ev-retention', 'ev-bucket'])).toEqual(['ev-board']);
  });

  it('is exactly what the phone lists under each inject it shows', () => {
    const view = participantView(room(), state, 'p-legal', scenario).room;
    const listed = view.tracks.flatMap((t) => t.inject?.held.map((h) => h.evidenceId) ?? []);
    expect(askableEvidence(view).map((h) => h.evidenceId)).toEqual(listed);
  });

  it('is nothing without an inject', () => {
    expect(askableEvidence({ inject: null, tracks: [] })).toEqual([]);
  });
});

describe('whom the spotlit evidence is for', () => {
  it('is the label of the inject on the view that lists it (another track’s too), on the projector and on the phones that keep it', () => {
    // Revealed to the team, the CISO's board briefing is on the executive track's inject: "For: CISO".
    const projector = room(['ev-board'], 'ev-board');
    expect(projector.inject?.id).toBe('t2');
    expect(spotlightAudience(projector)).toEqual(['CISO']);
    expect(spotlightAudience(participantView(projector, state, 'p-ciso', scenario).room)).toEqual(['CISO']);
    // Legal may not see the item: the phone drops the spotlight, and with it any label.
    const legal = participantView(projector, state, 'p-legal', scenario).room;
    expect(legal.display.spotlight).toBeNull();
    expect(spotlightAudience(legal)).toEqual([]);
  });

  it('is nobody in particular for an item for everyone, and nothing without a spotlight', () => {
    expect(spotlightAudience(room([], 'ev-memo'))).toEqual([]);
    expect(room([], 'ev-memo').display.spotlight?.evidence.id).toBe('ev-memo');
    expect(spotlightAudience(room())).toEqual([]);
  });

  it('reads every team of the room view', () => {
    const blue = room(['ev-board'], 'ev-board');
    const roomView = { teams: [{ inject: null, tracks: [] }, blue], display: blue.display };
    expect(spotlightAudience(roomView)).toEqual(['CISO']);
  });
});
