/**
 * The After-Action Report as one standalone HTML document, styled for print
 * (A4 or Letter; "Save as PDF" gives the PDF). It loads nothing — no fonts,
 * images, scripts or style sheets from anywhere — and its Content-Security-
 * Policy forbids them all, scripts included. Every string is HTML-escaped;
 * the marking printed in the page margins is escaped as a CSS string.
 */
import type { AfterActionReport } from './aar.ts';

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Quotes text as a CSS string literal; anything but letters, digits and spaces is hex-escaped. */
export function cssString(text: string): string {
  return `"${[...text].map((c) => (/[A-Za-z0-9 ]/.test(c) ? c : `\\${c.codePointAt(0)!.toString(16)} `)).join('')}"`;
}

const STYLE = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 60rem; padding: 1.5rem; font: 11pt/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #111; background: #fff; }
h1 { font-size: 1.8rem; margin: 0.6rem 0 0.2rem; }
h2 { font-size: 1.35rem; margin: 2rem 0 0.6rem; border-bottom: 2px solid #222; padding-bottom: 0.2rem; break-after: avoid; }
h3 { font-size: 1.1rem; margin: 1.3rem 0 0.4rem; break-after: avoid; }
h4 { font-size: 1rem; margin: 0.9rem 0 0.3rem; break-after: avoid; }
p, ul { margin: 0.4rem 0; }
.subtitle { font-size: 1.1rem; color: #333; margin: 0 0 1rem; }
.marking { border: 2px solid #111; padding: 0.3rem 0.6rem; text-align: center; font-weight: 700; letter-spacing: 0.02em; }
.pre { white-space: pre-wrap; }
.empty { color: #555; font-style: italic; }
table { border-collapse: collapse; width: 100%; margin: 0.4rem 0 0.8rem; font-size: 0.92em; }
th, td { border: 1px solid #999; padding: 0.25rem 0.4rem; text-align: left; vertical-align: top; overflow-wrap: break-word; }
th[scope="row"] { width: 14em; }
th { background: #eee; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th.sub { padding-left: 1.4rem; font-weight: normal; }
.rating { display: inline-block; min-width: 1.6em; text-align: center; font-weight: 700; border: 1px solid #333; border-radius: 3px; margin-right: 0.3em; }
.rating-P { background: #d8f0d8; } .rating-S { background: #eef4cc; } .rating-M { background: #fbe3c4; } .rating-U { background: #f6cccc; }
.hash { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 0.85em; overflow-wrap: anywhere; }
section.objective { break-inside: avoid-page; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  h2 { break-before: auto; }
  .appendix { break-before: page; }
}
`;

function pageStyle(marking: string): string {
  const m = cssString(marking);
  return `@page { size: auto; margin: 18mm 15mm; @top-center { content: ${m}; font: 700 9pt system-ui, sans-serif; } @bottom-center { content: ${m}; font: 700 9pt system-ui, sans-serif; } @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8pt system-ui, sans-serif; } }`;
}

const e = escapeHtml;

function para(text: string, cls = 'pre'): string {
  return `<p class="${cls}">${e(text)}</p>`;
}

function list(items: readonly string[], empty = 'None recorded.'): string {
  return items.length ? `<ul>${items.map((i) => `<li class="pre">${e(i)}</li>`).join('')}</ul>` : `<p class="empty">${e(empty)}</p>`;
}

function table(head: readonly string[], rows: ReadonlyArray<readonly string[]>, options: { rowHeaders?: boolean; subRows?: ReadonlySet<number> } = {}): string {
  const headHtml = `<thead><tr>${head.map((h) => `<th scope="col">${e(h)}</th>`).join('')}</tr></thead>`;
  const body = rows
    .map((cells, r) => {
      const sub = options.subRows?.has(r) ?? false;
      return `<tr>${cells
        .map((c, i) => (i === 0 && options.rowHeaders ? `<th scope="row"${sub ? ' class="sub"' : ''}>${e(c)}</th>` : `<td class="pre">${e(c)}</td>`))
        .join('')}</tr>`;
    })
    .join('');
  return `<table>${headHtml}<tbody>${body}</tbody></table>`;
}

function rating(label: string, value: string | null): string {
  return value ? `<span class="rating rating-${e(value)}" aria-hidden="true">${e(value)}</span>${e(label)}` : e(label);
}

/** Renders the report as a standalone HTML document. */
export function renderHtml(report: AfterActionReport): string {
  const body: string[] = [];
  const add = (...parts: string[]) => body.push(...parts);
  const es = report.executiveSummary;

  add(`<header><p class="marking">${e(report.marking)}</p><h1>${e(report.title)}</h1><p class="subtitle">${e(report.subtitle)}</p></header>`);
  add('<main>');
  add('<section><h2>Handling instructions</h2>', ...report.handling.map((h) => para(h)), '</section>');
  add(
    '<section><h2>Executive summary</h2>',
    para(es.overview),
    '<h3>Milestones</h3>',
    list(es.milestones),
    '<h3>Key decisions</h3>',
    list(es.keyDecisions),
    '<h3>Strengths</h3>',
    list(es.strengths),
    '<h3>Areas for improvement</h3>',
    list(es.areasForImprovement),
    '</section>',
  );
  add(
    '<section><h2>Exercise overview</h2>',
    table(['Item', 'Details'], report.overview.facts.map((f) => [f.label, f.value]), { rowHeaders: true }),
    '<h3>Scenario summary</h3>',
    para(report.overview.scenarioSummary),
    '<h3>Objectives</h3>',
    table(['Objective', 'Capability'], report.overview.objectives.map((o) => [o.text, o.capability])),
    '</section>',
  );

  add(
    '<section><h2>Results</h2><h3>Milestones</h3>',
    table(['Milestone', 'Target', ...report.milestones.teams], report.milestones.rows.map((r) => [r.milestone, r.target, ...r.results]), { rowHeaders: true }),
  );
  if (report.scores.rows.length) {
    const subRows = new Set(report.scores.rows.flatMap((r, i) => (r.total ? [] : [i])));
    add('<h3>Scores</h3>', table(['Area', ...report.scores.teams], report.scores.rows.map((r) => [r.area, ...r.results]), { rowHeaders: true, subRows }));
  }
  add('</section>');

  add('<section><h2>Analysis of capabilities</h2>');
  report.analysis.forEach((a, i) => {
    add(
      `<section class="objective"><h3>Objective ${i + 1}: ${e(a.text)}</h3>`,
      a.capability ? `<p>Capability: ${e(a.capability)}</p>` : '',
      `<table><thead><tr><th scope="col">Team</th><th scope="col">Rating</th></tr></thead><tbody>${a.ratings
        .map((r) => `<tr><th scope="row">${e(r.team)}</th><td>${rating(r.label, r.rating)}</td></tr>`)
        .join('')}</tbody></table>`,
      '<h4>Strengths</h4>',
      list(a.strengths),
      '<h4>Areas for improvement</h4>',
      list(a.areasForImprovement),
      a.observations.length ? `<h4>Other observations</h4>${list(a.observations)}` : '',
      '<h4>Recommendations</h4>',
      list(a.recommendations, 'None.'),
      '</section>',
    );
  });
  add('</section>');

  add('<section><h2>Decision log</h2>');
  for (const team of report.decisions) {
    add(
      `<h3>${e(team.team)}</h3>`,
      team.rows.length
        ? table(
            ['Time', 'Inject', 'Decision', 'Chosen', 'Recommended', 'Decided by', 'Rationale', 'Time taken'],
            team.rows.map((r) => [r.time, r.inject, r.decision, r.chosen, r.recommended, r.decidedBy, r.rationale, r.timeTaken]),
          )
        : '<p class="empty">No decisions recorded.</p>',
    );
  }
  add('</section>');

  add(
    '<section><h2>Facilitator notes</h2>',
    report.notes.length ? table(['Time', 'Team', 'Author', 'Note'], report.notes.map((n) => [n.time, n.team, n.author, n.text])) : '<p class="empty">No notes.</p>',
    '</section>',
  );

  add(
    '<section><h2>Lessons from the scenario</h2><h3>What good looks like</h3>',
    para(report.lessons.whatGoodLooksLike),
    '<h3>What would have prevented or shortened the incident</h3>',
    list(report.lessons.preventedBy.map((p) => `${p.label}: ${p.value}`), 'None listed.'),
    '</section>',
  );

  add(
    '<section class="appendix"><h2>Appendix A: Improvement plan</h2>',
    report.improvementPlan.length
      ? table(
          ['Team', 'Area for improvement', 'Corrective action', 'Capability', 'Owner', 'Due', 'Status'],
          report.improvementPlan.map((r) => [r.team, r.carriedOver ? `${r.area} (carried over)` : r.area, r.correctiveAction, r.capability, r.owner, r.dueDate, r.status]),
        )
      : '<p class="empty">No improvement items yet.</p>',
    '</section>',
  );

  add('<section class="appendix"><h2>Appendix B: Participants</h2>');
  for (const team of report.participants) {
    add(`<h3>${e(team.team)}</h3>`, team.people.length ? table(['Name', 'Role'], team.people.map((p) => [p.name, p.role])) : '<p class="empty">No participants listed.</p>');
  }
  add('</section>');

  if (report.participantDevices) {
    const d = report.participantDevices;
    add(
      '<section class="appendix"><h2>Appendix C: Participants’ devices</h2>',
      '<h3>Attendance</h3>',
      table(['Name', 'Team', 'Role', 'Joined'], d.attendance),
      '<h3>Votes and confidence</h3>',
      d.votes.length ? table(['Team', 'Decision', 'Votes', 'Mean confidence', 'Dissent', 'Team recorded', 'Voted as recorded'], d.votes) : '<p class="empty">No votes.</p>',
      '<h3>Hot wash</h3>',
      d.hotWash.length ? table(['Name', 'Team', 'Question', 'Answer'], d.hotWash) : '<p class="empty">No answers.</p>',
      '</section>',
    );
  }

  add(
    '<section><h2>Integrity</h2>',
    `<table><tbody>${report.integrity.map((f) => `<tr><th scope="row">${e(f.label)}</th><td class="hash">${e(f.value)}</td></tr>`).join('')}</tbody></table>`,
    '</section>',
  );
  add('</main>', `<footer><p class="marking">${e(report.marking)}</p></footer>`);

  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${e(`${report.title} — ${report.subtitle}`)}</title>`,
    `<style>${STYLE}${pageStyle(report.marking)}</style>`,
    '</head>',
    '<body>',
    ...body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
