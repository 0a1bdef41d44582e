/**
 * What every panel of a team in the console is given: the live session, the
 * scenario's index, the team shown and whether actions are disabled.
 */
import type { LiveSession, TeamView } from '../../lib/state/session.svelte.ts';
import type { ScenarioIndex } from './scenario-index.ts';

export interface TeamPanelProps {
  session: LiveSession;
  index: ScenarioIndex;
  team: TeamView;
  /** True while no action may be taken (the exercise not running, or over). */
  disabled: boolean;
}
