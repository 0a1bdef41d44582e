/**
 * CSV as spreadsheet programs read and write it, on top of papaparse: the one
 * module every CSV export (decision log, MSEL, improvement plan) writes with,
 * and the MSEL import reads with.
 *
 * Written files are what Excel and LibreOffice open without an import dialog:
 * UTF-8 with a byte-order mark (without it Excel guesses a legacy code page),
 * CRLF between records, quotes only where a cell needs them (a delimiter, a
 * quote, a line break, a leading or trailing space), line breaks inside cells
 * kept as LF.
 *
 * Formula injection, in every locale: a spreadsheet may split the file on
 * commas, on semicolons (most of continental Europe), on tabs, or at every
 * line break (quotes or not), so any piece of a cell that follows one of
 * those characters can become a cell of its own. Wherever such a piece would
 * start with a formula character (`=`, `+`, `-`, `@`, tab or carriage
 * return, possibly after spaces or quotes), an apostrophe is put in front of
 * it — `Ana;=1+1` is written `Ana;'=1+1`. `unprotectCell` removes exactly
 * those apostrophes again, so writing and reading give back the original
 * text.
 *
 * Pure TypeScript: papaparse needs no Node built-in and no DOM.
 */
import Papa from 'papaparse';

/** The byte-order mark Excel needs to read a CSV file as UTF-8. */
export const UTF8_BOM = '\ufeff';

/** Delimiters recognised when reading (comma, the semicolon of European locales, tab). */
export const DELIMITERS = [',', ';', '\t'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

/**
 * Where a spreadsheet may start a new cell: the start of the cell, and after
 * a comma, a semicolon, a tab or a line break.
 */
const BOUNDARY = '(?<=^|[,;\\t\\r\\n])';
/**
 * A piece that a spreadsheet would evaluate: a formula character, perhaps
 * after spaces or quotes. Pieces that already start with apostrophes before
 * such a character are protected too, so that removing one apostrophe on the
 * way back is always right.
 */
const DANGEROUS_PIECE = new RegExp(`${BOUNDARY}(?='*[ "]*[=+\\-@\\t\\r])`, 'g');
const PROTECTED_PIECE = new RegExp(`${BOUNDARY}'(?='*[ "]*[=+\\-@\\t\\r])`, 'g');

/** Neutralises a cell against formula injection however it is split (an apostrophe before each dangerous piece). */
export function protectCell(value: string): string {
  return value.replace(DANGEROUS_PIECE, "'");
}

/** Reverses `protectCell`: removes the apostrophes it added, and nothing else. */
export function unprotectCell(value: string): string {
  return value.replace(PROTECTED_PIECE, '');
}

/** Writes a header row and data rows as a spreadsheet-ready CSV text (BOM, CRLF, protected cells). */
export function writeCsv(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const text = Papa.unparse([header.map(protectCell), ...rows.map((row) => row.map(protectCell))], {
    delimiter: ',',
    newline: '\r\n',
    quotes: false,
    escapeFormulae: false,
  });
  return `${UTF8_BOM}${text}\r\n`;
}

export interface CsvTable {
  /** Every record, the header included, with cells unprotected; fully blank records are kept (as []) so numbering matches the spreadsheet. */
  records: string[][];
  delimiter: Delimiter;
  /** Spreadsheet row number of records[0] (2 when the file starts with Excel's `sep=` line). */
  firstRow: number;
  /** Records that could not be read, with their spreadsheet row number. */
  problems: Array<{ row: number; message: string }>;
}

/**
 * Reads CSV text as written by spreadsheet programs: an optional BOM, CRLF or
 * LF line ends, quoted cells spanning lines, comma, semicolon or tab
 * delimiters (from Excel's `sep=` hint, else detected on the header line).
 */
export function readCsv(input: string): CsvTable {
  let text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  let firstRow = 1;
  let delimiter: Delimiter | undefined;
  const hint = /^sep=(.)\r?\n/i.exec(text);
  if (hint && (DELIMITERS as readonly string[]).includes(hint[1]!)) {
    delimiter = hint[1] as Delimiter;
    text = text.slice(hint[0].length);
    firstRow = 2;
  }
  delimiter ??= detectDelimiter(text);
  const parsed = Papa.parse<string[]>(text, { delimiter, quoteChar: '"', escapeChar: '"', header: false, skipEmptyLines: false, dynamicTyping: false });
  const records = parsed.data.map((record) => (record.length === 1 && record[0] === '' ? [] : record.map(unprotectCell)));
  // A final line break leaves one empty record behind.
  if (records.length > 0 && records[records.length - 1]!.length === 0 && /\r?\n$|\r$/.test(text)) records.pop();
  const problems = parsed.errors
    .filter((error) => error.type === 'Quotes')
    .map((error) => ({
      row: firstRow + (error.row ?? 0),
      message:
        error.code === 'MissingQuotes'
          ? 'a quoted cell is never closed (a " is missing), so the rest of the file was read as one cell'
          : 'a quoted cell has text after its closing quote (write "" for a quote inside a quoted cell)',
    }));
  return { records, delimiter, firstRow, problems };
}

/** The delimiter used most often on the first line (outside quotes); a comma when none appears. */
export function detectDelimiter(text: string): Delimiter {
  const counts = new Map<Delimiter, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && counts.has(ch as Delimiter)) counts.set(ch as Delimiter, counts.get(ch as Delimiter)! + 1);
  }
  let best: Delimiter = ',';
  for (const d of DELIMITERS) if (counts.get(d)! > counts.get(best)!) best = d;
  return best;
}
