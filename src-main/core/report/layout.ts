/**
 * The after-action report laid out: the model (./aar.ts) as an ordered tree
 * of sections and plain blocks (paragraphs, lists, tables, facts, the
 * outcomes, the place of the charts). The report screen's components
 * (src-renderer/src/features/report), the Markdown exporter (./markdown.ts)
 * and the HTML exporter (./html.ts) each render these blocks, so the order
 * and the words are decided once, here.
 *
 * Order: title and each team's outcome; executive summary (one page);
 * handling instructions; exercise overview; results (scores, charts);
 * analysis of capabilities; notes; lessons; alternatives discussed (only
 * when asked for); Appendix A improvement plan; Appendix B participants;
 * Appendix C decision log; integrity.
 *
 * Pure TypeScript.
 */
import type { AfterActionReport, TeamOutcome } from './aar.ts';
import { formatDelta, formatScenarioTime } from '../time-format.ts';
import { RESULT_WORDS } from './wording.ts';

/** A table cell: its text, and lines under it (how a milestone was reached, a caveat). */
export interface Cell {
  text: string;
  sub?: string[];
  /** A state the screen may colour: a milestone's verdict, a caveat. */
  tone?: 'met' | 'missed' | 'unreached' | 'caveat';
}

export type Block =
  | { kind: 'paragraph'; text: string; tone?: 'muted' | 'lead' }
  | { kind: 'list'; items: string[]; empty: string; numbered?: boolean }
  | { kind: 'facts'; items: Array<{ label: string; value: string }>; mono?: boolean }
  | { kind: 'table'; head: string[]; rows: Cell[][]; rowHeaders: boolean; label: string }
  | { kind: 'outcomes'; items: TeamOutcome[] }
  /** Where the screen and the printed page draw the timeline and key-time charts (text exports skip it). */
  | { kind: 'charts' };

export interface Section {
  /** Stable id (anchors, test ids). */
  id: string;
  title: string;
  level: 2 | 3 | 4;
  /** Starts a new printed page. */
  pageBreak?: boolean;
  blocks: Array<Block | Section>;
}

export interface ReportLayout {
  title: string;
  subtitle: string;
  marking: string;
  pseudonymised: boolean;
  sections: Section[];
}

export function isSection(item: Block | Section): item is Section {
  return 'level' in item;
}

const cell = (text: string, extra: Omit<Cell, 'text'> = {}): Cell => ({ text, ...extra });
const cells = (texts: readonly string[]): Cell[] => texts.map((t) => cell(t));

