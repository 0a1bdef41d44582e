/**
 * The HSEEP After-Action Report / Improvement Plan of a session, as ONE
 * structured model (zod schemas, so the contract's `reports.aar` returns it
 * checked). The report screen's components, the Markdown exporter and the
 * HTML exporter all lay out this model (through ./layout.ts), so they never
 * say different things.
 *
 * Written for the manager who signs it: each team's outcome (how its
 * exercise ended) first; then an executive summary that fits one page
 * (outcomes, milestones against their targets with the quality of what was
 * reached, three strengths, three areas for improvement, the top corrective
 * actions); then the body (handling, overview, results, analysis of each
 * objective, notes, lessons, alternatives discussed); the decision-by-
 * decision log is in an appendix.
 *
 * Every text in the model is plain text (never markup): renderers escape it.
 */
import { z } from 'zod';
import {
  HSEEP_RATING_LABELS,
  HseepRatingSchema,
  KeyTimesSchema,
  MilestoneResultSchema,
  TimelineItemSchema,
  type Debrief,
  type DecisionResult,
  type Observation,
  type TeamDebrief,
} from '../debrief/model.ts';
import { IMPROVEMENT_STATUS_LABELS, normaliseTeamName, type ImprovementItem } from '../debrief/improvement.ts';
import { scoreKeyOf, totalAvailable } from '../debrief/score.ts';
import type { Scenario } from '../scenario/schema.ts';
import { formatDate, formatDelta, formatDuration, formatScenarioTime, formatTimestamp } from '../time-format.ts';
import { WhatIfSchema, type WhatIf } from './what-if-model.ts';
import { costText, earnedText, milestoneQuality, RESULT_WORDS, revealText, scoreView, shorten } from './wording.ts';

const LabelledValueSchema = z.object({ label: z.string(), value: z.string() });
const ResultSchema = z.enum(['success', 'partial', 'failure']);

export const TeamOutcomeSchema = z.object({
  teamId: z.string(),
  team: z.string(),
  /** The ending's title ("Recovered cleanly, with the evidence intact"); null if the team reached none. */
  ending: z.string().nullable(),
  result: ResultSchema.nullable(),
  /** "a good outcome", "a poor outcome", or why there is no ending. */
  resultWords: z.string(),
  /** When and after how much play it ended, milestones met, points earned. */
  detail: z.string(),
});

export const MilestoneCellSchema = z.object({
  /** "T+00:25:00 — met, 7 min early", or "not reached". */
  text: z.string(),
  state: z.enum(['met', 'missed', 'unreached']),
  /** How it was reached ("by “Isolate”, as recommended"); null when not reached. */
  reachedBy: z.string().nullable(),
  /** What the ending says of it, when it qualifies the time ("but the exercise ended with …"). */
  caveat: z.string().nullable(),
});

export const MilestoneRowSchema = z.object({ id: z.string(), milestone: z.string(), target: z.string(), results: z.array(MilestoneCellSchema) });

export const ScoreRowSchema = z.object({
  area: z.string(),
  /** Per team: "5 of 8 points", "3 lost", and the costly choices named. */
  results: z.array(z.object({ earned: z.string(), lost: z.number(), costs: z.array(z.string()) })),
});

export const ObjectiveAnalysisSchema = z.object({
  id: z.string(),
  text: z.string(),
  capability: z.string().nullable(),
  ratings: z.array(z.object({ team: z.string(), rating: HseepRatingSchema.nullable(), label: z.string() })),
  strengths: z.array(z.string()),
  areasForImprovement: z.array(z.string()),
  /** Observations without a rating. */
  observations: z.array(z.string()),
  recommendations: z.array(z.string()),
});

export const DecisionRowSchema = z.object({
  time: z.string(),
  decision: z.string(),
  chosen: z.string(),
  recommended: z.string(),
  decidedBy: z.string(),
  rationale: z.string(),
  timeTaken: z.string(),
});

