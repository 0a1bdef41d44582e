/**
 * The session setup form: what the facilitator fills in before an exercise,
 * turned into `sessions.create` input, checked with the contract's own schema
 * before it is sent (every problem at once, each in plain words on its field),
 * and any refusal from main mapped back onto the field it names (by JSON pointer).
 */
import type { InputOf, ResultOf } from '../../../../src-main/api/contract.ts';
import type { ApiError } from '../../../../src-main/api/errors.ts';
import type { Api } from '../../lib/api.ts';
import { toApiError } from '../../lib/state/session.svelte.ts';
import { errorText, type Speed } from '../sessions/format.ts';
import { checkCreateInput, type FieldWords } from './setup-errors.ts';

type Scenario = ResultOf<'library.get'>;
type CreateInput = InputOf<'sessions.create'>;

export const MAX_TEAMS = 6;
const FACILITATOR_KEY = 'sandtable.facilitator';

export interface ParticipantDraft {
  key: number;
  name: string;
  role: string;
}

export interface TeamDraft {
  key: number;
  name: string;
  participants: ParticipantDraft[];
}

/** Element ids of the form's fields, shared by the form and the error mapping. */
export const fieldIds = {
  name: 'setup-name',
  facilitator: 'setup-facilitator',
  sensitivity: 'setup-sensitivity',
  teams: 'setup-teams',
  speed: 'setup-speed',
  seed: 'setup-seed',
  teamName: (team: TeamDraft) => `setup-team-${team.key}-name`,
  team: (team: TeamDraft) => `setup-team-${team.key}`,
  participantName: (p: ParticipantDraft) => `setup-participant-${p.key}-name`,
  participantRole: (p: ParticipantDraft) => `setup-participant-${p.key}-role`,
  target: (milestoneId: string) => `setup-target-${milestoneId}`,
  targets: 'setup-targets',
};

function rememberedFacilitator(): string {
  try {
    return localStorage.getItem(FACILITATOR_KEY) ?? '';
  } catch {
    return '';
  }
}

/** The form's state for one scenario. */
export class SetupForm {
  readonly scenario: Scenario;
  name = $state('');
  facilitator = $state('');
  sensitivity = $state('');
  teams = $state<TeamDraft[]>([]);
  speed = $state<Speed>(1);
  /** Milestone id -> target minutes (null while the field is empty). */
  targets = $state<Record<string, number | null>>({});
  seed = $state('');
  submitting = $state(false);
  /** Field element id -> error message. */
  errors = $state<Record<string, string>>({});
  /** An error that names no field. */
  formError = $state<string | null>(null);
  #nextKey = 1;

  constructor(scenario: Scenario) {
    this.scenario = scenario;
    this.name = `${scenario.meta.title} — ${new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(Date.now())}`.slice(0, 200);
    this.facilitator = rememberedFacilitator();
    this.sensitivity = scenario.meta.sensitivity;
    this.targets = Object.fromEntries(scenario.milestones.map((m) => [m.id, m.targetMinutes]));
    this.addTeam();
  }

  /** Role names offered for participants (free text is accepted too). */
  get roleNames(): string[] {
    return this.scenario.roles.map((role) => role.name);
  }

