/**
 * The after-action report's Markdown (from `reports.export`, format `md`)
 * cut into its sections, so the report view can give each HSEEP section its
 * own heading, page break and charts while every word still comes from the
 * one report model main renders (src-main/core/report).
 *
 * The exporter escapes every string from a session or a scenario, block
 * markers included, so a line that starts with `#` is always one of its own
 * headings, never text someone typed.
 */

export interface ReportPart {
  title: string;
  /** Markdown under the heading, up to the next heading. */
  body: string;
}

export interface ReportSubsection extends ReportPart {
  /** `####` headings under this `###` heading. */
  parts: ReportPart[];
}

export interface ReportSection extends ReportPart {
  /** `###` headings under this `##` heading. */
  subsections: ReportSubsection[];
}

export interface ParsedReport {
  /** The sensitivity marking (the quoted line at the top and bottom of the document). */
  marking: string;
  title: string;
  /** Markdown between the title and the first section (the subtitle). */
  preamble: string;
  sections: ReportSection[];
}

/** CommonMark backslash escapes undone: heading text shown as text, not Markdown. */
export function unescapeMarkdown(text: string): string {
  return text.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

/** `> **marking**` → `marking`; null if the line is not a marking. */
function markingOf(line: string): string | null {
  const match = /^>\s*\*\*(.*)\*\*\s*$/.exec(line);
  return match ? unescapeMarkdown(match[1]!) : null;
}

/** Cuts the report's Markdown into title, marking and sections. */
export function parseReport(markdown: string): ParsedReport {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  while (lines.length && lines.at(-1)!.trim() === '') lines.pop();

  let marking = '';
  const first = lines[0] !== undefined ? markingOf(lines[0]) : null;
  if (first !== null) {
    marking = first;
    lines.shift();
    // The marking is repeated as the document's last line.
    if (lines.length && markingOf(lines.at(-1)!) === first) lines.pop();
  }

  let title = '';
  const preamble: string[] = [];
  const sections: ReportSection[] = [];
  /** The Markdown lines under each heading, joined once every line is read. */
  const bodies = new Map<ReportPart, string[]>();
  let body: string[] = preamble;

  for (const line of lines) {
    const heading = /^(#{1,4}) (.*)$/.exec(line);
    if (!heading) {
      body.push(line);
      continue;
    }
    const level = heading[1]!.length;
    const text = unescapeMarkdown(heading[2]!.trim());
    if (level === 1) {
      title = text;
      body = preamble;
    } else if (level === 2) {
      const section: ReportSection = { title: text, body: '', subsections: [] };
      sections.push(section);
      body = [];
      bodies.set(section, body);
    } else {
      const section = sections.at(-1);
      if (!section) {
        body.push(line);
        continue;
      }
      if (level === 3) {
        const sub: ReportSubsection = { title: text, body: '', parts: [] };
        section.subsections.push(sub);
        body = [];
        bodies.set(sub, body);
      } else {
        const sub = section.subsections.at(-1);
        if (!sub) {
          body.push(line);
          continue;
        }
        const part: ReportPart = { title: text, body: '' };
        sub.parts.push(part);
        body = [];
        bodies.set(part, body);
      }
    }
  }
  for (const [part, text] of bodies) part.body = text.join('\n').trim();
  return { marking, title, preamble: preamble.join('\n').trim(), sections };
}
