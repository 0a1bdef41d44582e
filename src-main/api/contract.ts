/**
 * THE CONTRACT: every method the renderer may call on the main process, with
 * its input schema and result schema, and every event main pushes to windows.
 *
 * Main (Electron IPC), the preload bridge, the web host (HTTP + SSE) and the
 * renderer client all derive from this one list. A method that is not named
 * here does not exist; an input that does not match its schema never reaches
 * a service.
 *
 * Pure TypeScript: no node:, no electron, no DOM.
 */
import { z } from 'zod';
import { toPointer } from '../core/json-pointer.ts';
import { Scenario } from '../core/scenario/schema.ts';
import { base64File, ScenarioText } from './limit-schemas.ts';
import {
  Ack,
  AddNoteInput,
  CreateSessionInput,
  EndSessionInput,
  EventsInput,
  FireContingencyInput,
  LogEventSchema,
  MarkMilestoneInput,
  RecordDecisionInput,
  PresenterLink,
  PresenterRef,
  PresenterViewSchema,
  RoomDisplaySchema,
  RoomViewSchema,
  SetRoomInput,
  SessionRef,
  SessionState,
  TeamRef,
  UndoInput,
  UndoResult,
  SessionSummary,
  SetSpeedInput,
  StartSessionInput,
} from './sessions.ts';
import { apiError, type ApiError } from './errors.ts';
import { interopMethods } from './interop.ts';
import { reportMethods } from './reports.ts';
import { programmeMethods } from './programme.ts';
import { participantMethods } from './participants.ts';
import { evidenceMethods } from './evidence.ts';
import { StudioChanged, studioMethods } from './studio.ts';
import { method } from './method.ts';

export type { Access, MethodSpec } from './method.ts';

const NoInput = z.object({}).strict();

export const Difficulty = z.enum(['introductory', 'intermediate', 'advanced']);

export const ScenarioSummary = z.object({
  id: z.string(),
  version: z.string(),
  title: z.string(),
  summary: z.string(),
  estimatedMinutes: z.number(),
  difficulty: Difficulty,
  source: z.enum(['bundled', 'imported']),
  objectives: z.array(z.object({ id: z.string(), text: z.string() })),
  /** Every distinct tag of the scenario and its objectives, in the order first written. */
  tags: z.array(z.string()),
  /** Format 1.1 `meta.critical`: its items are due twice a year in the programme view. */
  critical: z.boolean().default(false),
});
export type ScenarioSummary = z.infer<typeof ScenarioSummary>;

/** A scenario file the library could not read; listed so nothing fails silently. */
export const LibraryProblem = z.object({
  file: z.string(),
  message: z.string(),
  path: z.string(),
});
export type LibraryProblem = z.infer<typeof LibraryProblem>;

const Issue = z.object({ pointer: z.string(), message: z.string() });

/** The outcome of importing a scenario: every problem at once, and nothing written unless there are none. */
export const ImportOutcome = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), scenario: ScenarioSummary, replaced: z.boolean() }),
  z.object({ ok: z.literal(false), errors: z.array(Issue), exists: z.boolean() }),
]);

export const Rehearsal = z.object({
  ended: z.string(),
  endTitle: z.string(),
  result: z.enum(['success', 'partial', 'failure']),
  path: z.array(z.object({ id: z.string(), type: z.string(), title: z.string() })),
  milestones: z.record(z.string(), z.number().nullable()),
  choices: z.record(z.string(), z.string()),
  score: z.record(z.string(), z.number()),
  /** Scenarios with parallel tracks only: where each track ended (null: stopped when the lead track ended). */
  tracks: z
    .array(z.object({ id: z.string(), title: z.string(), endTitle: z.string().nullable(), result: z.enum(['success', 'partial', 'failure']).nullable(), steps: z.number() }))
    .optional(),
});