export const ImprovementRowSchema = z.object({
  team: z.string(),
  area: z.string(),
  correctiveAction: z.string(),
  capability: z.string(),
  owner: z.string(),
  dueDate: z.string(),
  status: z.string(),
  /** Found in an earlier session and still open. */
  carriedOver: z.boolean(),
});

/**
 * Who took part. `source` says where the list comes from: the participants
 * named at setup today; the participants who joined, once they can join
 * (then `joined` is filled per person).
 */
export const AttendanceSchema = z.object({
  source: z.enum(['setup', 'joined']),
  teams: z.array(z.object({ team: z.string(), people: z.array(z.object({ name: z.string(), role: z.string(), joined: z.string().nullable() })) })),
});

/** What people did from their own devices: each decision's vote split (rows of text) and the hot-wash answers. */
export const ParticipantDevicesSchema = z.object({
  /** Team, decision, split, mean confidence, dissent, recorded option, alignment. */
  votes: z.array(z.array(z.string())),
  /** Name, team, question, answer. */
  hotWash: z.array(z.array(z.string())),
});

export const ChartsSchema = z.object({
  endMs: z.number(),
  teams: z.array(
    z.object({ id: z.string(), name: z.string(), timeline: z.array(TimelineItemSchema), milestones: z.record(z.string(), MilestoneResultSchema), timeTo: KeyTimesSchema }),
  ),
});

export const AfterActionReportSchema = z.object({
  title: z.string(),
  subtitle: z.string(),
  /** The sensitivity marking, printed at the top and bottom of every page. */
  marking: z.string(),
  pseudonymised: z.boolean(),
  /** Each team's outcome: what the report leads with. */
  outcomes: z.array(TeamOutcomeSchema),
  executiveSummary: z.object({
    overview: z.string(),
    milestones: z.object({ teams: z.array(z.string()), rows: z.array(MilestoneRowSchema) }),
    /** At most three each. */
    strengths: z.array(z.string()),
    areasForImprovement: z.array(z.string()),
    /** The top corrective actions (at most three). */
    correctiveActions: z.array(z.string()),
  }),
  handling: z.array(z.string()),
  overview: z.object({
    facts: z.array(LabelledValueSchema),
    scenarioSummary: z.string(),
    objectives: z.array(z.object({ id: z.string(), text: z.string(), capability: z.string() })),
  }),
  scores: z.object({ teams: z.array(z.string()), rows: z.array(ScoreRowSchema) }),
  analysis: z.array(ObjectiveAnalysisSchema),
  notes: z.array(z.object({ time: z.string(), team: z.string(), author: z.string(), text: z.string() })),
  /** Format 1.1: held-back evidence revealed to each team, in order ("Evidence revealed at 00:34 on request of …"). */
  reveals: z.array(z.object({ time: z.string(), team: z.string(), text: z.string() })).default([]),
  lessons: z.object({ whatGoodLooksLike: z.string(), preventedBy: z.array(LabelledValueSchema) }),
  /** What-if replays the facilitator chose to list ("alternatives discussed"); empty unless asked for. */
  alternatives: z.array(WhatIfSchema),
  improvementPlan: z.array(ImprovementRowSchema),
  attendance: AttendanceSchema,
  /** When people joined from their own devices: their votes and hot-wash answers; null otherwise. */
  participantDevices: ParticipantDevicesSchema.nullable(),
  decisions: z.array(z.object({ team: z.string(), rows: z.array(DecisionRowSchema) })),
  integrity: z.array(LabelledValueSchema),
  /** What the report's charts draw (no names of people). */
  charts: ChartsSchema,
});

export type TeamOutcome = z.infer<typeof TeamOutcomeSchema>;
export type MilestoneCell = z.infer<typeof MilestoneCellSchema>;
export type ObjectiveAnalysis = z.infer<typeof ObjectiveAnalysisSchema>;
export type DecisionRow = z.infer<typeof DecisionRowSchema>;
export type ImprovementRow = z.infer<typeof ImprovementRowSchema>;
export type Attendance = z.infer<typeof AttendanceSchema>;
export type AfterActionReport = z.infer<typeof AfterActionReportSchema>;
export type LabelledValue = z.infer<typeof LabelledValueSchema>;

