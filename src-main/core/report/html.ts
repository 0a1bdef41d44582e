/**
 * The After-Action Report as one standalone HTML document, laid out by
 * ./layout.ts like the report screen and the Markdown export, styled for print
 * (A4 or Letter; "Save as PDF" gives the PDF). It loads nothing — no fonts,
 * images, scripts or style sheets from anywhere — and its Content-Security-
 * Policy forbids them all, scripts included. Every string is HTML-escaped;
 * the marking printed in the page margins is escaped as a CSS string.
 */
import type { AfterActionReport } from './aar.ts';
import { isSection, layoutReport, type Block, type Cell, type Section } from './layout.ts';

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Quotes text as a CSS string literal; anything but letters, digits and spaces is hex-escaped. */
export function cssString(text: string): string {
  return `"${Array.from(text)
    .map((c) => (/[A-Za-z0-9 ]/.test(c) ? c : `\\${c.codePointAt(0)!.toString(16)} `))
    .join('')}"`;
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
span.sub { display: block; font-size: 0.88em; color: #333; }
.muted { color: #444; font-style: italic; }
td.tone-caveat span.sub:last-child { font-weight: 700; color: #8a1c14; }
.outcomes { list-style: none; padding: 0; }
.outcome { border-left: 6px solid #888; padding: 0.3rem 0.6rem; margin: 0.4rem 0; background: #f6f6f6; }
.result-success { border-color: #1e7a3a; } .result-partial { border-color: #b36b00; } .result-failure { border-color: #b3261e; }
.hash { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 0.85em; overflow-wrap: anywhere; }
@media print {
  body { max-width: none; padding: 0; font-size: 9.5pt; }
  .page-break { break-before: page; }
}
`;

function pageStyle(marking: string): string {
  const m = cssString(marking);
  return `@page { size: auto; margin: 18mm 15mm; @top-center { content: ${m}; font: 700 9pt system-ui, sans-serif; } @bottom-center { content: ${m}; font: 700 9pt system-ui, sans-serif; } @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8pt system-ui, sans-serif; } }`;
}

const e = escapeHtml;

function list(items: readonly string[], empty: string, numbered = false): string {
  if (!items.length) return empty ? `<p class="empty">${e(empty)}</p>` : '';
  const tag = numbered ? 'ol' : 'ul';
  return `<${tag}>${items.map((i) => `<li class="pre">${e(i)}</li>`).join('')}</${tag}>`;
}

function cellHtml(c: Cell): string {
  const sub = (c.sub ?? []).map((s) => `<span class="sub">${e(s)}</span>`).join('');
  return `${e(c.text)}${sub}`;
}

function table(label: string, head: readonly string[], rows: ReadonlyArray<readonly Cell[]>, rowHeaders: boolean): string {
  const headHtml = `<thead><tr>${head.map((h) => `<th scope="col">${e(h)}</th>`).join('')}</tr></thead>`;
  const body = rows
    .map(
      (cells) =>
        `<tr>${cells
          .map((c, i) => {
            const tone = c.tone ? ` class="tone-${c.tone}"` : '';
            return i === 0 && rowHeaders ? `<th scope="row">${cellHtml(c)}</th>` : `<td${tone}>${cellHtml(c)}</td>`;
          })
          .join('')}</tr>`,
    )
    .join('');
  return `<table aria-label="${e(label)}">${headHtml}<tbody>${body}</tbody></table>`;
}

function block(b: Block, multi: boolean): string {
  switch (b.kind) {
    case 'paragraph':
      return `<p class="pre${b.tone === 'muted' ? ' muted' : ''}">${e(b.text)}</p>`;
    case 'list':
      return list(b.items, b.empty, b.numbered);
    case 'facts':
      return `<table class="facts"><tbody>${b.items.map((f) => `<tr><th scope="row">${e(f.label)}</th><td${b.mono ? ' class="hash"' : ''}>${e(f.value)}</td></tr>`).join('')}</tbody></table>`;
    case 'table':
      return table(b.label, b.head, b.rows, b.rowHeaders);
    case 'outcomes':
      return `<ul class="outcomes">${b.items
        .map(
          (o) =>
            `<li class="outcome result-${e(o.result ?? 'none')}"><strong>${e(multi ? `${o.team}: ` : '')}${e(o.ending ?? 'No ending')}</strong> — ${e(o.resultWords)}<span class="sub">${e(o.detail)}</span></li>`,
        )
        .join('')}</ul>`;
    case 'charts':
      return '<p class="empty">The timeline and key-time charts are drawn in the report view of the app.</p>';
  }
}

function section(s: Section, multi: boolean): string {
  const h = `h${s.level}`;
  const inner = s.blocks.map((item) => (isSection(item) ? section(item, multi) : block(item, multi))).join('');
  return `<section id="${e(s.id)}"${s.pageBreak ? ' class="page-break"' : ''}><${h}>${e(s.title)}</${h}>${inner}</section>`;
}

/** Renders the report as a standalone HTML document (the layout of ./layout.ts). */
export function renderHtml(report: AfterActionReport): string {
  const layout = layoutReport(report);
  const multi = report.outcomes.length > 1;
  const body = [
    `<header><p class="marking">${e(layout.marking)}</p><h1>${e(layout.title)}</h1><p class="subtitle">${e(layout.subtitle)}</p></header>`,
    '<main>',
    ...layout.sections.map((s) => section(s, multi)),
    '</main>',
    `<footer><p class="marking">${e(layout.marking)}</p></footer>`,
  ];

  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${e(`${layout.title} — ${layout.subtitle}`)}</title>`,
    `<style>${STYLE}${pageStyle(layout.marking)}</style>`,
    '</head>',
    '<body>',
    ...body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
