/**
 * How results are put into words (scores as points earned of points
 * available with the costly choices named; milestones with the quality of
 * what was reached), shared with the renderer so that the debrief screen and
 * the after-action report say the same thing.
 */
export {
  revealText,
  CHANCE_EVENTS,
  costText,
  earnedPercent,
  earnedText,
  endingSentence,
  lostText,
  milestoneQuality,
  RESULT_WORDS,
  scoreSentence,
  scoreView,
  type MilestoneQuality,
  type ScoreCost,
  type ScoreGroupView,
  type ScoreLineView,
} from '../core/report/wording.ts';