export interface ReportInput {
  scenario: Scenario;
  debrief: Debrief;
  /** Appendix A: the session's items and the items still open for its teams from earlier sessions. */
  improvementItems: readonly ImprovementItem[];
  generatedTimestamp: number;
  /** e.g. "Sandtable 0.1.0". */
  generator: string;
  pseudonymised: boolean;
  /** What-if replays to list as alternatives discussed (only those the facilitator asked for). */
  alternatives?: readonly WhatIf[];
}

/** How many strengths, areas for improvement and corrective actions the executive summary names. */
export const SUMMARY_ITEMS = 3;

export function buildAfterActionReport(input: ReportInput): AfterActionReport {
  const { scenario, debrief, improvementItems } = input;
  const { session } = debrief;
  const teams = debrief.teams;
  const teamName = new Map(teams.map((t) => [t.id, t.name]));
  const multi = teams.length > 1;
  const who = (t: TeamDebrief) => (multi ? `${t.name}: ` : '');
  const sessionEnded = session.status === 'ended';

  // ------------------------------------------------------------ outcomes
  const pointsAvailable = totalAvailable(scenario);
  const outcomes = teams.map((t): TeamOutcome => {
    const all = Object.values(t.milestones);
    const met = all.filter((m) => m.met).length;
    const views = scoreView(t).filter((v) => v.lines.length > 0);
    const earned = views.reduce((s, v) => s + v.earned, 0);
    // One path's most over all groups: the groups' own most may lie on different paths.
    const available = views.length === 0 ? null : pointsAvailable;
    const lost = views.reduce((s, v) => s + v.lost, 0);
    const points = views.length ? ` Points: ${earnedText(earned, available)} earned${lost ? `, ${lost} lost to costly choices` : ''}.` : '';
    const when = t.ended ? `Ended at ${formatScenarioTime(t.ended.scenarioMs)} after ${formatDuration(t.ended.wallMs)} of play. ` : '';
    return {
      teamId: t.id,
      team: t.name,
      ending: t.ended?.title ?? null,
      result: t.ended?.result ?? null,
      resultWords: t.ended ? RESULT_WORDS[t.ended.result] : sessionEnded ? 'no ending reached: the session was stopped first' : 'still playing',
      detail: `${when}Met ${met} of ${all.length} milestone targets.${points}`,
    };
  });

  // ------------------------------------------------------------ milestones against targets (with their quality)
  const teamNames = teams.map((t) => t.name);
  const milestoneRows = scenario.milestones.map((m) => ({
    id: m.id,
    milestone: m.label,
    target: formatScenarioTime(teams[0]?.milestones[m.id]?.targetMs ?? m.targetMinutes * 60_000),
    results: teams.map((t): MilestoneCell => {
      const r = t.milestones[m.id];
      if (!r || r.scenarioMs === null) return { text: 'not reached', state: 'unreached', reachedBy: null, caveat: null };
      const q = milestoneQuality(t, r);
      return {
        text: `${formatScenarioTime(r.scenarioMs)} — ${r.met ? 'met' : 'missed'}, ${formatDelta(r.deltaMs!)}`,
        state: r.met ? 'met' : 'missed',
        reachedBy: q.reachedBy,
        caveat: q.caveat,
      };
    }),
  }));

  // ------------------------------------------------------------ overview paragraph
  const pauses = debrief.clock.pauses;
  const overviewText =
    session.startedTimestamp === null
      ? `${session.name}: the scenario “${session.scenarioTitle}” was set up for ${teams.length} team${teams.length === 1 ? '' : 's'} but has not started.`
      : `${session.name} ran the scenario “${session.scenarioTitle}” with ${teams.length} team${teams.length === 1 ? '' : 's'} on ${formatDate(session.startedTimestamp)}. ` +
        `Play lasted ${formatDuration(session.activeWallMs)} and covered ${formatDuration(session.durationScenarioMs)} of scenario time` +
        (pauses.count ? `; the clock was paused ${pauses.count} time${pauses.count === 1 ? '' : 's'} for ${formatDuration(pauses.totalWallMs)} in all` : '') +
        (sessionEnded ? '.' : ` (the session is still ${session.status}; this report shows it so far).`);

  // ------------------------------------------------------------ strengths and areas: ranked, three each
  const strengths = rank(teams.flatMap((t) => strengthsOf(t, who(t))));
  const areas = rank(teams.flatMap((t) => areasOf(t, who(t))));

  // ------------------------------------------------------------ overview facts
  const authors = scenario.meta.authors.map((a) => (a.organisation ? `${a.name} (${a.organisation})` : a.name)).join(', ');
  const facts: LabelledValue[] = [
    { label: 'Exercise name', value: session.name },
    { label: 'Scenario', value: `${session.scenarioTitle} (version ${session.scenarioVersion})` },
    {
      label: 'Dates',
      value:
        session.startedTimestamp === null
          ? `Set up ${formatTimestamp(session.createdTimestamp)}; not started`
          : `${formatTimestamp(session.startedTimestamp)} – ${session.endedTimestamp === null ? 'not ended' : formatTimestamp(session.endedTimestamp)}`,
    },
    { label: 'Exercise type', value: `Discussion-based tabletop exercise, ${scenario.meta.difficulty}, about ${scenario.meta.estimatedMinutes} minutes` },
    { label: 'Scope', value: `Incident response to the scenario below, for: ${scenario.meta.audience.join(', ')}` },
    { label: 'Core capabilities', value: unique(scenario.objectives.map((o) => o.capability).filter((c): c is string => !!c)).join(', ') || '—' },
    { label: 'Participating teams', value: teamNames.join(', ') || '—' },
    { label: 'Scenario authors', value: authors },
    { label: 'Point of contact', value: `${session.facilitator} (facilitator)` },
  ];

  // ------------------------------------------------------------ scores: points earned of points available, costly choices named
  const views = teams.map((t) => scoreView(t));
  const scoreRows = (views[0] ?? [])
    .map((first, g) => ({ first, g }))
    .filter(({ g }) => views.some((v) => v[g]!.lines.length > 0))
    .map(({ first, g }) => ({
      area: first.label,
      results: views.map((v) => {
        const group = v[g]!;
        // The costliest three choices are named; the decision log has the rest.
        const named = group.costs.slice(0, 3).map(costText);
        if (group.costs.length > 3) named.push(`${group.costs.length - 3} more`);
        return { earned: earnedText(group.earned, group.available), lost: group.lost, costs: named };
      }),
    }));

  // ------------------------------------------------------------ analysis per objective
  const analysis: ObjectiveAnalysis[] = scenario.objectives.map((objective) => {
    const ratings = teams.map((t) => {
      const result = t.objectives.find((o) => o.id === objective.id);
      const r = result?.rating ?? null;
      const shown = result?.demonstratedScenarioMs == null ? 'not demonstrated' : `demonstrated at ${formatScenarioTime(result.demonstratedScenarioMs)}`;
      return { team: t.name, rating: r, label: `${r ? `${r} — ${HSEEP_RATING_LABELS[r]}` : 'Not rated'} (${shown})` };
    });
    const s: string[] = [];
    const a: string[] = [];
    const obs: string[] = [];
    const seen = new Set<number>();
    for (const t of teams) {
      const result = t.objectives.find((o) => o.id === objective.id);
      if (!result) continue;
      for (const n of result.observations) {
        // A session-wide observation appears under every team; report it once.
        if (n.teamId === null) {
          if (seen.has(n.seq)) continue;
          seen.add(n.seq);
        }
        const line = `${n.teamId === null ? '' : who(t)}${observationText(n)}`;
        if (n.rating === 'P' || n.rating === 'S') s.push(line);
        else if (n.rating === 'M' || n.rating === 'U') a.push(line);
        else obs.push(line);
      }
    }

    // What would have prevented the incident is in the lessons, once; here, what the teams should have chosen and what they will do.
    const recommendations: string[] = [];
    for (const node of scenario.timeline) {
      if (node.type !== 'decision') continue;
      const recommended = node.options.filter((o) => o.recommended && (o.consequences.objectives ?? []).includes(objective.id));
      if (recommended.length === 0) continue;
      const missed = teams.some((t) => t.decisions.some((d) => d.decisionId === node.id && d.matchedRecommendation === false));
      if (!missed) continue;
      for (const o of recommended) recommendations.push(`${node.title}: ${o.label}`);
    }
    const capability = objective.capability ? fold(objective.capability) : null;
    for (const item of improvementItems) {
      if (item.tag === null) continue;
      if (objective.tags.includes(item.tag) || (capability !== null && fold(item.tag) === capability)) {
        recommendations.push(`${item.area}: ${item.correctiveAction}${item.owner ? ` (owner: ${item.owner})` : ''}`);
      }
    }
    return {
      id: objective.id,
      text: objective.text,
      capability: objective.capability ?? null,
      ratings,
      strengths: s,
      areasForImprovement: a,
      observations: obs,
      recommendations: unique(recommendations),
    };
  });

  // ------------------------------------------------------------ improvement plan and the top corrective actions
  const sessionTeams = new Set(teams.map((t) => normaliseTeamName(t.name)));
  const planItems = [...improvementItems]
    .filter((i) => i.sessionId === session.id || sessionTeams.has(normaliseTeamName(i.teamName)))
    .sort((a, b) => Number(a.sessionId !== session.id) - Number(b.sessionId !== session.id) || a.createdWallMs - b.createdWallMs || (a.id < b.id ? -1 : 1));
  const improvementPlan: ImprovementRow[] = planItems.map((i) => ({
    team: i.teamName,
    area: i.area,
    correctiveAction: i.correctiveAction,
    capability: i.tag === null ? '—' : tagLabel(i.tag),
    owner: i.owner || '—',
    dueDate: i.dueDate ?? '—',
    status: IMPROVEMENT_STATUS_LABELS[i.status],
    carriedOver: i.sessionId !== session.id,
  }));
  const correctiveActions = topCorrectiveActions(planItems, session.id, multi, teams, scenario);

  // ------------------------------------------------------------ notes, decision log, attendance
  const allNotes: Observation[] = [...debrief.notes, ...teams.flatMap((t) => t.notes)].sort((a, b) => a.seq - b.seq);
  const notes = allNotes.map((n) => ({
    time: formatScenarioTime(n.scenarioMs),
    team: n.teamId === null ? 'All teams' : (teamName.get(n.teamId) ?? n.teamId),
    author: n.author ?? '—',
    text: n.text,
  }));

  const reveals = teams
    .flatMap((t) =>
      t.timeline.flatMap((item) => (item.kind === 'evidence' ? [{ atMs: item.atMs, time: formatScenarioTime(item.atMs), team: t.name, text: revealText(item) }] : [])),
    )
    .sort((a, b) => a.atMs - b.atMs)
    .map(({ time, team, text }) => ({ time, team, text }));

  const decisions = teams.map((t) => ({ team: t.name, rows: t.decisions.map(decisionRow) }));

  // Pseudonymised, people are listed by pseudonym so that the order they were entered in reveals nothing.
  // Who took part: those who joined from their own devices when anyone did, else those named at setup.
  const devices = debrief.participation;
  const joined = devices?.attendance ?? [];
  const attendance: Attendance =
    joined.length > 0
      ? {
          source: 'joined',
          teams: teams.map((t) => ({
            team: t.name,
            people: joined
              .filter((a) => a.teamName === t.name)
              .map((a) => ({ name: a.name, role: a.role ?? '—', joined: `${formatTimestamp(a.joinedTimestamp)}${a.removed ? ' (removed)' : ''}` })),
          })),
        }
      : {
          source: 'setup',
          teams: teams.map((t) => {
            const people = t.participants.map((p) => ({ name: p.name, role: p.role ?? '—', joined: null }));
            if (input.pseudonymised) people.sort((a, b) => a.name.length - b.name.length || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
            return { team: t.name, people };
          }),
        };

  const handling = [
    `Marking: ${session.sensitivity}. Handle, store and share this report according to that marking.`,
    'Distribution: the exercise participants, their management, and those responsible for the improvement plan. Do not forward it further without the agreement of the exercise sponsor.',
    'This report records a tabletop exercise: a discussion of a fictional incident. It does not describe a real incident, and the choices recorded were made under exercise conditions.',
    ...(input.pseudonymised ? ['Participants are named by pseudonyms ("Participant A", …); the key is not part of this report.'] : []),
  ];

  // Votes and the hot wash, from the debrief model (core/debrief/participation.ts).
  const percent = (share: number | null) => (share === null ? '—' : `${Math.round(share * 100)}%`);
  const participantDevices =
    devices && (devices.votes.length > 0 || devices.feedback.length > 0)
      ? {
          votes: devices.votes.map((v) => {
            const label = (id: string | null) => (id === null ? '—' : (v.options.find((o) => o.id === id)?.label ?? id));
            const split = v.options.map((o) => `${o.label}: ${v.tally[o.id] ?? 0}`).join('; ');
            return [
              v.teamName,
              v.decisionTitle,
              split,
              v.meanConfidence === null ? '—' : `${v.meanConfidence.toFixed(1)} / 5`,
              percent(v.dissent),
              label(v.recordedOptionId),
              percent(v.alignment),
            ];
          }),
          hotWash: devices.feedback.flatMap((f) =>
            devices.feedbackQuestions.flatMap((q) => (f.answers[q.id] === undefined ? [] : [[f.name, teamName.get(f.teamId) ?? f.teamId, q.text, String(f.answers[q.id])]])),
          ),
        }
      : null;

  const integrity: LabelledValue[] = [
    { label: 'Session', value: session.id },
    { label: 'Event log', value: `${session.eventCount} events, last sequence number ${session.lastSeq}` },
    { label: 'Final event-log hash (SHA-256)', value: session.lastHash },
    { label: 'Scenario hash (SHA-256)', value: session.scenarioSha256 || '—' },
    { label: 'Generated', value: `${formatTimestamp(input.generatedTimestamp)} by ${input.generator}` },
    { label: 'Pseudonymised', value: input.pseudonymised ? 'yes' : 'no' },
  ];

  return {
    title: 'After-Action Report / Improvement Plan',
    subtitle: `${session.name} — ${session.scenarioTitle}`,
    marking: session.sensitivity,
    pseudonymised: input.pseudonymised,
    outcomes,
    executiveSummary: {
      overview: overviewText,
      milestones: { teams: teamNames, rows: milestoneRows },
      strengths: strengths.slice(0, SUMMARY_ITEMS),
      areasForImprovement: areas.slice(0, SUMMARY_ITEMS),
      correctiveActions,
    },
    handling,
    overview: {
      facts,
      scenarioSummary: scenario.meta.summary,
      objectives: scenario.objectives.map((o) => ({ id: o.id, text: o.text, capability: o.capability ?? '—' })),
    },
    scores: { teams: teamNames, rows: scoreRows },
    analysis,
    notes,
    reveals,
    lessons: {
      whatGoodLooksLike: plain(scenario.guide.debrief.whatGoodLooksLike),
      preventedBy: scenario.guide.debrief.preventedBy.map((p) => ({ label: tagLabel(p.tag), value: p.how })),
    },
    alternatives: [...(input.alternatives ?? [])],
    improvementPlan,
    attendance,
    participantDevices,
    decisions,
    integrity,
    charts: {
      endMs: session.durationScenarioMs,
      teams: teams.map((t) => ({ id: t.id, name: t.name, timeline: t.timeline, milestones: t.milestones, timeTo: t.timeTo })),
    },
  };
}

/** A finding with a weight: the executive summary names the heaviest. */
interface Finding {
  weight: number;
  text: string;
}

function rank(findings: Finding[]): string[] {
  return findings
    .map((f, i) => ({ ...f, i }))
    .sort((a, b) => b.weight - a.weight || a.i - b.i)
    .map((f) => f.text);
}

/** What went well: objectives rated P or S, milestones met by the recommended choice, decisions as recommended. */
function strengthsOf(t: TeamDebrief, who: string): Finding[] {
  const out: Finding[] = [];
  for (const o of t.objectives) {
    if (o.rating === 'P') out.push({ weight: 5, text: `${who}${shorten(o.text, 110)} — ${HSEEP_RATING_LABELS.P.toLowerCase()}.` });
    else if (o.rating === 'S') out.push({ weight: 4, text: `${who}${shorten(o.text, 110)} — ${HSEEP_RATING_LABELS.S.toLowerCase()}.` });
  }
  for (const m of Object.values(t.milestones)) {
    if (!m.met || m.scenarioMs === null) continue;
    const q = milestoneQuality(t, m);
    if (q.caveat || q.kind === 'not-recommended' || q.kind === 'facilitator') continue;
    const early = m.deltaMs !== null && m.deltaMs < 0;
    out.push({ weight: early ? 3 : 2, text: `${who}${m.label}: met at ${formatScenarioTime(m.scenarioMs)}, ${formatDelta(m.deltaMs!)}${q.reachedBy ? `, ${q.reachedBy}` : ''}.` });
  }
  const asRecommended = t.decisions.filter((d) => d.matchedRecommendation === true).length;
  const withRecommendation = t.decisions.filter((d) => d.matchedRecommendation !== null).length;
  if (withRecommendation > 0 && asRecommended === withRecommendation) {
    out.push({ weight: 2.5, text: `${who}Every decision with a recommended option (${withRecommendation}) went as recommended.` });
  }
  return out;
}

/** What to improve: objectives rated M or U, costly choices, decisions that ran out of time, milestones missed, a poor ending. */
function areasOf(t: TeamDebrief, who: string): Finding[] {
  const out: Finding[] = [];
  if (t.ended && t.ended.result !== 'success')
    out.push({ weight: t.ended.result === 'failure' ? 6 : 4.5, text: `${who}The exercise ended with “${t.ended.title}” (${RESULT_WORDS[t.ended.result]}).` });
  for (const o of t.objectives) {
    if (o.rating === 'U') out.push({ weight: 5.5, text: `${who}${shorten(o.text, 110)} — ${HSEEP_RATING_LABELS.U.toLowerCase()}.` });
    else if (o.rating === 'M') out.push({ weight: 5, text: `${who}${shorten(o.text, 110)} — ${HSEEP_RATING_LABELS.M.toLowerCase()}.` });
  }
  // The costliest choices, by points lost over every group.
  const lostBy = new Map<DecisionResult, number>();
  for (const d of t.decisions) {
    const lost = Object.values(d.score).reduce((s, v) => s + (v < 0 ? -v : 0), 0);
    if (lost > 0 && d.matchedRecommendation === false) lostBy.set(d, lost);
  }
  for (const [d, lost] of lostBy) {
    const rec = d.recommended.map((r) => `“${shorten(r.label)}”`).join(' or ');
    out.push({
      weight: 3 + Math.min(lost, 10) / 10,
      text: `${who}${d.title}: ${d.status === 'timedOut' ? 'time ran out and ' : ''}“${shorten(d.optionLabel ?? '')}” was ${d.status === 'timedOut' ? 'taken' : 'chosen'}${rec ? `; recommended: ${rec}` : ''}.`,
    });
  }
  for (const d of t.decisions) {
    if (d.status === 'timedOut' && !lostBy.has(d)) out.push({ weight: 3, text: `${who}${d.title}: time ran out (“${d.optionLabel ?? ''}” was taken).` });
  }
  for (const m of Object.values(t.milestones)) {
    if (m.met) continue;
    out.push({
      weight: m.scenarioMs === null ? 2.5 : 2,
      text: m.scenarioMs === null ? `${who}${m.label}: not reached (target ${formatScenarioTime(m.targetMs)}).` : `${who}${m.label}: missed, ${formatDelta(m.deltaMs!)}.`,
    });
  }
  return out;
}

/** The session's own open improvement items first; without any, the recommended options the teams missed. */
function topCorrectiveActions(items: readonly ImprovementItem[], sessionId: string, multi: boolean, teams: readonly TeamDebrief[], scenario: Scenario): string[] {
  const own = items.filter((i) => i.status !== 'closed').sort((a, b) => Number(a.sessionId !== sessionId) - Number(b.sessionId !== sessionId));
  const actions = own.map((i) => {
    const owner = [i.owner ? `owner ${i.owner}` : '', i.dueDate ? `due ${i.dueDate}` : ''].filter(Boolean).join(', ');
    // Cut to a line or two: the summary must stay on one page; the improvement plan has the whole text.
    return `${multi ? `${i.teamName}: ` : ''}${shorten(i.correctiveAction || i.area, 160)}${owner ? ` (${owner})` : ''}`;
  });
  if (actions.length < SUMMARY_ITEMS) {
    for (const p of scenario.guide.debrief.preventedBy) {
      const missed = teams.some((t) => t.decisions.some((d) => d.matchedRecommendation === false && Object.keys(d.score).length > 0 && scenarioTagged(scenario, d, p.tag)));
      if (missed) actions.push(`${tagLabel(p.tag)}: ${p.how}`);
    }
  }
  return unique(actions).slice(0, SUMMARY_ITEMS);
}

/** Whether a decision's options score on a tag (so a preventive measure with that tag speaks to it). */
function scenarioTagged(scenario: Scenario, d: DecisionResult, tag: string): boolean {
  const node = scenario.timeline.find((n) => n.id === d.decisionId);
  return node?.type === 'decision' && node.options.some((o) => Object.keys(o.consequences.score ?? {}).includes(tag));
}

function decisionRow(d: DecisionResult): DecisionRow {
  return {
    time: d.decidedScenarioMs === null ? `${formatScenarioTime(d.openedScenarioMs)} (open)` : formatScenarioTime(d.decidedScenarioMs),
    decision: d.visit > 1 ? `${d.title} (visit ${d.visit})` : d.title,
    chosen: d.optionLabel === null ? '—' : d.status === 'timedOut' ? `${d.optionLabel} (time ran out)` : d.optionLabel,
    recommended:
      d.matchedRecommendation === null
        ? d.recommended.length
          ? '—'
          : 'none recommended'
        : d.matchedRecommendation
          ? 'yes'
          : `no — ${d.recommended.map((r) => shorten(r.label)).join(' / ')}`,
    decidedBy: d.decidedBy || '—',
    rationale: d.rationale || '—',
    timeTaken: d.latencyScenarioMs === null ? '—' : `${formatDuration(d.latencyScenarioMs)} (${formatDuration(d.latencyWallMs!)} of play)`,
  };
}

function observationText(n: Observation): string {
  const rating = n.rating ? ` [${n.rating}]` : '';
  const author = n.author ? ` — ${n.author}` : '';
  return `${formatScenarioTime(n.scenarioMs)}${rating} ${n.text}${author}`;
}

/** A tag's readable name (a capability or other text is kept as written). */
export function tagLabel(tag: string): string {
  const key = scoreKeyOf(tag);
  if (!key) return tag;
  return key.group === 'bestPractice' ? `Well-Architected ${key.label}` : key.label;
}

/** Scenario markdown as plain text: emphasis and link markup dropped, lines kept. */
function plain(markdown: string): string {
  return markdown
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__)(.*?)\1/g, '$2')
    .replace(/`([^`]*)`/g, '$1')
    .trim();
}

function fold(text: string): string {
  return text.trim().toLowerCase();
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
