/**
 * IcebergTTX scenario JSON (`schema_version` "1.0", the interchange format
 * its builder imports and exports; app/schemas/scenario_json.py and
 * website/docs/scenarios.md of IcebergAI/IcebergTTX) → a Sandtable draft.
 *
 * - Participant teams become roles; an inject's `target_teams` are named in
 *   its `to` (format 1.0 cannot aim an inject at a role).
 * - An inject becomes an inject node. Its `options` become a decision node
 *   right after it (an option's `next_inject_id` its `next`; `null`, "the
 *   branch ends", an end node); a single option is the only way on, so the
 *   inject leads straight to it. Without options, `next_inject_id` is `next`.
 * - `release_at_minutes` becomes `at`, unless a later inject on some path is
 *   due earlier (Sandtable's times never go back along a path): then that
 *   time is dropped and the draft says so.
 * - `expected_actions` are kept; `triggers_communications` become email
 *   evidence shown with the inject.
 * - An inject no option or inject leads to (IcebergTTX's parallel timeline)
 *   becomes a contingency the facilitator can fire, due at its
 *   `release_at_minutes` unless the incident is recovered first.
 * - What Sandtable needs and IcebergTTX has not (objectives, milestones'
 *   targets, a facilitator brief, the handling marking) gets "To be written"
 *   placeholders; what cannot be carried over is listed in `notes`.
 */
import { z } from 'zod';
import type { ScenarioInput } from '../scenario/schema.ts';
import { validateScenario } from '../scenario/validate.ts';
import { draftId, placeholderMilestones, safeIds, TO_BE_WRITTEN, type Conversion } from './shared.ts';

const Id = z.string().trim().min(1).max(200);

/** IcebergTTX's scenario definition, field by field (its pydantic model, app/schemas/scenario_json.py). */
export const IcebergScenario = z.looseObject({
  schema_version: z.literal('1.0'),
  title: z.string().min(1).max(500),
  description: z.string().max(50_000).nullish(),
  tags: z.array(z.string()).max(100).default([]),
  metadata: z.looseObject({ author: z.string().nullish(), estimated_duration_minutes: z.number().int().nullish() }).default({}),
  participant_teams: z
    .array(z.looseObject({ id: Id, label: z.string().min(1).max(300) }))
    .max(100)
    .default([]),
  injects: z
    .array(
      z.looseObject({
        id: Id,
        title: z.string().min(1).max(500),
        content: z.string().max(50_000),
        target_teams: z.array(Id).max(100).default([]),
        sequence_order: z.number().int().default(0),
        next_inject_id: Id.nullish(),
        options: z
          .array(z.looseObject({ id: Id, label: z.string().min(1).max(500), next_inject_id: Id.nullish() }))
          .max(50)
          .default([]),
        free_text_response: z.boolean().default(true),
        triggers_communications: z
          .array(
            z.looseObject({
              external_entity: z.string().min(1).max(300),
              direction: z.enum(['inbound', 'outbound']),
              subject: z.string().max(300),
              body: z.string().max(50_000),
              delay_after_release_seconds: z.number().int().min(0).max(86_400).default(0),
            }),
          )
          .max(50)
          .default([]),
        expected_actions: z.array(z.string().max(2_000)).max(30).default([]),
        release_at_minutes: z.number().int().min(0).nullish(),
      }),
    )
    .min(1)
    .max(5_000),
  start_inject_id: Id,
  debrief_notes: z.string().max(50_000).nullish(),
});
export type IcebergScenario = z.output<typeof IcebergScenario>;

/** Whether a parsed JSON value claims to be an IcebergTTX scenario. */
export function looksLikeIcebergTtx(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && 'schema_version' in value && 'injects' in value && 'start_inject_id' in value;
}

