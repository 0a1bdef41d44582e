/**
 * The After-Action Report as Markdown (CommonMark with GFM tables). Every
 * string from the session or the scenario is escaped, so it shows as written
 * and can never become a link, an image, HTML or a heading.
 */
import type { AfterActionReport } from './aar.ts';

/** Escapes text for use as a line of its own or a list item: newlines become spaces. */
export function mdInline(text: string): string {
  return escapeLine(text.replace(/\s+/g, ' ').trim());
}

/** Escapes text for a table cell (where block markers mean nothing): newlines become spaces. */
export function mdCell(text: string): string {
  return escapeInline(text.replace(/\s+/g, ' ').trim());
}

/** Escapes multi-line text as a block: lines are kept (as hard line breaks), blank lines separate paragraphs. */
export function mdBlock(text: string): string {
  return text
    .trim()
    .split(/\r\n|\r|\n/)
    .map((line) => escapeLine(line.trim()))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/([^\n])\n(?=[^\n])/g, '$1\\\n');
}

/** Inline markup, raw HTML, entities and table pipes. */
function escapeInline(text: string): string {
  return text.replace(/[\\`*_{}[\]<>|&~]/g, '\\$&');
}

/** The same, and block markers at the start of a line: headings, quotes, lists, setext and thematic breaks. */
function escapeLine(line: string): string {
  return escapeInline(line)
    .replace(/^([#>+=-])/, '\\$1')
    .replace(/^(\d+)([.)])/, '$1\\$2');
}

function list(items: readonly string[], empty = 'None recorded.'): string {
  return items.length ? items.map((i) => `- ${mdInline(i)}`).join('\n') : `_${empty}_`;
}

function table(head: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const line = (cells: readonly string[]) => `| ${cells.map((c) => mdCell(c) || ' ').join(' | ')} |`;
  return [line(head), `|${head.map(() => ' --- ').join('|')}|`, ...rows.map(line)].join('\n');
}

/** Renders the report as one Markdown document. */
export function renderMarkdown(report: AfterActionReport): string {
  const out: string[] = [];
  const add = (...blocks: string[]) => out.push(...blocks);
  const marking = `> **${mdInline(report.marking)}**`;

  add(marking, `# ${mdInline(report.title)}`, `**${mdInline(report.subtitle)}**`);

  add('## Handling instructions', ...report.handling.map(mdBlock));

  const es = report.executiveSummary;
  add('## Executive summary', mdBlock(es.overview));
  add('### Milestones', list(es.milestones));
  add('### Key decisions', list(es.keyDecisions));
  add('### Strengths', list(es.strengths));
  add('### Areas for improvement', list(es.areasForImprovement));

  add('## Exercise overview', table(['Item', 'Details'], report.overview.facts.map((f) => [f.label, f.value])));
  add('### Scenario summary', mdBlock(report.overview.scenarioSummary));
  add(
    '### Objectives',
    table(
      ['Objective', 'Capability'],
      report.overview.objectives.map((o) => [o.text, o.capability]),
    ),
  );

  add('## Results', '### Milestones', table(['Milestone', 'Target', ...report.milestones.teams], report.milestones.rows.map((r) => [r.milestone, r.target, ...r.results])));
  if (report.scores.rows.length) {
    add('### Scores', table(['Area', ...report.scores.teams], report.scores.rows.map((r) => [r.total ? `${r.area} (total)` : r.area, ...r.results])));
  }

  add('## Analysis of capabilities');
  report.analysis.forEach((a, i) => {
    add(`### Objective ${i + 1}: ${mdInline(a.text)}`);
    if (a.capability) add(`Capability: ${mdInline(a.capability)}`);
    add(table(['Team', 'Rating'], a.ratings.map((r) => [r.team, r.label])));
    add('#### Strengths', list(a.strengths));
    add('#### Areas for improvement', list(a.areasForImprovement));
    if (a.observations.length) add('#### Other observations', list(a.observations));
    add('#### Recommendations', list(a.recommendations, 'None.'));
  });

  add('## Decision log');
  for (const team of report.decisions) {
    add(
      `### ${mdInline(team.team)}`,
      team.rows.length
        ? table(
            ['Time', 'Inject', 'Decision', 'Chosen', 'Recommended', 'Decided by', 'Rationale', 'Time taken'],
            team.rows.map((r) => [r.time, r.inject, r.decision, r.chosen, r.recommended, r.decidedBy, r.rationale, r.timeTaken]),
          )
        : '_No decisions recorded._',
    );
  }

  add('## Facilitator notes', report.notes.length ? table(['Time', 'Team', 'Author', 'Note'], report.notes.map((n) => [n.time, n.team, n.author, n.text])) : '_No notes._');

  add('## Lessons from the scenario', '### What good looks like', mdBlock(report.lessons.whatGoodLooksLike));
  add('### What would have prevented or shortened the incident', list(report.lessons.preventedBy.map((p) => `${p.label}: ${p.value}`), 'None listed.'));

  add(
    '## Appendix A: Improvement plan',
    report.improvementPlan.length
      ? table(
          ['Team', 'Area for improvement', 'Corrective action', 'Capability', 'Owner', 'Due', 'Status'],
          report.improvementPlan.map((r) => [r.team, r.carriedOver ? `${r.area} (carried over)` : r.area, r.correctiveAction, r.capability, r.owner, r.dueDate, r.status]),
        )
      : '_No improvement items yet._',
  );

  add('## Appendix B: Participants');
  for (const team of report.participants) {
    add(`### ${mdInline(team.team)}`, team.people.length ? table(['Name', 'Role'], team.people.map((p) => [p.name, p.role])) : '_No participants listed._');
  }

  if (report.participantDevices) {
    const d = report.participantDevices;
    add('## Appendix C: Participants’ devices');
    add('### Attendance', table(['Name', 'Team', 'Role', 'Joined'], d.attendance));
    add('### Votes and confidence', d.votes.length ? table(['Team', 'Decision', 'Votes', 'Mean confidence', 'Dissent', 'Team recorded', 'Voted as recorded'], d.votes) : '_No votes._');
    add('### Hot wash', d.hotWash.length ? table(['Name', 'Team', 'Question', 'Answer'], d.hotWash) : '_No answers._');
  }

  add('## Integrity', list(report.integrity.map((f) => `${f.label}: ${f.value}`)));
  add(marking);
  return `${out.join('\n\n')}\n`;
}
