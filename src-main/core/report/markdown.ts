/**
 * The After-Action Report as Markdown (CommonMark with GFM tables), laid
 * out by ./layout.ts like the report screen and the HTML export. Every
 * string from the session or the scenario is escaped, so it shows as written
 * and can never become a link, an image, HTML or a heading.
 */
import type { AfterActionReport } from './aar.ts';
import { isSection, layoutReport, outcomeText, type Block, type Cell, type Section } from './layout.ts';

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

function list(items: readonly string[], empty: string, numbered = false): string {
  return items.length ? items.map((i, n) => `${numbered ? `${n + 1}.` : '-'} ${mdInline(i)}`).join('\n') : `_${mdInline(empty)}_`;
}

function cellText(c: Cell): string {
  return [c.text, ...(c.sub ?? [])].join('; ');
}

function table(head: readonly string[], rows: ReadonlyArray<readonly Cell[]>): string {
  const line = (texts: readonly string[]) => `| ${texts.map((c) => mdCell(c) || ' ').join(' | ')} |`;
  return [line(head), `|${head.map(() => ' --- ').join('|')}|`, ...rows.map((r) => line(r.map(cellText)))].join('\n');
}

function block(b: Block, multi: boolean): string[] {
  switch (b.kind) {
    case 'paragraph':
      return [b.tone === 'muted' ? `_${mdInline(b.text)}_` : mdBlock(b.text)];
    case 'list':
      return b.items.length || b.empty ? [list(b.items, b.empty, b.numbered)] : [];
    case 'facts':
      return [
        table(
          ['Item', 'Details'],
          b.items.map((f) => [{ text: f.label }, { text: f.value }]),
        ),
      ];
    case 'table':
      return [table(b.head, b.rows)];
    case 'outcomes':
      return [
        list(
          b.items.map((o) => outcomeText(o, multi)),
          'No teams.',
        ),
      ];
    case 'charts':
      return ['_The timeline and key-time charts are in the printed report._'];
  }
}

function section(s: Section, multi: boolean): string[] {
  const out = [`${'#'.repeat(s.level)} ${mdInline(s.title)}`];
  for (const item of s.blocks) out.push(...(isSection(item) ? section(item, multi) : block(item, multi)));
  return out;
}

/** Renders the report as one Markdown document (the layout of ./layout.ts). */
export function renderMarkdown(report: AfterActionReport): string {
  const layout = layoutReport(report);
  const multi = report.outcomes.length > 1;
  const marking = `> **${mdInline(layout.marking)}**`;
  const out = [marking, `# ${mdInline(layout.title)}`, `**${mdInline(layout.subtitle)}**`];
  for (const s of layout.sections) out.push(...section(s, multi));
  out.push(marking);
  return `${out.join('\n\n')}\n`;
}
