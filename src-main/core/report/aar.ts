/**
 * The HSEEP After-Action Report / Improvement Plan of a session, as a model
 * that the Markdown and HTML renderers (./markdown.ts, ./html.ts) both lay
 * out, so the two never say different things.
 *
 * Every text in the model is plain text (never markup): renderers escape it.
 * The sections follow the HSEEP AAR/IP template: handling instructions,
 * executive summary, exercise overview, analysis of capabilities (per
 * objective), Appendix A improvement plan, Appendix B participants — plus the
 * decision log, the facilitator's notes and the scenario's lessons, which
 * readers of a tabletop report ask for.
 */
import { HSEEP_RATING_LABELS, type Debrief, type DecisionResult, type HseepRating, type Observation, type TeamDebrief } from '../debrief/model.ts';
import { IMPROVEMENT_STATUS_LABELS, normaliseTeamName, type ImprovementItem } from '../debrief/improvement.ts';
import { scoreKeyOf, SCORE_GROUP_LABELS, SCORE_GROUPS } from '../debrief/score.ts';
import type { Scenario } from '../scenario/schema.ts';
import { formatDate, formatDelta, formatDuration, formatScenarioTime, formatTimestamp } from './format.ts';

export interface ReportInput {
  scenario: Scenario;
  debrief: Debrief;
  /** Appendix A: the session's items and the items still open for its teams from earlier sessions. */
  improvementItems: readonly ImprovementItem[];
  generatedTimestamp: number;
  /** e.g. "Sandtable 0.1.0". */
  generator: string;
  pseudonymised: boolean;
}

export interface LabelledValue {
  label: string;
  value: string;
}

export interface ObjectiveAnalysis {
  id: string;
  text: string;
  capability: string | null;
  ratings: Array<{ team: string; rating: HseepRating | null; label: string }>;
  strengths: string[];
  areasForImprovement: string[];
  /** Observations without a rating. */
  observations: string[];
  recommendations: string[];
}

export interface DecisionRow {
  time: string;
  inject: string;
  decision: string;
  chosen: string;
  recommended: string;
  decidedBy: string;
  rationale: string;
  timeTaken: string;
}

export interface ImprovementRow {
  team: string;
  area: string;
  correctiveAction: string;
  capability: string;
  owner: string;
  dueDate: string;
  status: string;
  /** Found in an earlier session and still open. */
  carriedOver: boolean;
}

export interface AfterActionReport {
  title: string;
  subtitle: string;
  /** The sensitivity marking, printed at the top and bottom of every page. */
  marking: string;
  handling: string[];
  executiveSummary: {
    overview: string;
    milestones: string[];
    keyDecisions: string[];
    strengths: string[];
    areasForImprovement: string[];
  };
  overview: {
    facts: LabelledValue[];
    scenarioSummary: string;
    objectives: Array<{ id: string; text: string; capability: string }>;
  };
  milestones: { teams: string[]; rows: Array<{ milestone: string; target: string; results: string[] }> };
  /** Per group: a total row, then one row per line of the group. */
  scores: { teams: string[]; rows: Array<{ area: string; total: boolean; results: string[] }> };
  analysis: ObjectiveAnalysis[];
  decisions: Array<{ team: string; rows: DecisionRow[] }>;
  notes: Array<{ time: string; team: string; author: string; text: string }>;
  lessons: { whatGoodLooksLike: string; preventedBy: LabelledValue[] };
  improvementPlan: ImprovementRow[];
  participants: Array<{ team: string; people: Array<{ name: string; role: string }> }>;
  /** Appendix C, when people joined from their own devices: attendance, vote splits with confidence, hot-wash answers (rows of text). */
  participantDevices: { attendance: string[][]; votes: string[][]; hotWash: string[][] } | null;
  integrity: LabelledValue[];
}

/** Key decisions listed per team in the executive summary; the rest are in the decision log. */
const KEY_DECISIONS_PER_TEAM = 8;

