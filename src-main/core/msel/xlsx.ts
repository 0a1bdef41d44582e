/**
 * Reading an Excel workbook (.xlsx, Office Open XML SpreadsheetML) as the
 * cells of one sheet, the way a spreadsheet shows them, so that an MSEL
 * shared as a workbook imports like its CSV export.
 *
 * Pure: the caller unzips the workbook (src-main/app reads it with the
 * hostile-archive checks of src-main/core/bundle) and hands over its entries.
 * The XML is read with fast-xml-parser; a document type declaration is
 * refused outright (no entity expansion, no external entities), and the
 * sheet's size is capped. Cell values are written as the spreadsheet shows
 * them: shared and inline strings as they are, numbers without float noise,
 * booleans as TRUE/FALSE, and cells formatted as dates or times as
 * "YYYY-MM-DD HH:MM", "HH:MM" (a time of day) or an elapsed "H:MM" (a [h]:mm
 * format), which the MSEL importer reads as times.
 */
import { XMLParser } from 'fast-xml-parser';
import type { ArchiveLimits } from '../bundle/archive.ts';
import type { CsvTable } from '../csv.ts';

/** The hostile-archive caps (src-main/core/bundle) as they apply to a workbook. */
export const WORKBOOK_LIMITS: ArchiveLimits = {
  maxArchiveBytes: 20 * 1024 * 1024,
  maxEntries: 1_000,
  maxEntryBytes: 32 * 1024 * 1024,
  maxTotalBytes: 100 * 1024 * 1024,
  maxRatio: 100,
};

/** Most rows and columns read from a sheet (an MSEL has far fewer). */
export const MAX_SHEET_ROWS = 6_000;
export const MAX_SHEET_COLUMNS = 200;
/** Largest XML part read (characters). */
export const MAX_PART_CHARS = 16 * 1024 * 1024;
/**
 * Most cells in the sheet and strings in the shared-string table, counted
 * before the XML is parsed: parsing builds an object per element, and a
 * part full of tiny elements would otherwise hold the main process for
 * seconds and a gigabyte of memory (an MSEL has a few thousand cells).
 */
export const MAX_SHEET_CELLS = 250_000;
export const MAX_SHARED_STRINGS = 250_000;
/** Most elements of any kind in one part (empty rows, rich-text runs…), counted the same way. */
export const MAX_PART_ELEMENTS = 1_000_000;

export class WorkbookError extends Error {
  constructor(
    readonly part: string,
    readonly reason: string,
  ) {
    super(`${part}: ${reason}`);
    this.name = 'WorkbookError';
  }
}

export interface WorkbookSheet extends CsvTable {
  /** The sheet's name as the workbook shows it on its tab. */
  sheet: string;
  /** Every sheet's name, in tab order. */
  sheets: string[];
}

type XmlNode = Record<string, unknown>;

const ARRAYS = new Set(['sheet', 'Relationship', 'si', 'r', 'row', 'c', 'xf', 'numFmt']);

const XML_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&#NN;` and `&#xHH;` in one pass; anything else stays as written. */
export function decodeXmlReferences(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(?:#(\d{1,7})|#x([0-9a-fA-F]{1,6})|(amp|lt|gt|quot|apos));/g, (whole, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
    if (name !== undefined) return XML_ENTITIES[name]!;
    const code = dec !== undefined ? Number(dec) : parseInt(hex!, 16);
    return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : whole;
  });
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  entityDecoder: {
    // XML's own references only, in one pass: the five named entities and
    // numeric references (&#10; as writers other than Excel emit). The
    // parser's default decoder leaves numeric references as text; no
    // declared entities reach here (a DOCTYPE is refused).
    decode: decodeXmlReferences,
    setExternalEntities: () => {},
    addInputEntities: () => {},
    reset: () => {},
    setXmlVersion: () => {},
  },
  isArray: (name) => ARRAYS.has(name),
});

/** How many elements named `tag` (with or without a namespace prefix) the text opens, counting no further than `limit + 1`. */
function countElements(text: string, tag: string, limit: number): number {
  const pattern = new RegExp(`<(?:[A-Za-z_][\\w.-]*:)?${tag}[\\s/>]`, 'g');
  let count = 0;
  while (count <= limit && pattern.exec(text) !== null) count++;
  return count;
}