/** The sections of the report, in order. */
export function layoutReport(r: AfterActionReport): ReportLayout {
  const sections: Section[] = [];
  const multi = r.outcomes.length > 1;

  sections.push({ id: 'outcomes', title: multi ? 'Outcomes' : 'Outcome', level: 2, blocks: [{ kind: 'outcomes', items: r.outcomes }] });

  const es = r.executiveSummary;
  sections.push({
    id: 'executive-summary',
    title: 'Executive summary',
    level: 2,
    blocks: [
      { kind: 'paragraph', text: es.overview },
      {
        id: 'summary-milestones',
        title: 'Milestones against targets',
        level: 3,
        blocks: [
          {
            kind: 'table',
            label: 'Milestones against targets',
            head: ['Milestone', 'Target', ...es.milestones.teams],
            rowHeaders: true,
            rows: es.milestones.rows.map((row) => [
              cell(row.milestone),
              cell(row.target),
              ...row.results.map((c) => cell(c.text, { tone: c.caveat ? 'caveat' : c.state, sub: [c.reachedBy, c.caveat].filter((s): s is string => !!s) })),
            ]),
          },
        ],
      },
      { id: 'summary-strengths', title: 'Strengths', level: 3, blocks: [{ kind: 'list', items: es.strengths, empty: 'None recorded.' }] },
      { id: 'summary-areas', title: 'Areas for improvement', level: 3, blocks: [{ kind: 'list', items: es.areasForImprovement, empty: 'None recorded.' }] },
      {
        id: 'summary-actions',
        title: 'Top corrective actions',
        level: 3,
        blocks: [{ kind: 'list', items: es.correctiveActions, empty: 'None yet: add them to the improvement plan.', numbered: true }],
      },
    ],
  });

  sections.push({ id: 'handling', title: 'Handling instructions', level: 2, blocks: r.handling.map((text) => ({ kind: 'paragraph', text })) });

  sections.push({
    id: 'overview',
    title: 'Exercise overview',
    level: 2,
    blocks: [
      { kind: 'facts', items: r.overview.facts },
      { id: 'scenario-summary', title: 'Scenario summary', level: 3, blocks: [{ kind: 'paragraph', text: r.overview.scenarioSummary }] },
      {
        id: 'objectives',
        title: 'Objectives',
        level: 3,
        blocks: [
          { kind: 'table', label: 'Objectives', head: ['Objective', 'Capability'], rowHeaders: false, rows: r.overview.objectives.map((o) => cells([o.text, o.capability])) },
        ],
      },
    ],
  });

  const results: Array<Block | Section> = [];
  if (r.scores.rows.length) {
    results.push({
      id: 'scores',
      title: 'Scores',
      level: 3,
      blocks: [
        {
          kind: 'paragraph',
          tone: 'muted',
          text: 'Points earned of the points available (the most any path through the scenario could earn); points lost to costly choices are counted apart, and the choices named.',
        },
        {
          kind: 'table',
          label: 'Scores',
          head: ['Area', ...r.scores.teams],
          rowHeaders: true,
          rows: r.scores.rows.map((row) => [
            cell(row.area),
            ...row.results.map((res) => cell(res.earned, { sub: res.lost ? [`${res.lost} lost: ${res.costs.join('; ')}`] : ['no costly choices'] })),
          ]),
        },
      ],
    });
  }
  results.push({ id: 'charts', title: 'Charts', level: 3, blocks: [{ kind: 'charts' }] });
  sections.push({ id: 'results', title: 'Results', level: 2, blocks: results });

  sections.push({
    id: 'analysis',
    title: 'Analysis of capabilities',
    level: 2,
    blocks: r.analysis.map((a, i): Section => {
      const blocks: Array<Block | Section> = [];
      const ratings = a.ratings.map((x) => (multi ? `${x.team}: ${x.label}` : x.label)).join('; ');
      blocks.push({ kind: 'paragraph', text: `${a.capability ? `Capability: ${a.capability}. ` : ''}Rating: ${ratings}.` });
      const part = (id: string, title: string, items: string[]) => {
        if (items.length) blocks.push({ id: `objective-${i + 1}-${id}`, title, level: 4, blocks: [{ kind: 'list', items, empty: '' }] });
      };
      part('strengths', 'Strengths', a.strengths);
      part('areas', 'Areas for improvement', a.areasForImprovement);
      part('observations', 'Other observations', a.observations);
      part('recommendations', 'Recommendations', a.recommendations);
      return { id: `objective-${i + 1}`, title: `Objective ${i + 1}: ${a.text}`, level: 3, blocks };
    }),
  });

  sections.push({
    id: 'notes',
    title: 'Facilitator notes',
    level: 2,
    blocks: r.notes.length
      ? [
          {
            kind: 'table',
            label: 'Facilitator notes',
            head: ['Time', 'Team', 'Author', 'Note'],
            rowHeaders: false,
            rows: r.notes.map((n) => cells([n.time, n.team, n.author, n.text])),
          },
        ]
      : [{ kind: 'paragraph', tone: 'muted', text: 'No notes.' }],
  });

  if (r.reveals.length > 0) {
    sections.push({
      id: 'reveals',
      title: 'Evidence on request',
      level: 2,
      blocks: [
        { kind: 'table', label: 'Evidence revealed', head: ['Time', 'Team', 'What happened'], rowHeaders: false, rows: r.reveals.map((x) => cells([x.time, x.team, x.text])) },
      ],
    });
  }

  sections.push({
    id: 'lessons',
    title: 'Lessons from the scenario',
    level: 2,
    blocks: [
      { id: 'good', title: 'What good looks like', level: 3, blocks: [{ kind: 'paragraph', text: r.lessons.whatGoodLooksLike }] },
      {
        id: 'prevented',
        title: 'What would have prevented or shortened the incident',
        level: 3,
        blocks: [{ kind: 'list', items: r.lessons.preventedBy.map((p) => `${p.label}: ${p.value}`), empty: 'None listed.' }],
      },
    ],
  });

  if (r.alternatives.length) {
    sections.push({
      id: 'alternatives',
      title: 'Alternatives discussed',
      level: 2,
      blocks: [
        {
          kind: 'paragraph',
          tone: 'muted',
          text: 'Replays of the scenario with one decision taken another way, with the session’s seed; they are not part of the exercise record.',
        },
        ...r.alternatives.map((w, i): Section => {
          const rows: Cell[][] = [
            [cell('Ending'), cell(endingText(w.actual.ending)), cell(endingText(w.alternative.ending))],
            ...w.actual.milestones.map((m, j) => {
              const alt = w.alternative.milestones[j];
              return [cell(m.label), cell(milestoneText(m)), cell(alt ? milestoneText(alt) : 'not reached')];
            }),
            ...w.actual.score.map((s, j) => {
              const alt = w.alternative.score[j];
              return [cell(`Score: ${s.label}`), cell(scoreText(s)), cell(alt ? scoreText(alt) : '—')];
            }),
          ];
          return {
            id: `alternative-${i + 1}`,
            title: `${multi ? `${w.team}: ` : ''}${w.decision} — “${w.alternativeOption}” instead of “${w.actualOption}”`,
            level: 3,
            blocks: [
              { kind: 'table', label: `Alternative ${i + 1}`, head: ['', 'What happened', 'What would have followed'], rowHeaders: true, rows },
              // What the replay assumed (e.g. milestones the facilitator marked are not replayed): without it the columns compare unlike things.
              { kind: 'list', items: w.assumptions, empty: '' },
            ],
          };
        }),
      ],
    });
  }

  sections.push({
    id: 'appendix-a',
    title: 'Appendix A: Improvement plan',
    level: 2,
    blocks: r.improvementPlan.length
      ? [
          {
            kind: 'table',
            label: 'Improvement plan',
            head: ['Team', 'Area for improvement', 'Corrective action', 'Capability', 'Owner', 'Due', 'Status'],
            rowHeaders: false,
            rows: r.improvementPlan.map((i) =>
              cells([i.team, i.carriedOver ? `${i.area} (carried over)` : i.area, i.correctiveAction, i.capability, i.owner, i.dueDate, i.status]),
            ),
          },
        ]
      : [{ kind: 'paragraph', tone: 'muted', text: 'No improvement items yet.' }],
  });

  sections.push({
    id: 'appendix-b',
    title: 'Appendix B: Participants',
    level: 2,
    blocks: [
      {
        kind: 'paragraph',
        tone: 'muted',
        text: r.attendance.source === 'setup' ? 'As named when the session was set up.' : 'Those who joined the session, with when they joined.',
      },
      {
        kind: 'table',
        label: 'Participants',
        head: r.attendance.source === 'joined' ? ['Team', 'Name', 'Role', 'Joined'] : ['Team', 'Name', 'Role'],
        rowHeaders: false,
        rows: r.attendance.teams.flatMap((t) =>
          t.people.length
            ? t.people.map((p) => cells(r.attendance.source === 'joined' ? [t.team, p.name, p.role, p.joined ?? '—'] : [t.team, p.name, p.role]))
            : [cells(r.attendance.source === 'joined' ? [t.team, 'No participants listed', '—', '—'] : [t.team, 'No participants listed', '—'])],
        ),
      },
      ...(r.participantDevices ? participantDevicesSections(r.participantDevices) : []),
    ],
  });

  sections.push({
    id: 'appendix-c',
    title: 'Appendix C: Decision log',
    level: 2,
    blocks: r.decisions.map((team, i): Section => ({
      id: `decisions-${i + 1}`,
      title: team.team,
      level: 3,
      blocks: team.rows.length
        ? [
            {
              kind: 'table',
              label: `Decision log: ${team.team}`,
              head: ['Time', 'Decision', 'Chosen', 'Recommended', 'Decided by', 'Rationale', 'Time taken'],
              rowHeaders: false,
              rows: team.rows.map((d) => cells([d.time, d.decision, d.chosen, d.recommended, d.decidedBy, d.rationale, d.timeTaken])),
            },
          ]
        : [{ kind: 'paragraph', tone: 'muted', text: 'No decisions recorded.' }],
    })),
  });

  sections.push({ id: 'integrity', title: 'Integrity', level: 2, blocks: [{ kind: 'facts', items: r.integrity, mono: true }] });

  return { title: r.title, subtitle: r.subtitle, marking: r.marking, pseudonymised: r.pseudonymised, sections };
}

