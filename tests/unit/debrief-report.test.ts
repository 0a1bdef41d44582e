import { describe, expect, it } from 'vitest';
import { computeDebrief } from '../../src-main/core/debrief/compute.ts';
import type { ImprovementItem } from '../../src-main/core/debrief/improvement.ts';
import { buildAfterActionReport, type ReportInput } from '../../src-main/core/report/aar.ts';
import { DECISION_LOG_COLUMNS, decisionLogRows } from '../../src-main/core/report/decision-log.ts';
import { exportFileName } from '../../src-main/core/report/export.ts';
import { formatDelta, formatDuration, formatIsoTimestamp, formatScenarioTime, formatTimestamp } from '../../src-main/core/time-format.ts';
import { cssString, escapeHtml, renderHtml } from '../../src-main/core/report/html.ts';
import { mdBlock, mdCell, mdInline, renderMarkdown } from '../../src-main/core/report/markdown.ts';
import { debriefScenario, handBuiltLog, MIN, S } from '../helpers/debrief-log.ts';

const scenario = debriefScenario();
const { events } = handBuiltLog();
const debrief = computeDebrief(scenario, events);

const item = (overrides: Partial<ImprovementItem>): ImprovementItem => ({
  id: 'i1',
  sessionId: 's1',
  teamName: 'Alpha',
  area: 'Nobody could disable keys',
  correctiveAction: 'Break-glass role for the on-call IC',
  tag: 'WAF-2024-06-27:SEC02-BP05',
  owner: 'Kim Lee',
  dueDate: '2025-07-01',
  status: 'open',
  createdWallMs: S,
  updatedWallMs: S,
  closedWallMs: null,
  ...overrides,
});

function input(overrides: Partial<ReportInput> = {}): ReportInput {
  return {
    scenario,
    debrief,
    improvementItems: [
      item({}),
      item({ id: 'i0', sessionId: 'older', teamName: 'bravo', area: 'Carried', tag: 'Operational coordination', status: 'in-progress', createdWallMs: S - 9 * MIN }),
    ],
    generatedTimestamp: Date.UTC(2025, 4, 6, 12, 30),
    generator: 'Sandtable test',
    pseudonymised: false,
    ...overrides,
  };
}

describe('format helpers', () => {
  it('writes scenario times, durations, deltas and wall-clock times', () => {
    expect(formatScenarioTime(0)).toBe('T+00:00:00');
    expect(formatScenarioTime(90 * MIN + 5_500)).toBe('T+01:30:05');
    expect(formatDuration(45_000)).toBe('45 s');
    expect(formatDuration(12 * MIN + 30_000)).toBe('12 min 30 s');
    expect(formatDuration(4 * MIN)).toBe('4 min');
    expect(formatDuration(65 * MIN)).toBe('1 h 5 min');
    expect(formatDelta(2 * MIN)).toBe('2 min late');
    expect(formatDelta(-8 * MIN)).toBe('8 min early');
    expect(formatDelta(-400)).toBe('on target');
    expect(formatDelta(0)).toBe('on target');
    // Missed by a fraction of a second: never "missed, on target".
    expect(formatDelta(400)).toBe('under 1 s late');
    expect(formatTimestamp(Date.UTC(2025, 4, 6, 9, 3, 59))).toBe('2025-05-06 09:03 UTC');
    expect(formatIsoTimestamp(Date.UTC(2025, 4, 6, 9, 3, 59, 120))).toBe('2025-05-06T09:03:59Z');
  });
});

