/**
 * Contract methods of the scenario studio (issue #17): drafts kept in the
 * data folder (autosaved, any JSON object up to a scenario file's size, valid
 * or not), publishing a draft into the imported library (validated, version
 * bumped, the previous version kept), its versions, rehearsing and exporting
 * a draft. Spread into `methods` in ./contract.ts (which passes in the
 * schemas this file shares with it, since that file imports this one).
 *
 * Pure TypeScript: no node:, no electron, no DOM.
 */
import { z } from 'zod';
import { SCENARIO_FILE, tooLarge } from '../core/limits.ts';
import { checkStructure, utf8ByteLength } from '../core/scenario/safe-json.ts';
import { MAX_SCENARIO_DEPTH } from '../core/scenario/validate.ts';

/** The same shape as a method of ./contract.ts (that file imports this one, so the helper is repeated here). */
interface StudioMethodSpec<I extends z.ZodType, R extends z.ZodType> {
  input: I;
  result: R;
  access: 'facilitator';
  summary: string;
}

function method<I extends z.ZodType, R extends z.ZodType>(spec: StudioMethodSpec<I, R>): StudioMethodSpec<I, R> {
  return spec;
}

/** How a draft began: a template, a copy of a library scenario, or an imported scenario (an MSEL draft among them) edited in place. */
export const DRAFT_ORIGINS = ['new', 'duplicate', 'edit', 'msel'] as const;
export type DraftOriginKind = (typeof DRAFT_ORIGINS)[number];

export const DraftOrigin = z.object({ kind: z.enum(DRAFT_ORIGINS), scenarioId: z.string().nullable() });
export type DraftOrigin = z.infer<typeof DraftOrigin>;

export const DraftId = z.string().min(1).max(64);

export const DraftSummary = z.object({
  draftId: z.string(),
  /** The document's meta.title, or "" while it has none. */
  title: z.string(),
  /** The document's meta.id, or "" while it has none. */
  scenarioId: z.string(),
  origin: DraftOrigin,
  /** Goes up by one with every save; a save names the revision it was made on. */
  revision: z.number().int(),
  /** Wall-clock ms of the last save. */
  updatedAt: z.number(),
  /** The version this draft last published into the library, or null. */
  publishedVersion: z.string().nullable(),
});
export type DraftSummary = z.infer<typeof DraftSummary>;

/** One validation problem: an RFC 6901 pointer into the document and a sentence for its author. */
export const StudioIssue = z.object({ pointer: z.string(), message: z.string() });

/**
 * A draft's document at the boundary: any JSON object (the scenario being
 * written, valid or not) no larger than a scenario file and no deeper than a
 * scenario may be, without prototype-tampering keys. A scenario that breaks
 * the format's rules is a legal draft; a document that is not an object, or
 * too large, is refused.
 */
export const DraftDocument = z.record(z.string(), z.unknown()).superRefine((document, ctx) => {
  const structural = checkStructure(document, MAX_SCENARIO_DEPTH);
  for (const issue of structural.slice(0, 5)) ctx.addIssue({ code: 'custom', path: pointerPath(issue.pointer), message: issue.message });
  if (structural.length > 0) return;
  const text = JSON.stringify(document);
  if (text.length > SCENARIO_FILE.bytes || utf8ByteLength(text) > SCENARIO_FILE.bytes) {
    ctx.addIssue({ code: 'custom', message: `the draft ${tooLarge(SCENARIO_FILE)} (as JSON it is ${utf8ByteLength(text)} bytes)` });
  }
});

