/**
 * CSV as spreadsheet programs read and write it, on top of papaparse.
 *
 * Written files are what Excel and LibreOffice open without an import dialog:
 * UTF-8 with a byte-order mark (without it Excel guesses a legacy code page),
 * CRLF between records, quotes only where a cell needs them (a delimiter, a
 * quote, a line break, a leading or trailing space), line breaks inside cells
 * kept as LF. A cell that a spreadsheet would run as a formula is neutralised
 * with a leading apostrophe; `unprotectCell` removes exactly that apostrophe
 * again, so writing and reading give back the original text.
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
 * Cells a spreadsheet would evaluate: those starting with `=`, `+`, `-`, `@`,
 * tab or carriage return. Cells that already start with apostrophes before
 * such a character are protected too, so that removing one apostrophe on the
 * way back is always right.
 */
const FORMULA_TRIGGER = /^'*[=+\-@\t\r]/;
const PROTECTED = /^'+[=+\-@\t\r]/;

/** Neutralises a cell against formula injection (prefixes an apostrophe when needed). */
export function protectCell(value: string): string {
  return FORMULA_TRIGGER.test(value) ? `'${value}` : value;
}

/** Reverses `protectCell`: removes the one apostrophe it added, and nothing else. */
export function unprotectCell(value: string): string {
  return PROTECTED.test(value) ? value.slice(1) : value;
}

/** Writes a header row and data rows as a spreadsheet-ready CSV text (BOM, CRLF, protected cells). */
export function writeCsv(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const text = Papa.unparse([header.slice(), ...rows.map((row) => row.slice())], {
    delimiter: ',',
    newline: '\r\n',
    quotes: false,
    escapeFormulae: FORMULA_TRIGGER,
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