export function buildAfterActionReport(input: ReportInput): AfterActionReport {
  const { scenario, debrief, improvementItems } = input;
  const { session } = debrief;
  const teams = debrief.teams;
  const teamName = new Map(teams.map((t) => [t.id, t.name]));
  const multi = teams.length > 1;
  const who = (t: TeamDebrief) => (multi ? `${t.name}: ` : '');

  const handling = [
    `Marking: ${session.sensitivity}. Handle, store and share this report according to that marking.`,
    'Distribution: the exercise participants, their management, and those responsible for the improvement plan. Do not forward it further without the agreement of the exercise sponsor.',
    'This report records a tabletop exercise: a discussion of a fictional incident. It does not describe a real incident, and the choices recorded were made under exercise conditions.',
    ...(input.pseudonymised ? ['Participants are named by pseudonyms ("Participant A", …); the key is not part of this report.'] : []),
  ];

  // ------------------------------------------------------------ executive summary
  const pauses = debrief.clock.pauses;
  const overviewText =
    session.startedTimestamp === null
      ? `${session.name}: the scenario “${session.scenarioTitle}” was set up for ${teams.length} team${teams.length === 1 ? '' : 's'} but has not started.`
      : `${session.name} ran the scenario “${session.scenarioTitle}” with ${teams.length} team${teams.length === 1 ? '' : 's'} on ${formatDate(session.startedTimestamp)}. ` +
        `Play lasted ${formatDuration(session.activeWallMs)} and covered ${formatDuration(session.durationScenarioMs)} of scenario time` +
        (pauses.count ? `; the clock was paused ${pauses.count} time${pauses.count === 1 ? '' : 's'} for ${formatDuration(pauses.totalWallMs)} in all` : '') +
        (session.status === 'ended' ? '.' : ` (the session is still ${session.status}; this report shows it so far).`);

  const milestoneLines = teams.map((t) => {
    const all = Object.values(t.milestones);
    const met = all.filter((m) => m.met).length;
    const missed = all
      .filter((m) => !m.met)
      .map((m) => (m.scenarioMs === null ? `${m.label} (not reached; target ${formatScenarioTime(m.targetMs)})` : `${m.label} (${formatDelta(m.deltaMs!)})`));
    return `${who(t)}met ${met} of ${all.length} milestone targets${missed.length ? `; missed: ${missed.join('; ')}` : ''}.`;
  });

  const keyDecisions = teams.flatMap((t) => {
    const key = t.decisions.filter((d) => d.status === 'timedOut' || d.matchedRecommendation === false || d.milestonesReached.length > 0);
    const lines = key.slice(0, KEY_DECISIONS_PER_TEAM).map((d) => `${who(t)}${describeDecision(d, t)}`);
    if (key.length > KEY_DECISIONS_PER_TEAM) lines.push(`${who(t)}${key.length - KEY_DECISIONS_PER_TEAM} more key decisions are in the decision log.`);
    return lines;
  });

  const strengths: string[] = [];
  const areas: string[] = [];
  for (const t of teams) {
    for (const o of t.objectives) {
      if (o.rating === 'P' || o.rating === 'S') strengths.push(`${who(t)}${o.text} — ${HSEEP_RATING_LABELS[o.rating]}.`);
      else if (o.rating === 'M' || o.rating === 'U') areas.push(`${who(t)}${o.text} — ${HSEEP_RATING_LABELS[o.rating]}.`);
      else if (o.demonstratedScenarioMs !== null) strengths.push(`${who(t)}${o.text} — demonstrated at ${formatScenarioTime(o.demonstratedScenarioMs)} (not rated).`);
      else areas.push(`${who(t)}${o.text} — not demonstrated in play (not rated).`);
    }
  }

  // ------------------------------------------------------------ overview
  const organisations = teams.map((t) => t.name).join(', ');
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
    { label: 'Threat / hazard', value: scenario.meta.summary },
    { label: 'Participating teams', value: organisations || '—' },
    { label: 'Scenario authors', value: authors },
    { label: 'Point of contact', value: `${session.facilitator} (facilitator)` },
  ];

  // ------------------------------------------------------------ milestones and scores tables
  const teamNames = teams.map((t) => t.name);
  const milestones = {
    teams: teamNames,
    rows: scenario.milestones.map((m) => ({
      milestone: m.label,
      target: formatScenarioTime(teams[0]?.milestones[m.id]?.targetMs ?? m.targetMinutes * 60_000),
      results: teams.map((t) => {
        const r = t.milestones[m.id];
        if (!r || r.scenarioMs === null) return 'not reached';
        return `${formatScenarioTime(r.scenarioMs)} (${r.met ? 'met' : 'missed'}, ${formatDelta(r.deltaMs!)}; ${formatDuration(r.wallMs!)} of play)`;
      }),
    })),
  };
  const scores = {
    teams: teamNames,
    rows: SCORE_GROUPS.flatMap((g) => {
      const any = teams.some((t) => t.score[g].lines.length > 0);
      if (!any) return [];
      const lines = teams[0]!.score[g].lines;
      return [
        { area: SCORE_GROUP_LABELS[g], total: true, results: teams.map((t) => points(t.score[g].points, t.score[g].max)) },
        ...lines.map((line) => ({
          area: line.label,
          total: false,
          results: teams.map((t) => {
            const l = t.score[g].lines.find((x) => x.key === line.key);
            return l ? points(l.points, l.max) : '—';
          }),
        })),
      ];
    }),
  };

  // ------------------------------------------------------------ analysis per objective
  const analysis: ObjectiveAnalysis[] = scenario.objectives.map((objective) => {
    const ratings = teams.map((t) => {
      const r = t.objectives.find((o) => o.id === objective.id)?.rating ?? null;
      return { team: t.name, rating: r, label: r ? `${r} — ${HSEEP_RATING_LABELS[r]}` : 'Not rated' };
    });
    const s: string[] = [];
    const a: string[] = [];
    const obs: string[] = [];
    const seen = new Set<number>();
    for (const t of teams) {
      const result = t.objectives.find((o) => o.id === objective.id);
      if (!result) continue;
      if (result.demonstratedScenarioMs !== null) s.push(`${who(t)}Demonstrated at ${formatScenarioTime(result.demonstratedScenarioMs)}.`);
      else a.push(`${who(t)}Not demonstrated in play.`);
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

    const recommendations: string[] = [];
    for (const p of scenario.guide.debrief.preventedBy) {
      if (objective.tags.includes(p.tag)) recommendations.push(`${tagLabel(p.tag)}: ${p.how}`);
    }
    for (const node of scenario.timeline) {
      if (node.type !== 'decision') continue;
      const recommended = node.options.filter((o) => o.recommended && (o.consequences.objectives ?? []).includes(objective.id));
      if (recommended.length === 0) continue;
      const missed = teams.some((t) => t.decisions.some((d) => d.decisionId === node.id && d.matchedRecommendation === false));
      if (!missed) continue;
      for (const o of recommended) recommendations.push(`${node.title}: ${o.label}${o.rationale ? ` — ${plain(o.rationale)}` : ''}`);
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

  // ------------------------------------------------------------ decision log, notes
  const decisions = teams.map((t) => ({
    team: t.name,
    rows: t.decisions.map(
      (d): DecisionRow => ({
        time: d.decidedScenarioMs === null ? `${formatScenarioTime(d.openedScenarioMs)} (open)` : formatScenarioTime(d.decidedScenarioMs),
        inject: d.injectTitle ?? '—',
        decision: d.visit > 1 ? `${d.title} (visit ${d.visit})` : d.title,
        chosen: d.optionLabel === null ? '—' : d.status === 'timedOut' ? `${d.optionLabel} (time ran out)` : d.optionLabel,
        recommended:
          d.matchedRecommendation === null ? (d.recommended.length ? '—' : 'none recommended') : d.matchedRecommendation ? 'yes' : `no — ${d.recommended.map((r) => r.label).join(' / ')}`,
        decidedBy: d.decidedBy || '—',
        rationale: d.rationale || '—',
        timeTaken: d.latencyScenarioMs === null ? '—' : `${formatDuration(d.latencyScenarioMs)} scenario, ${formatDuration(d.latencyWallMs!)} of play`,
      }),
    ),
  }));

  const allNotes: Observation[] = [...debrief.notes, ...teams.flatMap((t) => t.notes)].sort((a, b) => a.seq - b.seq);
  const notes = allNotes.map((n) => ({
    time: formatScenarioTime(n.scenarioMs),
    team: n.teamId === null ? 'All teams' : (teamName.get(n.teamId) ?? n.teamId),
    author: n.author ?? '—',
    text: n.text,
  }));

  // ------------------------------------------------------------ appendices
  const sessionTeams = new Set(teams.map((t) => normaliseTeamName(t.name)));
  const improvementPlan: ImprovementRow[] = [...improvementItems]
    .filter((i) => i.sessionId === session.id || sessionTeams.has(normaliseTeamName(i.teamName)))
    .sort((a, b) => Number(a.sessionId !== session.id) - Number(b.sessionId !== session.id) || a.createdWallMs - b.createdWallMs || (a.id < b.id ? -1 : 1))
    .map((i) => ({
      team: i.teamName,
      area: i.area,
      correctiveAction: i.correctiveAction,
      capability: i.tag === null ? '—' : tagLabel(i.tag),
      owner: i.owner || '—',
      dueDate: i.dueDate ?? '—',
      status: IMPROVEMENT_STATUS_LABELS[i.status],
      carriedOver: i.sessionId !== session.id,
    }));

  // Pseudonymised, people are listed by pseudonym so that the order they were entered in reveals nothing.
  const participants = teams.map((t) => {
    const people = t.participants.map((p) => ({ name: p.name, role: p.role ?? '—' }));
    if (input.pseudonymised) people.sort((a, b) => a.name.length - b.name.length || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { team: t.name, people };
  });

  // Appendix C, from the debrief model (core/debrief/participation.ts).
  const devices = debrief.participation;
  const percent = (share: number | null) => (share === null ? '—' : `${Math.round(share * 100)}%`);
  const participantDevices =
    devices && (devices.attendance.length > 0 || devices.votes.length > 0)
      ? {
          attendance: devices.attendance.map((a) => [a.name, a.teamName, a.role ?? '—', `${formatTimestamp(a.joinedTimestamp)}${a.removed ? ' (removed)' : ''}`]),
          votes: devices.votes.map((v) => {
            const label = (id: string | null) => (id === null ? '—' : (v.options.find((o) => o.id === id)?.label ?? id));
            const split = v.options.map((o) => `${o.label}: ${v.tally[o.id] ?? 0}`).join('; ');
            return [v.teamName, v.decisionTitle, split, v.meanConfidence === null ? '—' : `${v.meanConfidence.toFixed(1)} / 5`, percent(v.dissent), label(v.recordedOptionId), percent(v.alignment)];
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
    handling,
    executiveSummary: {
      overview: overviewText,
      milestones: milestoneLines,
      keyDecisions: keyDecisions.length ? keyDecisions : ['No decision diverged from the recommendation, ran out of time or reached a milestone.'],
      strengths,
      areasForImprovement: areas,
    },
    overview: {
      facts,
      scenarioSummary: scenario.meta.summary,
      objectives: scenario.objectives.map((o) => ({ id: o.id, text: o.text, capability: o.capability ?? '—' })),
    },
    milestones,
    scores,
    analysis,
    decisions,
    notes,
    lessons: {
      whatGoodLooksLike: plain(scenario.guide.debrief.whatGoodLooksLike),
      preventedBy: scenario.guide.debrief.preventedBy.map((p) => ({ label: tagLabel(p.tag), value: p.how })),
    },
    improvementPlan,
    participants,
    participantDevices,
    integrity,
  };
}

function describeDecision(d: DecisionResult, t: TeamDebrief): string {
  const by = d.decidedBy ? ` (${d.decidedBy})` : '';
  const when = d.decidedScenarioMs === null ? '' : ` at ${formatScenarioTime(d.decidedScenarioMs)}`;
  const chosen = d.status === 'timedOut' ? `time ran out${when}; “${d.optionLabel}” was taken` : `chose “${d.optionLabel}”${by}${when}`;
  const rec =
    d.matchedRecommendation === true ? ', as recommended' : d.matchedRecommendation === false ? `; recommended: “${d.recommended.map((r) => r.label).join('” or “')}”` : '';
  const reached = d.milestonesReached.map((id) => t.milestones[id]?.label ?? id);
  return `${d.title}: ${chosen}${rec}${reached.length ? `; reached ${reached.join(', ')}` : ''}.`;
}

function observationText(n: Observation): string {
  const rating = n.rating ? ` [${n.rating}]` : '';
  const author = n.author ? ` — ${n.author}` : '';
  return `${formatScenarioTime(n.scenarioMs)}${rating} ${n.text}${author}`;
}

function points(value: number, max: number | null): string {
  return max === null ? `${value}` : `${value} of ${max}`;
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