function pointerPath(pointer: string): Array<string | number> {
  return pointer === ''
    ? []
    : pointer
        .slice(1)
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export const StudioCreateInput = z.discriminatedUnion('from', [
  z.strictObject({ from: z.literal('new') }),
  z.strictObject({ from: z.literal('duplicate'), scenarioId: z.string().min(1).max(64) }),
  z.strictObject({ from: z.literal('edit'), scenarioId: z.string().min(1).max(64) }),
]);

export const StudioRehearseInput = z
  .strictObject({
    draftId: DraftId,
    choices: z.enum(['default', 'random', 'chosen']).default('default'),
    /** Decision id → option id, for `chosen` (decisions not named take their default). */
    picks: z.record(z.string().min(1).max(64), z.string().min(1).max(64)).optional(),
    seed: z.string().min(1).max(100).default('1'),
  })
  .refine((input) => input.choices === 'chosen' || input.picks === undefined, { path: ['picks'], error: 'picks are given only with choices "chosen"' });

export const StudioExportInput = z.strictObject({ draftId: DraftId, format: z.enum(['json', 'sandtable']) });

/** The studio's methods, given the schemas ./contract.ts shares with them. */
export function studioMethods<R extends z.ZodType, S extends z.ZodType>(shared: { Rehearsal: R; ScenarioSummary: S }) {
  const Draft = DraftSummary.extend({ document: z.unknown() });
  return {
    'studio.list': method({
      summary: 'The scenario drafts in the studio, most recently saved first.',
      access: 'facilitator',
      input: z.strictObject({}),
      result: z.object({ drafts: z.array(DraftSummary) }),
    }),
    'studio.create': method({
      summary:
        'Starts a draft: a small valid template (new), a copy of a library scenario under a new id (duplicate; bundled scenarios stay read-only), or an imported scenario as it is (edit; the open draft if there is one).',
      access: 'facilitator',
      input: StudioCreateInput,
      result: Draft,
    }),
    'studio.get': method({
      summary: 'One draft with its document.',
      access: 'facilitator',
      input: z.strictObject({ draftId: DraftId }),
      result: Draft,
    }),
    'studio.save': method({
      summary: 'Saves (autosaves) a draft: any JSON object up to a scenario file in size; refused as a conflict when the draft was saved since the revision named.',
      access: 'facilitator',
      input: z.strictObject({ draftId: DraftId, revision: z.number().int().min(0), document: DraftDocument }),
      result: z.object({ revision: z.number().int(), updatedAt: z.number() }),
    }),
    'studio.discard': method({
      summary: 'Discards a draft (what it published stays in the library).',
      access: 'facilitator',
      input: z.strictObject({ draftId: DraftId }),
      result: z.object({ discarded: z.string() }),
    }),
    'studio.publish': method({
      summary:
        'Publishes a draft into the imported library after checking all of it: the version goes up (minor) when the scenario is there already, and the previous version is kept. Recorded sessions keep the scenario they ran.',
      access: 'facilitator',
      input: z.strictObject({ draftId: DraftId }),
      result: z.discriminatedUnion('ok', [
        z.object({ ok: z.literal(true), scenario: shared.ScenarioSummary, version: z.string(), previousVersion: z.string().nullable() }),
        z.object({ ok: z.literal(false), errors: z.array(StudioIssue) }),
      ]),
    }),
    'studio.versions': method({
      summary: 'The versions of a scenario published from the studio (and the one it replaced first), oldest first.',
      access: 'facilitator',
      input: z.strictObject({ scenarioId: z.string().min(1).max(64) }),
      result: z.object({
        versions: z.array(
          z.object({
            version: z.string(),
            /** Wall-clock ms, or null for a version published before the studio first replaced it. */
            publishedAt: z.number().nullable(),
            /** Whether this is the version in the library now. */
            current: z.boolean(),
          }),
        ),
      }),
    }),
    'studio.rehearse': method({
      summary: "Runs a draft headlessly for one team (default, random or chosen decisions, a seed): its path, ending, milestone times and scores, or the draft's problems.",
      access: 'facilitator',
      input: StudioRehearseInput,
      result: z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), rehearsal: shared.Rehearsal }), z.object({ ok: z.literal(false), errors: z.array(StudioIssue) })]),
    }),
    'studio.export': method({
      summary: 'A draft as a scenario file (.json, as it stands) or a .sandtable bundle with its images (only when it is valid), base64.',
      access: 'facilitator',
      input: StudioExportInput,
      result: z.object({ filename: z.string(), base64: z.string() }),
    }),
  } as const;
}

/** Pushed when drafts are created, saved, published or discarded: fetch studio.list (or the draft) again. */
export const StudioChanged = z.object({ draftId: z.string().nullable(), revision: z.number().int().nullable() });

export type StudioMethodName = keyof ReturnType<typeof studioMethods>;