describe('buildAfterActionReport', () => {
  const report = buildAfterActionReport(input());

  it('carries the marking and handling instructions', () => {
    expect(report.marking).toBe('TLP:AMBER');
    expect(report.handling[0]).toContain('TLP:AMBER');
    expect(report.handling.join(' ')).not.toContain('pseudonym');
    expect(buildAfterActionReport(input({ pseudonymised: true })).handling.join(' ')).toContain('pseudonyms');
  });

  it("leads with each team's outcome: its ending, its result, milestones met and points earned", () => {
    expect(report.outcomes).toEqual([
      {
        teamId: 'A',
        team: 'Alpha',
        ending: 'Contained',
        result: 'success',
        resultWords: 'a good outcome',
        detail: 'Ended at T+00:30:00 after 17 min of play. Met 2 of 4 milestone targets. Points: 6 of 6 points earned.',
      },
      expect.objectContaining({ team: 'Bravo', ending: 'Contained', detail: expect.stringContaining('Met 1 of 4 milestone targets. Points: 5 of 6 points earned.') }),
    ]);
  });

  it('summarises on one page: milestones with the quality of what was reached, three strengths, three areas, the top corrective actions', () => {
    const es = report.executiveSummary;
    expect(es.overview).toContain('with 2 teams');
    expect(es.overview).toContain('paused 1 time for 10 min');
    expect(es.milestones.rows[0]).toEqual({
      id: 'detected',
      milestone: 'Detected',
      target: 'T+00:10:00',
      results: [
        { text: 'T+00:12:00 — missed, 2 min late', state: 'missed', reachedBy: 'by the recommended choice at “Contain?”', caveat: null },
        { text: 'T+00:15:00 — missed, 5 min late', state: 'missed', reachedBy: 'by the recommended choice at “Contain?”', caveat: null },
      ],
    });
    expect(es.milestones.rows[2]!.results[0]).toMatchObject({ state: 'met', reachedBy: 'marked by the facilitator' });
    // Ratings weigh most: Alpha's latest is P (a strength), Bravo's is the session-wide U (an area for improvement).
    expect(es.strengths).toHaveLength(3);
    expect(es.strengths[0]).toBe('Alpha: Contain quickly. — performed without challenges.');
    expect(es.areasForImprovement).toHaveLength(3);
    expect(es.areasForImprovement[0]).toBe('Bravo: Contain quickly. — unable to be performed.');
    expect(es.areasForImprovement).toContain('Bravo: Contain?: time ran out (“Contain now” was taken).');
    expect(es.correctiveActions[0]).toBe('Alpha: Break-glass role for the on-call IC (owner Kim Lee, due 2025-07-01)');
    expect(es.correctiveActions.length).toBeLessThanOrEqual(3);
  });

  it('keeps the summary to a page when corrective actions are long: each cut to a line or two (the plan keeps the whole text)', () => {
    const long = `Write the break-glass runbook ${'and rehearse it with every on-call engineer '.repeat(90)}`.trim();
    const built = buildAfterActionReport(input({ improvementItems: [item({ correctiveAction: long })] }));
    expect(built.executiveSummary.correctiveActions[0]!.length).toBeLessThan(240);
    expect(built.executiveSummary.correctiveActions[0]).toMatch(/^Alpha: Write the break-glass runbook .*… \(owner Kim Lee, due 2025-07-01\)$/);
    expect(built.improvementPlan.map((r) => r.correctiveAction)).toContain(long);
  });

  it('describes the exercise, with the facilitator as point of contact', () => {
    const facts = Object.fromEntries(report.overview.facts.map((f) => [f.label, f.value]));
    expect(facts).toMatchObject({
      'Exercise name': 'Drill',
      Scenario: 'Engine test (version 1.0.0)',
      'Participating teams': 'Alpha, Bravo',
      'Point of contact': 'Ana (facilitator)',
      'Core capabilities': 'Operational coordination',
    });
    expect(facts.Dates).toMatch(/^2023-11-14 22:1\d UTC – 2023-11-14 22:4\d UTC$/);
    expect(report.overview.objectives).toEqual([{ id: 'obj1', text: 'Contain quickly.', capability: 'Operational coordination' }]);
  });

  it('analyses each objective from the ratings, observations, the scenario and the improvement plan', () => {
    const [a] = report.analysis;
    expect(a!.ratings).toEqual([
      { team: 'Alpha', rating: 'P', label: 'P — Performed without challenges (demonstrated at T+00:12:00)' },
      { team: 'Bravo', rating: 'U', label: 'U — Unable to be performed (demonstrated at T+00:15:00)' },
    ]);
    expect(a!.strengths).toEqual(['Alpha: T+00:17:00 [S] Slow start — Ana', 'Alpha: T+00:17:00 [P] Recovered well — Ana']);
    // The session-wide observation is reported once, not once per team.
    expect(a!.areasForImprovement).toEqual(['T+00:17:00 [U] Nobody owned the call — Ana']);
    // What would have prevented the incident is in the lessons, once; here, the improvement items.
    expect(a!.recommendations).toEqual([
      'Nobody could disable keys: Break-glass role for the on-call IC (owner: Kim Lee)',
      'Carried: Break-glass role for the on-call IC (owner: Kim Lee)',
    ]);
  });

  it('keeps the decision log, the notes, the lessons and the appendices', () => {
    expect(report.decisions[0]!.rows).toEqual([
      {
        time: 'T+00:12:00',
        decision: 'Contain?',
        chosen: 'Contain now',
        recommended: 'yes',
        decidedBy: 'Kim Lee',
        rationale: 'Contain first',
        timeTaken: '2 min (2 min of play)',
      },
    ]);
    expect(report.decisions[1]!.rows[0]).toMatchObject({ chosen: 'Contain now (time ran out)', decidedBy: '—', timeTaken: '5 min (4 min of play)' });
    expect(report.notes.map((n) => [n.time, n.team, n.text])).toEqual([
      ['T+00:00:00', 'All teams', 'Room set up'],
      ['T+00:17:00', 'Alpha', 'Asked good questions'],
    ]);
    expect(report.lessons.preventedBy).toEqual([
      { label: 'Well-Architected SEC02-BP05 Audit and rotate credentials periodically', value: 'Rotate keys so a leaked one dies young.' },
    ]);
    expect(report.improvementPlan).toEqual([
      expect.objectContaining({
        area: 'Nobody could disable keys',
        capability: 'Well-Architected SEC02-BP05 Audit and rotate credentials periodically',
        dueDate: '2025-07-01',
        status: 'Open',
        carriedOver: false,
      }),
      expect.objectContaining({ area: 'Carried', team: 'bravo', capability: 'Operational coordination', status: 'In progress', carriedOver: true }),
    ]);
    expect(report.attendance).toEqual({
      source: 'setup',
      teams: [
        {
          team: 'Alpha',
          people: [
            { name: 'Kim Lee', role: 'IC', joined: null },
            { name: 'Sam Roe', role: '—', joined: null },
          ],
        },
        { team: 'Bravo', people: [] },
      ],
    });
    expect(report.integrity).toContainEqual({ label: 'Final event-log hash (SHA-256)', value: debrief.session.lastHash });
    expect(report.alternatives).toEqual([]);
  });

  it('scores as points earned of points available, never a negative "of"', () => {
    expect(report.scores.rows[0]).toEqual({
      area: 'Well-Architected best practices',
      results: [
        { earned: '2 of 2 points', lost: 0, costs: [] },
        { earned: '2 of 2 points', lost: 0, costs: [] },
      ],
    });
    for (const row of report.scores.rows) for (const r of row.results) expect(r.earned).toMatch(/^\d+ of \d+ points?$/);
  });
});