/** How the room voted from their own devices, and what they said in the hot wash. */
function participantDevicesSections(devices: NonNullable<AfterActionReport['participantDevices']>): Section[] {
  return [
    {
      id: 'appendix-b-votes',
      title: 'Votes from participants’ devices',
      level: 3,
      blocks: devices.votes.length
        ? [
            {
              kind: 'table',
              label: 'Votes from participants’ devices',
              head: ['Team', 'Decision', 'Votes', 'Mean confidence', 'Dissent', 'Recorded', 'Alignment'],
              rowHeaders: false,
              rows: devices.votes.map((row) => cells(row)),
            },
          ]
        : [{ kind: 'paragraph', tone: 'muted', text: 'No votes were cast.' }],
    },
    {
      id: 'appendix-b-hot-wash',
      title: 'Hot wash',
      level: 3,
      blocks: devices.hotWash.length
        ? [{ kind: 'table', label: 'Hot-wash answers', head: ['Name', 'Team', 'Question', 'Answer'], rowHeaders: false, rows: devices.hotWash.map((row) => cells(row)) }]
        : [{ kind: 'paragraph', tone: 'muted', text: 'No hot-wash answers.' }],
    },
  ];
}

/** An outcome as one line: "Blue team: Recovered cleanly… — a good outcome. Ended at …". */
export function outcomeText(o: TeamOutcome, multi: boolean): string {
  return `${multi ? `${o.team}: ` : ''}${o.ending ? `${o.ending} — ${o.resultWords}.` : `${capitalise(o.resultWords)}.`} ${o.detail}`;
}

function endingText(e: { title: string; result: 'success' | 'partial' | 'failure'; scenarioMs: number } | null): string {
  return e ? `${e.title} (${RESULT_WORDS[e.result]}) at ${formatScenarioTime(e.scenarioMs)}` : 'no ending reached';
}

function milestoneText(m: { scenarioMs: number | null; met: boolean; deltaMs: number | null }): string {
  return m.scenarioMs === null ? 'not reached' : `${formatScenarioTime(m.scenarioMs)} — ${m.met ? 'met' : 'missed'}, ${formatDelta(m.deltaMs ?? 0)}`;
}

function scoreText(s: { earned: number; available: number | null; lost: number }): string {
  return `${s.earned}${s.available === null ? '' : ` of ${s.available}`} points${s.lost ? `, ${s.lost} lost` : ''}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
