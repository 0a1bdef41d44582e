/**
 * MSELs as practitioners publish them (tests/fixtures/msel/README.md): a
 * real T3SF workbook, a "Date/Time Delivered" column set, a T+min sheet
 * grouped by storyline; and workbooks as hostile archives.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isZip, previewMselFile } from '../../src-main/app/interop.ts';
import { writeZip } from '../../src-main/app/zip.ts';
import { previewMselImport } from '../../src-main/core/msel/import.ts';
import { channelFor } from '../../src-main/core/msel/values.ts';
import { MAX_PART_ELEMENTS, MAX_SHARED_STRINGS, MAX_SHEET_CELLS, readWorkbookSheet, WORKBOOK_LIMITS } from '../../src-main/core/msel/xlsx.ts';
import type { InjectNode, Scenario } from '../../src-main/core/scenario/schema.ts';

const DIR = join(import.meta.dirname, '../fixtures/msel');
const fixture = (name: string) => readFileSync(join(DIR, name));

function injects(scenario: Scenario): InjectNode[] {
  const byId = new Map(scenario.timeline.map((n) => [n.id, n]));
  const chain: InjectNode[] = [];
  for (let node = byId.get(scenario.start); node?.type === 'inject'; node = byId.get(node.next)) chain.push(node);
  return chain;
}

describe('a T+min MSEL grouped by storyline, without a sequence column', () => {
  const preview = previewMselImport(fixture('tplus-storylines.csv').toString('utf8'), { scenarioId: 'storylines' });

  it('takes "T+min" as the time column and reads T+5 … T+95', () => {
    expect(preview.mapping.find((m) => m.header === 'T+min')?.field).toBe('time');
    expect(preview.problems).toEqual([]);
    expect(preview.rows.map((r) => r.minutes)).toEqual([5, 10, 15, 25, 35, 45, 50, 60, 70, 95]);
  });

  it('orders the rows by time and says so once', () => {
    const draft = preview.draft!;
    expect(injects(draft).map((i) => i.at)).toEqual([5, 10, 15, 25, 35, 45, 50, 60, 70, 95]);
    const ordering = preview.warnings.filter((w) => /order/.test(w.message));
    expect(ordering).toHaveLength(1);
    expect(ordering[0]!.message).toMatch(/no sequence column, so the rows were put in T\+min order/);
  });

  it('matches free-text methods by meaning, and keeps the characters of generated titles', () => {
    const byMessage = new Map(injects(preview.draft!).map((i) => [i.narrative.slice(0, 20), i]));
    expect(byMessage.get('Several users report')?.channel).toBe('email'); // "Email printout"
    expect(byMessage.get('EDR shows vssadmin d')?.channel).toBe('chat'); // "Chat message"
    expect(byMessage.get('The vendor asks whet')?.channel).toBe('phone'); // "Phone call"
    const title = injects(preview.draft!).find((i) => i.narrative.startsWith('risk_score'))!.title;
    expect(title).toBe('risk_score.mean jumped from 0.2 to 0.9 overnight; the model bucket looks public.');
  });
});

describe('a "Date/Time Delivered" MSEL', () => {
  const preview = previewMselImport(fixture('date-time-delivered.csv').toString('utf8'));

  it('takes the column as the time, read as minutes after the earliest, and warns that it did', () => {
    expect(preview.mapping.find((m) => m.header === 'Date/Time Delivered')?.field).toBe('time');
    expect(preview.problems).toEqual([]);
    expect(preview.rows.map((r) => r.minutes)).toEqual([0, 15, 40, 65]);
    expect(preview.warnings.map((w) => w.message).join('\n')).toMatch(/Date\/Time Delivered holds times of day and dates.*09:00 is 00:00/);
    expect(injects(preview.draft!).map((i) => i.channel)).toEqual(['report', 'phone', 'social-media', 'email']);
  });
});

describe('time columns and values as spreadsheets hold them', () => {
  it('reads T+5, 0:05, 00:05:00 and 5 min in any column whose header speaks of time', () => {
    for (const header of ['T+min', 'T+', 'Minute', 'Offset (mins)', 'Time delivered', 'Inject timing', 'Elapsed']) {
      const preview = previewMselImport(`Seq,${header},Message\n1,T+5,a\n2,0:06,b\n3,00:07:00,c\n4,8 min,d\n`);
      expect(preview.mapping[1]!.field, header).toBe('time');
      expect(
        preview.rows.map((r) => r.minutes),
        header,
      ).toEqual([5, 6, 7, 8]);
      expect(preview.warnings, header).toEqual([]);
    }
  });

  it('warns, before anything is saved, when no column is the time', () => {
    const preview = previewMselImport('Seq,When it happens to the team,Message\n1,soon,a\n2,later,b\n');
    expect(preview.mapping[1]!.field).toBeNull();
    expect(preview.draft).not.toBeNull();
    expect(preview.warnings[0]!.message).toMatch(/no column was recognised as the scenario time.*delivered at 00:00/);
  });

  it('says times that go back in sequence order once, naming the rows', () => {
    const rows = ['Seq,Time,Message', '1,00:50,start', ...Array.from({ length: 40 }, (_, i) => `${i + 2},00:${String(10 + (i % 30)).padStart(2, '0')},row ${i}`)];
    const preview = previewMselImport(rows.join('\n'));
    expect(preview.problems).toHaveLength(1);
    expect(preview.problems[0]!.message).toMatch(/earlier than 00:50 on row 2.*40 rows in all/);
  });

  it('matches channels by meaning', () => {
    expect(channelFor('Email printout')).toBe('email');
    expect(channelFor('Chat message')).toBe('chat');
    expect(channelFor('Verbal + artifact')).toBe('in-person');
    expect(channelFor('Social media post')).toBe('social-media');
    expect(channelFor('Printed handout')).toBe('report');
    expect(channelFor('Carrier pigeon')).toBeNull();
    expect(channelFor('X')).toBe('social-media');
    expect(channelFor('Exhibit X')).toBeNull();
  });
});

describe('an Excel workbook (.xlsx) as T3SF publishes it', () => {
  it('is read directly: the sheet, its headers, its times of day', async () => {
    const bytes = fixture('t3sf/MSEL.xlsx');
    expect(isZip(bytes)).toBe(true);
    const preview = await previewMselFile(bytes, 'MSEL.xlsx');
    expect(preview.sheet).toBe('main');
    expect(preview.problems).toEqual([]);
    expect(preview.mapping.map((m) => [m.header, m.field])).toEqual(
      expect.arrayContaining([
        ['#', 'sequence'],
        ['Real Time', 'time'],
        ['Subject', 'subject'],
        ['From', 'from'],
        ['Player', 'to'],
        ['Script', 'message'],
      ]),
    );
    // The sheet's first row is "Anomalous Files Detected" at 07:29 PM (19:29), as in T3SF's JSON.
    const json = JSON.parse(fixture('t3sf/MSEL_EXAMPLE.json').toString('utf8')) as Array<Record<string, unknown>>;
    expect(preview.rows[0]).toMatchObject({ time: '19:29', minutes: 0, subject: json[0]!.Subject, message: json[0]!.Script });
    expect(preview.rows.map((r) => r.subject)).toEqual(json.map((r) => r.Subject));
    expect(preview.warnings.map((w) => w.message).join('\n')).toMatch(/Real Time holds times of day/);
    expect(preview.draft?.meta.id).toBe('msel');
  });

  it('reads a workbook written by another program the same way (inline strings, a [h]:mm column)', async () => {
    const workbook = await buildWorkbook(
      '<row r="1"><c r="A1" t="inlineStr"><is><t>Seq</t></is></c><c r="B1" t="inlineStr"><is><t>T+</t></is></c><c r="C1" t="inlineStr"><is><t>Inject</t></is></c></row>' +
        '<row r="3"><c r="A3"><v>1</v></c><c r="B3" s="1"><v>0.003472222222222222</v></c><c r="C3" t="inlineStr"><is><r><t>Phishing </t></r><r><t xml:space="preserve">reported</t></r></is></c></row>' +
        '<row r="4"><c r="A4"><v>2</v></c><c r="B4" s="1"><v>1.0625</v></c><c r="C4" t="inlineStr"><is><t>Day two</t></is></c></row>',
    );
    const preview = await previewMselFile(workbook, 'generated.xlsx');
    expect(preview.problems).toEqual([]);
    expect(preview.rows.map((r) => [r.time, r.minutes, r.message])).toEqual([
      ['00:05', 5, 'Phishing reported'],
      ['25:30', 1530, 'Day two'],
    ]);
  });
});

describe('workbooks as hostile archives', () => {
  it('refuses a zip bomb: an entry that inflates far beyond its compressed size', async () => {
    const bomb = await writeZip([{ name: 'xl/worksheets/sheet1.xml', data: new Uint8Array(40 * 1024 * 1024) }], new Date(0));
    const preview = await previewMselFile(bomb, 'bomb.xlsx');
    expect(preview.draft).toBeNull();
    expect(preview.problems[0]!.message).toMatch(/^the workbook was refused: .*(ratio|larger|more than)/);
  });

  it('refuses too many entries', async () => {
    const many = await writeZip(
      Array.from({ length: 1_001 }, (_, i) => ({ name: `xl/media/image${i}.png`, data: new Uint8Array(1) })),
      new Date(0),
    );
    const preview = await previewMselFile(many, 'many.xlsx');
    expect(preview.problems[0]!.message).toMatch(/the workbook was refused: .*1001 entries/);
  });

  it('refuses XML with a document type declaration (entity expansion)', async () => {
    const workbook = await buildWorkbook('<row r="1"><c r="A1" t="inlineStr"><is><t>&lol;</t></is></c></row>', '<!DOCTYPE lolz [<!ENTITY lol "lol">]>');
    const preview = await previewMselFile(workbook, 'lol.xlsx');
    expect(preview.problems[0]!.message).toMatch(/the workbook was refused: .*document type declaration/);
  });

  it('refuses a sheet of too many tiny cells before parsing it (seconds and a gigabyte otherwise)', () => {
    const parts = new Map([
      ['xl/workbook.xml', '<workbook><sheets><sheet name="S" id="rId1"/></sheets></workbook>'],
      ['xl/_rels/workbook.xml.rels', '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>'],
      ['xl/worksheets/sheet1.xml', `<worksheet><sheetData><row r="1">${'<c><v>1</v></c>'.repeat(MAX_SHEET_CELLS + 1)}</row></sheetData></worksheet>`],
    ]);
    expect(() => readWorkbookSheet(parts)).toThrow(/xl\/worksheets\/sheet1.xml: has more than 250000 cells/);
  });

  it('refuses a shared-string table of a million entries before parsing it', () => {
    const parts = new Map([
      ['xl/workbook.xml', '<workbook><sheets><sheet name="S" id="rId1"/></sheets></workbook>'],
      ['xl/_rels/workbook.xml.rels', '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>'],
      ['xl/sharedStrings.xml', `<x:sst>${'<x:si><x:t>x</x:t></x:si>'.repeat(MAX_SHARED_STRINGS + 1)}</x:sst>`],
      ['xl/worksheets/sheet1.xml', '<worksheet><sheetData/></worksheet>'],
    ]);
    expect(() => readWorkbookSheet(parts)).toThrow(/xl\/sharedStrings.xml: has more than 250000 shared strings/);
  });

  it('refuses a part of over a million elements of any kind (empty rows) before parsing it', () => {
    const parts = new Map([
      ['xl/workbook.xml', '<workbook><sheets><sheet name="S" id="rId1"/></sheets></workbook>'],
      ['xl/_rels/workbook.xml.rels', '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>'],
      ['xl/worksheets/sheet1.xml', `<worksheet><sheetData>${'<row/>'.repeat(MAX_PART_ELEMENTS)}</sheetData></worksheet>`],
    ]);
    expect(() => readWorkbookSheet(parts)).toThrow(/xl\/worksheets\/sheet1.xml: has more than 1000000 XML elements/);
  });

  it('refuses a row numbered far beyond the cap without filling the rows before it', async () => {
    const preview = await previewMselFile(await buildWorkbook('<row r="1048576"><c><v>1</v></c></row>'), 'far.xlsx');
    expect(preview.problems[0]!.message).toMatch(/has more than 6000 rows/);
  });

  it('decodes numeric character references as other writers than Excel emit them', async () => {
    const workbook = await buildWorkbook('<row r="1"><c r="A1" t="inlineStr"><is><t>Ana&#10;B&#x26;B &amp;#61; &nbsp;</t></is></c></row>');
    const { readZip } = await import('../../src-main/app/zip.ts');
    const files = await readZip(workbook, WORKBOOK_LIMITS);
    const parts = new Map([...files].map(([name, data]) => [name, Buffer.from(data).toString('utf8')]));
    expect(readWorkbookSheet(parts).records[0]).toEqual(['Ana\nB&B &#61; &nbsp;']);
  });

  it('refuses a zip that is not a workbook, saying so', async () => {
    const zip = await writeZip([{ name: 'readme.txt', data: Buffer.from('hello') }], new Date(0));
    const preview = await previewMselFile(zip, 'not-a-workbook.xlsx');
    expect(preview.problems[0]!.message).toMatch(/xl\/workbook.xml: is missing: this is not an Excel workbook/);
  });
});

/** A minimal workbook around `rows` (one sheet; cell style 1 is the elapsed-time format [h]:mm). */
async function buildWorkbook(rows: string, doctype = ''): Promise<Buffer> {
  const xml = (body: string) => Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>${body}`);
  return writeZip(
    [
      { name: '[Content_Types].xml', data: xml('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>') },
      {
        name: 'xl/workbook.xml',
        data: xml(
          '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        ),
      },
      {
        name: 'xl/_rels/workbook.xml.rels',
        data: xml(
          '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        ),
      },
      {
        name: 'xl/styles.xml',
        data: xml(
          '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="[h]:mm"/></numFmts><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs></styleSheet>',
        ),
      },
      {
        name: 'xl/worksheets/sheet1.xml',
        data: xml(`${doctype}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}</sheetData></worksheet>`),
      },
    ],
    new Date(0),
  );
}