const HOSTILE = '<script>alert(1)</script> [x](javascript:alert(1)) ![i](http://evil/x.png) **b** | pipe & `code` </style>';

describe('renderMarkdown', () => {
  it('escapes every string so that nothing becomes HTML, a link, an image or a heading', () => {
    expect(mdInline('# Not a heading')).toBe('\\# Not a heading');
    expect(mdInline('1. not a list')).toBe('1\\. not a list');
    expect(mdInline('- not a list')).toBe('\\- not a list');
    expect(mdCell('-2 of 2')).toBe('-2 of 2');
    expect(mdInline('a\n\nb')).toBe('a b');
    expect(mdBlock('line one\n- line two')).toBe('line one\\\n\\- line two');
    const hostile = { ...debrief, session: { ...debrief.session, name: HOSTILE, sensitivity: `${HOSTILE}\n# heading` } };
    const md = renderMarkdown(buildAfterActionReport(input({ debrief: hostile })));
    // Apart from the blockquote marker of the marking lines, every <, >, [ and ] is backslash-escaped.
    const body = md.replace(/^> /gm, '');
    expect(body).not.toMatch(/(?<!\\)[<>[\]]/);
    expect(md).toContain('\\<script\\>alert(1)\\</script\\>');
    expect(md).toContain('\\| pipe \\& \\`code\\`');
    for (const line of md.split('\n').filter((l) => l.startsWith('#'))) expect(line).toMatch(/^#{1,4} [A-Z\\]/);
  });

  it('lays out the HSEEP sections in order', () => {
    const md = renderMarkdown(buildAfterActionReport(input()));
    const headings = md.split('\n').filter((l) => l.startsWith('## '));
    expect(headings).toEqual([
      '## Outcomes',
      '## Executive summary',
      '## Handling instructions',
      '## Exercise overview',
      '## Results',
      '## Analysis of capabilities',
      '## Facilitator notes',
      '## Lessons from the scenario',
      '## Appendix A: Improvement plan',
      '## Appendix B: Participants',
      '## Appendix C: Decision log',
      '## Integrity',
    ]);
    expect(md).toContain('- Alpha: Contained — a good outcome. Ended at T+00:30:00');
    expect(md).toContain('| Detected | T+00:10:00 | T+00:12:00 — missed, 2 min late; by the recommended choice at “Contain?” |');
    expect(md.startsWith('> **TLP:AMBER**')).toBe(true);
    expect(md.trimEnd().endsWith('> **TLP:AMBER**')).toBe(true);
    expect(md).toContain(
      '| Alpha | Nobody could disable keys | Break-glass role for the on-call IC | Well-Architected SEC02-BP05 Audit and rotate credentials periodically | Kim Lee | 2025-07-01 | Open |',
    );
  });
});

describe('renderHtml', () => {
  it('escapes text and CSS strings', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(cssString('TLP:AMBER </style>')).toBe('"TLP\\3a AMBER \\3c \\2f style\\3e "');
  });

  it('is a standalone document: no script, no external resource, a CSP that forbids both', () => {
    const hostile = { ...debrief, session: { ...debrief.session, name: HOSTILE, sensitivity: HOSTILE } };
    const html = renderHtml(buildAfterActionReport(input({ debrief: hostile })));
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'">`);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<(img|link|iframe|object|embed)\b/i);
    expect(html).not.toMatch(/\b(src|href)=/i);
    expect(html).not.toMatch(/url\(/i);
    // The only </style> closes the one style element; the marking inside it is hex-escaped.
    expect(html.match(/<\/style>/g)).toHaveLength(1);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('@top-center { content: "');
  });

  it('shows the marking at the top and bottom, the outcomes first and the appendices last', () => {
    const html = renderHtml(buildAfterActionReport(input()));
    expect(html.match(/<p class="marking">TLP:AMBER<\/p>/g)).toHaveLength(2);
    expect(html).toContain('Rating: Alpha: P — Performed without challenges (demonstrated at T+00:12:00); Bravo: U — Unable to be performed (demonstrated at T+00:15:00).');
    expect(html).toContain('<section id="appendix-a"><h2>Appendix A: Improvement plan</h2>');
    expect(html.indexOf('<h2>Outcomes</h2>')).toBeLessThan(html.indexOf('<h2>Executive summary</h2>'));
    expect(html.indexOf('<h2>Appendix C: Decision log</h2>')).toBeGreaterThan(html.indexOf('<h2>Appendix A: Improvement plan</h2>'));
  });
});

describe('decision log rows', () => {
  it('lists every decision in the order it was taken, with the columns a spreadsheet needs', () => {
    const rows = decisionLogRows(debrief);
    expect(DECISION_LOG_COLUMNS).toHaveLength(rows[0]!.length);
    expect(rows).toEqual([
      [
        'T+00:12:00',
        formatIsoTimestamp(S + 22 * MIN),
        'Alpha',
        'Finding',
        'Contain?',
        'Contain now (recommended) | Watch longer',
        'Contain now',
        'no',
        'yes',
        'Contain first',
        'Kim Lee',
        120,
        120,
        'Quiet',
      ],
      [
        'T+00:15:00',
        formatIsoTimestamp(S + 24 * MIN),
        'Bravo',
        'Finding',
        'Contain?',
        'Contain now (recommended) | Watch longer',
        'Contain now',
        'yes',
        'yes',
        '',
        '',
        300,
        240,
        'Quiet',
      ],
    ]);
  });
});

describe('exportFileName', () => {
  it('names an export after its session, date and id, in ASCII', () => {
    const session = { id: '1084d85e-fcac-4c5c', name: 'Q2 drill: Café <Blue>!', createdWallMs: Date.UTC(2025, 4, 6) };
    expect(exportFileName(session, 'html', false)).toBe('q2-drill-cafe-blue-2025-05-06-1084d85e-after-action-report.html');
    expect(exportFileName(session, 'csv', true)).toBe('q2-drill-cafe-blue-2025-05-06-1084d85e-decision-log-pseudonymised.csv');
    expect(exportFileName({ ...session, name: '日本' }, 'json', false)).toBe('session-2025-05-06-1084d85e-session.json');
  });
});