function parsePart(name: string, text: string, cap?: { tag: string; limit: number; what: string }): XmlNode {
  if (text.length > MAX_PART_CHARS) throw new WorkbookError(name, `is larger than ${MAX_PART_CHARS / 1024 / 1024} MiB of XML`);
  if (cap && countElements(text, cap.tag, cap.limit) > cap.limit) throw new WorkbookError(name, `has more than ${cap.limit} ${cap.what}`);
  let elements = 0;
  for (let i = text.indexOf('<'); i !== -1 && elements <= MAX_PART_ELEMENTS; i = text.indexOf('<', i + 1)) if (/[A-Za-z_]/.test(text[i + 1] ?? '')) elements++;
  if (elements > MAX_PART_ELEMENTS) throw new WorkbookError(name, `has more than ${MAX_PART_ELEMENTS} XML elements`);
  if (/<!DOCTYPE/i.test(text)) throw new WorkbookError(name, 'has a document type declaration, which a workbook never needs; refused');
  try {
    return parser.parse(text) as XmlNode;
  } catch (error) {
    throw new WorkbookError(name, `is not well-formed XML (${error instanceof Error ? error.message.slice(0, 120) : 'unreadable'})`);
  }
}

const child = (node: unknown, key: string): unknown => (node !== null && typeof node === 'object' ? (node as XmlNode)[key] : undefined);
const list = (node: unknown, key: string): unknown[] => {
  const value = child(node, key);
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
};
const attr = (node: unknown, name: string): string | undefined => {
  const value = child(node, `@${name}`);
  return typeof value === 'string' ? value : undefined;
};
/** The text of an element that may carry attributes (`<t xml:space="preserve">`). */
function text(node: unknown): string {
  if (typeof node === 'string') return node;
  if (typeof node === 'number' || typeof node === 'boolean') return String(node);
  const inner = child(node, '#text');
  return inner === undefined ? '' : text(inner);
}
/** The text of a string item: `<t>` or rich-text runs `<r><t>`, without phonetic runs. */
function stringItem(node: unknown): string {
  const t = child(node, 't');
  if (t !== undefined) return text(t);
  return list(node, 'r')
    .map((run) => text(child(run, 't')))
    .join('');
}

/**
 * Reads one sheet of a workbook: the sheet named `sheetName`, else the first
 * sheet whose name contains "MSEL", else the first sheet. `entries` maps part
 * names (e.g. "xl/workbook.xml") to their text.
 */