export const methods = {
  'app.info': method({
    summary: 'Version and data folder of the running app.',
    access: 'facilitator',
    input: NoInput,
    result: z.object({ name: z.string(), version: z.string(), host: z.enum(['electron', 'web']), dataDir: z.string() }),
  }),
  'library.list': method({
    summary: 'The scenario library: bundled and imported scripts, and any file that could not be read.',
    access: 'facilitator',
    input: NoInput,
    result: z.object({ scenarios: z.array(ScenarioSummary), problems: z.array(LibraryProblem) }),
  }),
  'library.get': method({
    summary: 'One scenario of the library, in full (facilitator-only parts included).',
    access: 'facilitator',
    input: z.strictObject({ id: z.string().min(1).max(64) }),
    result: Scenario,
  }),
  'library.import': method({
    summary: 'Imports a scenario file (JSON text) into the library, after checking all of it.',
    access: 'facilitator',
    input: z.strictObject({ fileName: z.string().max(255).optional(), text: ScenarioText, replace: z.boolean().default(false) }),
    result: ImportOutcome,
  }),
  'library.importBundle': method({
    summary: 'Imports a .sandtable scenario bundle (the scenario and its images) into the library.',
    access: 'facilitator',
    input: z.strictObject({ fileName: z.string().max(255).optional(), base64: base64File(), replace: z.boolean().default(false) }),
    result: ImportOutcome,
  }),
  'library.remove': method({
    summary: 'Removes an imported scenario (recorded sessions keep the scenario they ran).',
    access: 'facilitator',
    input: z.strictObject({ id: z.string().min(1).max(64) }),
    result: z.object({ removed: z.string() }),
  }),
  'library.asset': method({
    summary: "An image a scenario's evidence shows, as a data: URL (only images its evidence names).",
    access: 'facilitator',
    input: z.strictObject({ scenarioId: z.string().min(1).max(64), path: z.string().min(1).max(300) }),
    result: z.object({ dataUrl: z.string() }),
  }),
  'library.rehearse': method({
    summary: 'Runs a scenario headlessly for one team (default or random choices) and says where it ends.',
    access: 'facilitator',
    input: z.strictObject({ id: z.string().min(1).max(64), choices: z.enum(['default', 'random']).default('default'), seed: z.string().min(1).max(100).default('1') }),
    result: Rehearsal,
  }),
  'sessions.list': method({
    summary: 'Every recorded session, most recently active first.',
    access: 'facilitator',
    input: NoInput,
    result: z.array(SessionSummary),
  }),
  'sessions.create': method({
    summary: 'Sets up a session of a scenario for 1-6 teams (the clock does not run until sessions.start).',
    access: 'facilitator',
    input: CreateSessionInput,
    result: SessionState,
  }),
  'sessions.get': method({
    summary: 'The full state of a session and each of its teams.',
    access: 'facilitator',
    input: SessionRef,
    result: SessionState,
  }),
  'sessions.scenario': method({
    summary: 'The exact scenario a session runs (the version it was started with, facilitator-only parts included).',
    access: 'facilitator',
    input: SessionRef,
    result: Scenario,
  }),
  'sessions.events': method({
    summary: "A session's event log after a sequence number.",
    access: 'facilitator',
    input: EventsInput,
    result: z.array(LogEventSchema),
  }),
  'sessions.start': method({ summary: 'Starts the exercise clock (at the speed given, if any).', access: 'facilitator', input: StartSessionInput, result: Ack }),
  'sessions.pause': method({ summary: 'Pauses the exercise clock.', access: 'facilitator', input: SessionRef, result: Ack }),
  'sessions.resume': method({ summary: 'Resumes the exercise clock from the scenario time it paused at.', access: 'facilitator', input: SessionRef, result: Ack }),
  'sessions.setSpeed': method({ summary: 'Changes the clock speed (0 = manual step).', access: 'facilitator', input: SetSpeedInput, result: Ack }),
  'sessions.advance': method({
    summary: 'Jumps scenario time to the next pending inject and delivers it.',
    access: 'facilitator',
    input: SessionRef,
    result: Ack,
  }),
  'sessions.recordDecision': method({
    summary: "Records a team's decision with its rationale and who decided.",
    access: 'facilitator',
    input: RecordDecisionInput,
    result: Ack,
  }),
  'sessions.markMilestone': method({ summary: 'Marks a milestone reached for a team.', access: 'facilitator', input: MarkMilestoneInput, result: Ack }),
  'sessions.fireContingency': method({ summary: 'Fires a contingency inject for a team now.', access: 'facilitator', input: FireContingencyInput, result: Ack }),
  'sessions.addNote': method({
    summary: 'Adds a facilitator note or an observation rated against an objective (HSEEP P/S/M/U).',
    access: 'facilitator',
    input: AddNoteInput,
    result: Ack,
  }),
  'sessions.undo': method({
    summary: "Undoes a team's last action (decision, milestone, contingency, note) while nothing has happened since; recorded as a correcting event, never a deletion.",
    access: 'facilitator',
    input: UndoInput,
    result: UndoResult,
  }),
  'sessions.end': method({ summary: 'Ends the exercise.', access: 'facilitator', input: EndSessionInput, result: Ack }),
  'reports.savePdf': method({
    summary: 'Saves the after-action report view as a PDF (Electron: printToPDF and a save dialog). Under the web host it is not supported: print from the browser instead.',
    access: 'facilitator',
    input: z.strictObject({ sessionId: z.string().min(1).max(64), pseudonymise: z.boolean().default(false) }),
    result: z.object({ supported: z.boolean(), saved: z.string().nullable() }),
  }),
  'sessions.openPresenter': method({
    summary: 'Opens the projector view of a team, or with teamId omitted the room view of every team: a second window in Electron, a read-only link under the web host.',
    access: 'facilitator',
    input: PresenterRef,
    result: PresenterLink,
  }),
  'sessions.room': method({
    summary: 'What the facilitator has put on the room screen: slide, spotlight, scroll and clock.',
    access: 'facilitator',
    input: SessionRef,
    result: RoomDisplaySchema,
  }),
  'sessions.setRoom': method({
    summary:
      'Drives the room screen: shows or clears a slide (title with the opening brief, phase, pause), spotlights an evidence item or one record, scrolls, shows or hides the clock. Display state: kept with the session, not in its log.',
    access: 'facilitator',
    input: SetRoomInput,
    result: RoomDisplaySchema,
  }),
  'presenter.room': method({
    summary:
      "What the room view shows: every team's current inject, open decision with its countdown, phase and milestones, and what the facilitator has put on screen. Never facilitator-only content.",
    access: 'presenter',
    input: SessionRef,
    result: RoomViewSchema,
  }),
  'presenter.asset': method({
    summary:
      "An image of the presented session's scenario, as a data: URL: for a projector only one its screens show now (core/shown-images.ts), for the facilitator any its evidence names.",
    access: 'presenter',
    input: z.strictObject({ sessionId: z.string().min(1).max(64), path: z.string().min(1).max(300) }),
    result: z.object({ dataUrl: z.string() }),
  }),
  'presenter.view': method({
    summary: 'What the projector shows for a team: the current inject and its evidence, the open decision and its countdown. Never facilitator-only content.',
    access: 'presenter',
    input: TeamRef,
    result: PresenterViewSchema,
  }),
  ...interopMethods,
  ...reportMethods,
  ...participantMethods,
  ...evidenceMethods,
  ...programmeMethods,
  ...studioMethods({ Rehearsal, ScenarioSummary }),
} as const;