  addTeam(): TeamDraft | null {
    if (this.teams.length >= MAX_TEAMS) return null;
    const team: TeamDraft = { key: this.#nextKey++, name: `Team ${this.teams.length + 1}`, participants: [] };
    this.teams.push(team);
    this.addParticipant(this.teams.length - 1);
    return this.teams.at(-1)!;
  }

  removeTeam(index: number): void {
    if (this.teams.length > 1) this.teams.splice(index, 1);
  }

  addParticipant(teamIndex: number): ParticipantDraft | null {
    const team = this.teams[teamIndex];
    if (!team) return null;
    team.participants.push({ key: this.#nextKey++, name: '', role: '' });
    return team.participants.at(-1)!;
  }

  removeParticipant(teamIndex: number, index: number): void {
    this.teams[teamIndex]?.participants.splice(index, 1);
  }

  /** Forgets the error of a field once it is edited. */
  edited(fieldId: string): void {
    if (!(fieldId in this.errors)) return;
    const { [fieldId]: _edited, ...rest } = this.errors;
    this.errors = rest;
  }

  /** The error shown for a field, if any. */
  errorFor(fieldId: string): string | undefined {
    return this.errors[fieldId];
  }

  /**
   * The `sessions.create` input, and which field each JSON pointer of it names.
   * Participant rows left entirely empty are not sent.
   */
  build(): { input: CreateInput; fields: Map<string, string> } {
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a lookup returned with the input, read once to place the errors; not state
    const fields = new Map<string, string>([
      ['/name', fieldIds.name],
      ['/facilitator', fieldIds.facilitator],
      ['/sensitivity', fieldIds.sensitivity],
      ['/teams', fieldIds.teams],
      ['/speed', fieldIds.speed],
      ['/seed', fieldIds.seed],
      ['/milestoneTargets', fieldIds.targets],
    ]);
    const teams = this.teams.map((team, t) => {
      fields.set(`/teams/${t}`, fieldIds.team(team));
      fields.set(`/teams/${t}/name`, fieldIds.teamName(team));
      fields.set(`/teams/${t}/participants`, fieldIds.team(team));
      const participants = team.participants.filter((p) => p.name.trim() !== '' || p.role.trim() !== '');
      participants.forEach((p, i) => {
        fields.set(`/teams/${t}/participants/${i}`, fieldIds.participantName(p));
        fields.set(`/teams/${t}/participants/${i}/name`, fieldIds.participantName(p));
        fields.set(`/teams/${t}/participants/${i}/role`, fieldIds.participantRole(p));
      });
      return {
        name: team.name,
        participants: participants.map((p) => (p.role.trim() ? { name: p.name, role: p.role } : { name: p.name })),
      };
    });
    const milestoneTargets: Record<string, number> = {};
    for (const milestone of this.scenario.milestones) {
      fields.set(`/milestoneTargets/${milestone.id}`, fieldIds.target(milestone.id));
      const value = this.targets[milestone.id];
      if (typeof value === 'number' && Number.isFinite(value)) milestoneTargets[milestone.id] = value;
    }
    const input: CreateInput = {
      scenarioId: this.scenario.meta.id,
      name: this.name,
      facilitator: this.facilitator,
      teams,
      speed: this.speed,
      milestoneTargets,
    };
    if (this.sensitivity.trim()) input.sensitivity = this.sensitivity;
    if (this.seed.trim()) input.seed = this.seed.trim();
    return { input, fields };
  }

  /** Of the fields given, the one that comes first on the page (null when none is on it). */
  #firstInForm(ids: readonly string[]): string | null {
    const elements = ids.map((id) => document.getElementById(id)).filter((el): el is HTMLElement => el !== null);
    elements.sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
    return elements[0]?.id ?? ids[0] ?? null;
  }

  /** Checks what the server cannot (an emptied number field would silently fall back to the default). */
  #localErrors(): Record<string, string> {
    const errors: Record<string, string> = {};
    for (const milestone of this.scenario.milestones) {
      const value = this.targets[milestone.id];
      if (typeof value !== 'number' || !Number.isFinite(value)) errors[fieldIds.target(milestone.id)] = `Enter the target for “${milestone.label}” in minutes.`;
    }
    return errors;
  }

  /** How the field at a pointer of the input is named in a sentence. */
  #words(pointer: string): FieldWords {
    const parts = pointer.split('/').slice(1);
    const [first, second, third, , fifth] = parts;
    switch (first) {
      case 'name':
        return { name: 'the session name', required: 'Give the session a name.' };
      case 'facilitator':
        return { name: "the facilitator's name", required: 'Enter the name of the facilitator.' };
      case 'sensitivity':
        return { name: 'the handling marking', required: 'Enter a handling marking (the scenario has one you can keep).' };
      case 'teams': {
        if (second === undefined) return { name: 'the teams', tooFew: 'Add at least one team.', tooMany: `At most ${MAX_TEAMS} teams can take part.` };
        const number = Number(second) + 1;
        if (third === 'name') return { name: `the name of team ${number}`, required: `Give team ${number} a name.` };
        if (third === 'participants' && fifth === 'name') return { name: "the participant's name", required: 'Enter a name for this participant, or clear the role as well.' };
        if (third === 'participants' && fifth === 'role') return { name: "the participant's role" };
        if (third === 'participants') return { name: `the participants of team ${number}`, tooMany: 'A team can have at most 50 participants.' };
        return { name: `team ${number}` };
      }
      case 'speed':
        return { name: 'the clock speed' };
      case 'seed':
        return { name: 'the seed' };
      case 'milestoneTargets': {
        const milestone = second === undefined ? undefined : this.scenario.milestones.find((m) => m.id === second);
        return { name: milestone ? `the target for “${milestone.label}”` : 'the milestone targets', unit: ' minutes' };
      }
      default:
        return { name: 'this field' };
    }
  }

  /** The field a pointer names: the longest pointer prefix that is a known field. */
  #fieldOf(error: Pick<ApiError, 'path'>, fields: Map<string, string>): string | null {
    let path = error.path;
    while (path) {
      const field = fields.get(path);
      if (field) return field;
      path = path.slice(0, path.lastIndexOf('/'));
    }
    return null;
  }

  /**
   * Creates the session. Returns its id, or null after showing the error next
   * to its field (the id of which is returned as `focus`, for the screen to focus).
   */
  async submit(api: Api): Promise<{ sessionId: string } | { focus: string | null }> {
    if (this.submitting) return { focus: null };
    this.formError = null;
    const { input, fields } = this.build();
    // Every problem at once, before the round-trip: the contract's own check, then what it cannot see.
    const errors: Record<string, string> = {};
    const unplaced: string[] = [];
    for (const problem of checkCreateInput(input, (pointer) => this.#words(pointer))) {
      const field = this.#fieldOf({ path: problem.pointer }, fields);
      if (field) errors[field] ??= problem.message;
      else unplaced.push(problem.message);
    }
    for (const [field, message] of Object.entries(this.#localErrors())) errors[field] ??= message;
    this.errors = errors;
    const count = Object.keys(errors).length + unplaced.length;
    if (count > 0) {
      const summary = count === 1 ? 'One thing needs fixing' : `${count} things need fixing`;
      this.formError = unplaced.length > 0 ? `${summary}: ${unplaced.join(' ')}` : `${summary}: see the marked ${count === 1 ? 'field' : 'fields'}.`;
      return { focus: this.#firstInForm(Object.keys(errors)) };
    }
    this.submitting = true;
    try {
      const session = await api.call('sessions.create', input);
      try {
        localStorage.setItem(FACILITATOR_KEY, this.facilitator.trim());
      } catch {
        // Not remembered for next time; nothing else depends on it.
      }
      return { sessionId: session.id };
    } catch (error) {
      const apiError = toApiError(error);
      const field = this.#fieldOf(apiError, fields);
      if (field) this.errors = { [field]: errorText(apiError) };
      else this.formError = errorText(apiError);
      return { focus: field };
    } finally {
      this.submitting = false;
    }
  }
}