export function readWorkbookSheet(entries: ReadonlyMap<string, string>, sheetName?: string): WorkbookSheet {
  const part = (name: string, cap?: { tag: string; limit: number; what: string }): XmlNode => {
    const content = entries.get(name);
    if (content === undefined) throw new WorkbookError(name, 'is missing: this is not an Excel workbook (.xlsx)');
    return parsePart(name, content, cap);
  };
  const workbook = child(part('xl/workbook.xml'), 'workbook');
  const date1904 = /^(1|true)$/.test(attr(child(workbook, 'workbookPr'), 'date1904') ?? '');
  const sheets = list(child(workbook, 'sheets'), 'sheet').map((s) => ({ name: attr(s, 'name') ?? '', id: attr(s, 'id') ?? '' }));
  if (sheets.length === 0) throw new WorkbookError('xl/workbook.xml', 'lists no sheet');
  const chosen = (sheetName === undefined ? undefined : sheets.find((s) => s.name === sheetName)) ?? sheets.find((s) => /msel/i.test(s.name)) ?? sheets[0]!;
  if (sheetName !== undefined && chosen.name !== sheetName) {
    throw new WorkbookError('xl/workbook.xml', `has no sheet named ${JSON.stringify(sheetName)} (its sheets: ${sheets.map((s) => JSON.stringify(s.name)).join(', ')})`);
  }

  const rels = list(child(part('xl/_rels/workbook.xml.rels'), 'Relationships'), 'Relationship');
  const target = attr(
    rels.find((r) => attr(r, 'Id') === chosen.id),
    'Target',
  );
  if (!target) throw new WorkbookError('xl/_rels/workbook.xml.rels', `does not say where sheet ${JSON.stringify(chosen.name)} is`);
  const sheetPath = target.startsWith('/') ? target.slice(1) : `xl/${target}`.replace(/\/\.\//g, '/');

  const shared = entries.has('xl/sharedStrings.xml')
    ? list(child(part('xl/sharedStrings.xml', { tag: 'si', limit: MAX_SHARED_STRINGS, what: 'shared strings' }), 'sst'), 'si').map(stringItem)
    : [];
  const styles = entries.has('xl/styles.xml') ? dateStyles(part('xl/styles.xml')) : [];

  const rows = list(child(child(part(sheetPath, { tag: 'c', limit: MAX_SHEET_CELLS, what: 'cells' }), 'worksheet'), 'sheetData'), 'row');
  if (rows.length > MAX_SHEET_ROWS) throw new WorkbookError(sheetPath, `has more than ${MAX_SHEET_ROWS} rows`);
  const records: string[][] = [];
  let nextRow = 1;
  for (const row of rows) {
    const number = Number(attr(row, 'r') ?? nextRow);
    if (!Number.isInteger(number) || number < nextRow || number > 1_048_576) throw new WorkbookError(sheetPath, `has a row numbered ${String(attr(row, 'r'))} out of order`);
    if (number > MAX_SHEET_ROWS + 1) throw new WorkbookError(sheetPath, `has more than ${MAX_SHEET_ROWS} rows`);
    while (records.length < number - 1) records.push([]); // rows the sheet leaves out are empty
    if (records.length > MAX_SHEET_ROWS) throw new WorkbookError(sheetPath, `has more than ${MAX_SHEET_ROWS} rows`);
    nextRow = number + 1;
    const cells: string[] = [];
    let nextColumn = 0;
    for (const cell of list(row, 'c')) {
      const ref = attr(cell, 'r');
      const column = ref === undefined ? nextColumn : columnIndex(ref);
      if (column < 0 || column >= MAX_SHEET_COLUMNS) throw new WorkbookError(sheetPath, `has a cell ${ref ?? ''} beyond column ${MAX_SHEET_COLUMNS}`);
      nextColumn = column + 1;
      while (cells.length < column) cells.push('');
      cells[column] = cellText(cell, shared, styles, date1904);
    }
    records.push(cells);
  }
  while (records.length > 0 && records[records.length - 1]!.every((c) => c.trim() === '')) records.pop();
  return { records, delimiter: ',', firstRow: 1, problems: [], sheet: chosen.name, sheets: sheets.map((s) => s.name) };
}

/** "B12" → 1. */
function columnIndex(ref: string): number {
  const letters = /^([A-Z]{1,3})\d*$/.exec(ref.toUpperCase())?.[1];
  if (!letters) return -1;
  let n = 0;
  for (const letter of letters) n = n * 26 + (letter.charCodeAt(0) - 64);
  return n - 1;
}

type DateStyle = 'date' | 'elapsed' | null;

/** For each cell style (index of cellXfs), whether its number format shows a date/time or an elapsed time. */
function dateStyles(styles: XmlNode): DateStyle[] {
  const sheet = child(styles, 'styleSheet');
  const custom = new Map<string, string>();
  for (const format of list(child(sheet, 'numFmts'), 'numFmt')) custom.set(attr(format, 'numFmtId') ?? '', attr(format, 'formatCode') ?? '');
  return list(child(sheet, 'cellXfs'), 'xf').map((xf) => {
    const id = attr(xf, 'numFmtId') ?? '0';
    const code = custom.get(id);
    if (code !== undefined) return formatKind(code);
    const n = Number(id);
    if (n === 46) return 'elapsed'; // [h]:mm:ss
    return (n >= 14 && n <= 22) || (n >= 45 && n <= 47) || (n >= 27 && n <= 36) || (n >= 50 && n <= 58) ? 'date' : null;
  });
}

function formatKind(code: string): DateStyle {
  const bare = code
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/\[(?![hms]+\])[^\]]*\]/gi, '');
  if (/\[(h+|m+|s+)\]/i.test(bare)) return 'elapsed';
  if (/general/i.test(bare)) return null;
  return /[ydhs]/i.test(bare) || (/m/i.test(bare) && !/[0#]/.test(bare)) ? 'date' : null;
}

function cellText(cell: unknown, shared: readonly string[], styles: readonly DateStyle[], date1904: boolean): string {
  const type = attr(cell, 't') ?? 'n';
  const value = text(child(cell, 'v'));
  switch (type) {
    case 's':
      return shared[Number(value)] ?? '';
    case 'inlineStr':
      return stringItem(child(cell, 'is'));
    case 'str':
    case 'e':
      return value;
    case 'b':
      return value === '1' ? 'TRUE' : value === '0' ? 'FALSE' : value;
    case 'd':
      return value.replace('T', ' ').replace(/(:\d{2})(\.\d+)?Z?$/, '$1');
    default: {
      if (value === '') return '';
      const number = Number(value);
      if (!Number.isFinite(number)) return value;
      const style = styles[Number(attr(cell, 's') ?? 0)] ?? null;
      if (style === 'elapsed') return elapsed(number);
      if (style === 'date') return serialDate(number, date1904);
      return String(Number(number.toPrecision(15)));
    }
  }
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A serial day count shown as an elapsed time, "H:MM" (or "H:MM:SS"). */
function elapsed(days: number): string {
  const seconds = Math.round(days * 86_400);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${pad(h)}:${pad(m)}${s === 0 ? '' : `:${pad(s)}`}`;
}

/** A serial date (days since 1899-12-30, or 1904-01-01) as "YYYY-MM-DD HH:MM"; under one day, a time of day "HH:MM". */
function serialDate(serial: number, date1904: boolean): string {
  const seconds = Math.round(serial * 86_400);
  const time = seconds % 86_400;
  const clock = `${pad(Math.floor(time / 3600))}:${pad(Math.floor((time % 3600) / 60))}${time % 60 === 0 ? '' : `:${pad(time % 60)}`}`;
  if (serial < 1) return clock;
  const epoch = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30);
  const date = new Date(epoch + Math.floor(seconds / 86_400) * 86_400_000);
  const day = `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  return time === 0 ? day : `${day} ${clock}`;
}