export function convertIcebergTtx(value: unknown, fileName?: string): Conversion {
  const parsed = IcebergScenario.safeParse(value);
  if (!parsed.success) {
    return { ok: false, format: 'icebergttx', problems: parsed.error.issues.slice(0, 50).map((i) => ({ pointer: `/${i.path.join('/')}`, message: i.message })) };
  }
  const source = parsed.data;
  const notes: string[] = [];
  const byId = new Map(source.injects.map((inj) => [inj.id, inj]));
  for (const inj of source.injects) {
    for (const target of [inj.next_inject_id, ...inj.options.map((o) => o.next_inject_id)]) {
      if (target != null && !byId.has(target))
        return {
          ok: false,
          format: 'icebergttx',
          problems: [{ pointer: `/injects/${source.injects.indexOf(inj)}`, message: `leads to "${target}", which is not an inject of the scenario` }],
        };
    }
  }
  if (!byId.has(source.start_inject_id))
    return { ok: false, format: 'icebergttx', problems: [{ pointer: '/start_inject_id', message: `"${source.start_inject_id}" is not an inject of the scenario` }] };

  const ids = safeIds();
  const teamLabel = new Map(source.participant_teams.map((t) => [t.id, t.label]));
  const roles = source.participant_teams.map((t) => ({ id: ids.of(`team:${t.id}`, t.id), name: t.label.slice(0, 120) }));
  const injectId = (id: string) => ids.of(`inject:${id}`, id);
  const END = ids.of('end', 'end');

  // Reachable from the start along next_inject_id and option edges.
  const reachable = new Set<string>();
  const queue = [source.start_inject_id];
  while (queue.length > 0) {
    const id = queue.pop()!;
    if (reachable.has(id)) continue;
    reachable.add(id);
    const inj = byId.get(id)!;
    for (const next of [inj.next_inject_id, ...inj.options.map((o) => o.next_inject_id)]) if (next != null) queue.push(next);
  }

  const evidence: NonNullable<ScenarioInput['evidence']> = [];
  const timeline: NonNullable<ScenarioInput['timeline']> = [];
  const contingencies: NonNullable<ScenarioInput['contingencies']> = [];
  /** Whether some inject leads nowhere, i.e. to the end node (set by `targetOf`). */
  const end = { used: false };
  const targetOf = (next: string | null | undefined): string => {
    if (next == null) {
      end.used = true;
      return END;
    }
    return injectId(next);
  };

  const ordered = [...source.injects].sort((a, b) => a.sequence_order - b.sequence_order || source.injects.indexOf(a) - source.injects.indexOf(b));
  let freeText = 0;
  for (const inj of ordered) {
    const id = injectId(inj.id);
    const to = inj.target_teams.map((t) => teamLabel.get(t) ?? t).join(', ');
    if (inj.free_text_response) freeText += 1;
    const evidenceIds = inj.triggers_communications.map((comm, k) => {
      const evidenceId = ids.of(`comm:${inj.id}:${k}`, `${inj.id}-comm-${k + 1}`);
      const inbound = comm.direction === 'inbound';
      const delay = comm.delay_after_release_seconds;
      evidence.push({
        id: evidenceId,
        caption: `${inbound ? 'From' : 'To'} ${comm.external_entity}: ${comm.subject || '(no subject)'}`.slice(0, 300),
        kind: 'email',
        from: (inbound ? comm.external_entity : to || 'The team').slice(0, 300),
        to: [(inbound ? to || 'All teams' : comm.external_entity).slice(0, 300)],
        subject: (comm.subject || '(no subject)').slice(0, 300),
        sent: delay === 0 ? 'When the inject is released' : `${formatDelay(delay)} after the inject is released`,
        body: comm.body.trim() === '' ? `${TO_BE_WRITTEN} (the message had no text)` : comm.body,
      });
      return evidenceId;
    });
    const body = {
      title: inj.title.slice(0, 200),
      narrative: inj.content.trim() === '' ? `${TO_BE_WRITTEN} (the inject had no content)` : inj.content,
      channel: 'briefing' as const,
      ...(to ? { to: to.slice(0, 200) } : {}),
      evidence: evidenceIds,
      expectedActions: inj.expected_actions.filter((a) => a.trim() !== '').map((a) => a.slice(0, 2_000)),
      tags: [],
    };

    if (!reachable.has(inj.id)) {
      const by = inj.release_at_minutes ?? 7 * 24 * 60;
      contingencies.push({
        id,
        when: { notReached: { milestone: 'recovered' }, by: Math.min(by, 7 * 24 * 60) },
        ...body,
        facilitatorNotes: `Converted from IcebergTTX: no inject or option leads to "${inj.id}" (a parallel timeline). It fires ${inj.release_at_minutes == null ? 'only when you fire it' : `at minute ${inj.release_at_minutes}`} unless the incident is recovered first.`,
      });
      notes.push(
        `Inject "${inj.id}" is not reached from the start (a parallel timeline in IcebergTTX): it is a contingency the facilitator can fire${inj.release_at_minutes == null ? '' : `, due at minute ${inj.release_at_minutes} unless "recovered" is reached first`}.`,
      );
      continue;
    }

    const options = inj.options;
    let next: string;
    if (options.length >= 2) {
      next = ids.of(`decision:${inj.id}`, `${inj.id}-decision`);
    } else if (options.length === 1) {
      next = targetOf(options[0]!.next_inject_id);
      notes.push(`Inject "${inj.id}" offers a single option ("${options[0]!.label}"); a Sandtable decision needs two or more, so the inject leads straight to where it goes.`);
    } else {
      next = targetOf(inj.next_inject_id);
    }
    timeline.push({ type: 'inject', id, ...(inj.release_at_minutes == null ? {} : { at: Math.min(inj.release_at_minutes, 7 * 24 * 60) }), ...body, next });
    if (options.length >= 2) {
      const optionIds = safeIds();
      timeline.push({
        type: 'decision',
        id: next,
        title: inj.title.slice(0, 200),
        prompt: `What does the team do? (${inj.title})`,
        owners: inj.target_teams.flatMap((t) => (teamLabel.has(t) ? [ids.of(`team:${t}`, t)] : [])),
        options: options.slice(0, 9).map((o) => ({ id: optionIds.of(o.id, o.id), label: o.label.slice(0, 300), next: targetOf(o.next_inject_id) })),
        tags: [],
      });
      if (options.length > 9) notes.push(`Inject "${inj.id}" has ${options.length} options; a decision holds at most 9, so the last ${options.length - 9} were left out.`);
    }
  }
  if (end.used || !timeline.some((n) => n.type === 'end')) {
    timeline.push({
      type: 'end',
      id: END,
      title: 'End of the exercise',
      outcome: source.debrief_notes?.trim() ? source.debrief_notes : `${TO_BE_WRITTEN} How the exercise ends for the team.`,
      result: 'partial',
    });
  }
  if (freeText > 0)
    notes.push(
      `Free-text responses (${freeText} inject${freeText === 1 ? '' : 's'}): Sandtable records the team's decisions and the facilitator's notes, not typed answers from participants.`,
    );
  if (source.injects.some((i) => i.triggers_communications.some((c) => c.delay_after_release_seconds > 0))) {
    notes.push('Communications triggered after a delay are shown with the inject at once; the delay is written in the email\'s "sent" line.');
  }
  if (source.injects.some((i) => i.target_teams.length > 0))
    notes.push('Target teams are named in each inject\'s "to" and as decision owners; format 1.0 cannot show an inject to some teams only.');
  if (source.tags.length > 0)
    notes.push(
      `Tags ${source.tags.map((t) => `"${t}"`).join(', ')} are free text in IcebergTTX; Sandtable's tags are a checked vocabulary, so they were not carried over (they are listed in the facilitator brief).`,
    );
  notes.push('Objectives, milestone targets, the handling marking and the facilitator brief do not exist in IcebergTTX: they are "To be written" placeholders.');

  const minutes = source.metadata.estimated_duration_minutes ?? 60;
  const draft: ScenarioInput = {
    formatVersion: 1,
    meta: {
      id: draftId(fileName ?? source.title, 'icebergttx-import'),
      version: '0.1.0',
      title: source.title.slice(0, 200),
      summary: source.description?.trim() ? source.description.slice(0, 2_000) : `${TO_BE_WRITTEN} Converted from an IcebergTTX scenario.`,
      audience: source.participant_teams.length > 0 ? source.participant_teams.slice(0, 20).map((t) => t.label.slice(0, 2_000)) : ['To be written'],
      estimatedMinutes: Math.min(480, Math.max(5, minutes)),
      difficulty: 'intermediate',
      sensitivity: 'To be written (e.g. TLP:AMBER)',
      authors: [{ name: source.metadata.author?.trim() ? source.metadata.author.slice(0, 200) : 'To be written' }],
      tags: [],
    },
    guide: {
      openingBrief: source.description?.trim() ? source.description : `${TO_BE_WRITTEN} What the room is told at the start.`,
      facilitatorBrief: `${TO_BE_WRITTEN} Converted from the IcebergTTX scenario "${source.title}".${source.tags.length > 0 ? ` Its tags: ${source.tags.join(', ')}.` : ''}`,
      debrief: { whatGoodLooksLike: source.debrief_notes?.trim() ? source.debrief_notes : `${TO_BE_WRITTEN} What a well-prepared team would have done.` },
    },
    objectives: [{ id: 'objective-1', text: 'To be written: what this exercise tests (IcebergTTX scenarios name no objectives).', tags: [] }],
    roles,
    milestones: placeholderMilestones(minutes),
    evidence,
    start: injectId(source.start_inject_id),
    timeline,
    contingencies,
  };
  return finish(draft, notes);
}

/** Validates the draft; a time that goes back along a path is dropped (and said), then it is validated again. */
function finish(draft: ScenarioInput, notes: string[]): Conversion {
  for (let pass = 0; pass < 50; pass++) {
    const result = validateScenario(draft);
    if (result.ok) return { ok: true, format: 'icebergttx', draft: result.scenario, notes };
    const times = result.errors.filter((e) => /^\/timeline\/\d+\/at$/.test(e.pointer));
    if (times.length === 0 || times.length !== result.errors.length) return { ok: false, format: 'icebergttx', problems: result.errors, notes };
    for (const issue of times) {
      const node = draft.timeline[Number(issue.pointer.split('/')[2])]!;
      if (node.type === 'inject' && node.at !== undefined) {
        notes.push(
          `Inject "${node.id}": its release at minute ${node.at} was dropped, because an inject that can come before it is released later (Sandtable's times never go back along a path); it is delivered when play reaches it.`,
        );
        delete (node as { at?: number }).at;
      }
    }
  }
  return { ok: false, format: 'icebergttx', problems: [{ pointer: '', message: 'the converted draft could not be made valid' }], notes };
}

function formatDelay(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}