/** Events pushed from main to every window (IPC `send` / server-sent events). */
export const events = {
  'library.changed': z.object({}),
  /** Something was recorded in a session: fetch its state again. */
  'session.changed': z.object({ sessionId: z.string(), seq: z.number() }),
  /** Participants joined, left, asked or answered, or joining opened or closed: fetch sessions.participation again. */
  'participation.changed': z.object({ sessionId: z.string(), teamId: z.string().nullable(), seq: z.number() }),
  /** A participant voted: the team's tally as of the vote's commit (`seq`). */
  'votes.changed': z.object({ sessionId: z.string(), teamId: z.string(), decisionId: z.string(), tally: z.record(z.string(), z.number()), voters: z.number(), seq: z.number() }),
  /** Studio drafts were created, saved, published or discarded (facilitator only): fetch studio.list again. */
  'studio.changed': StudioChanged,
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type InputOf<M extends MethodName> = z.input<Methods[M]['input']>;
export type ParsedInputOf<M extends MethodName> = z.output<Methods[M]['input']>;
export type ResultOf<M extends MethodName> = z.output<Methods[M]['result']>;

export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;
/** One pushed event; for several names, a union narrowed by `name`. */
export type PushedEvent<E extends EventName = EventName> = { [K in E]: { name: K; payload: EventPayload<K> } }[E];

export const METHOD_NAMES = Object.keys(methods) as MethodName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(methods, name);
}

/** Converts the first zod issue into the contract's error shape. */
export function zodToApiError(error: z.ZodError, code: ApiError['code'] = 'invalid_input'): ApiError {
  const first = error.issues[0];
  if (!first) return apiError(code, 'Invalid input.');
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problem${error.issues.length > 2 ? 's' : ''})` : '';
  // An unexpected key is reported at the key itself, not at its parent object.
  const segments = first.code === 'unrecognized_keys' && first.keys[0] !== undefined ? [...first.path, first.keys[0]] : first.path;
  const path = toPointer(segments);
  return apiError(code, `${path || 'input'}: ${first.message}${more}`, path);
}

/** Validates an untrusted method name and input at a host boundary. */
export function parseCall(name: unknown, input: unknown): { ok: true; method: MethodName; input: unknown } | { ok: false; error: ApiError } {
  if (!isMethodName(name)) {
    return { ok: false, error: apiError('unknown_method', `There is no method named ${JSON.stringify(String(name)).slice(0, 80)}.`) };
  }
  const parsed = methods[name].input.safeParse(input ?? {});
  if (!parsed.success) return { ok: false, error: zodToApiError(parsed.error) };
  return { ok: true, method: name, input: parsed.data };
}
