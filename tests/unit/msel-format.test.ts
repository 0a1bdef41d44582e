import { describe, expect, it } from 'vitest';
import { fieldForHeader, mapHeaders, normaliseHeader } from '../../src-main/core/msel/columns.ts';
import { detectDelimiter, protectCell, readCsv, unprotectCell, writeCsv } from '../../src-main/core/csv.ts';
import { channelFor, compareSequence, formatScenarioTime, kindFor, parseScenarioTime, parseSequence, splitList } from '../../src-main/core/msel/values.ts';

describe('MSEL CSV writing', () => {
  it('writes what spreadsheets open: BOM, CRLF records, quoted commas, quotes and line breaks', () => {
    const csv = writeCsv(
      ['A', 'B', 'C'],
      [
        ['plain', 'one, two', 'say "hi"'],
        ['line 1\nline 2', ' padded ', ''],
      ],
    );
    expect(csv.startsWith('\ufeffA,B,C\r\n')).toBe(true);
    expect(csv).toBe('\ufeffA,B,C\r\nplain,"one, two","say ""hi"""\r\n"line 1\nline 2"," padded ",\r\n');
  });

  it('neutralises formula cells with an apostrophe, and reading takes it away again', () => {
    const dangerous = ['=HYPERLINK("http://x")', '+1', '-2', '@SUM(A1)', '\tcmd', '\rcmd', "'=already quoted", "''+twice"];
    const csv = writeCsv(
      ['cell'],
      dangerous.map((d) => [d]),
    );
    const records = readCsv(csv)
      .records.slice(1)
      .map((r) => r[0]);
    expect(records).toEqual(dangerous);
    for (const d of dangerous) expect(protectCell(d).startsWith("'")).toBe(true);
    // In the file itself no cell starts with a formula character.
    const body = csv.slice(csv.indexOf('\r\n') + 2);
    expect(
      body
        .split('\r\n')
        .filter(Boolean)
        .every((line) => /^"?'/.test(line)),
    ).toBe(true);
  });

  it('leaves ordinary cells alone, including apostrophes that protect nothing', () => {
    for (const value of ["'quoted'", 'a=b', 'x-1', '', '•  bullet']) {
      expect(protectCell(value)).toBe(value);
      expect(unprotectCell(value)).toBe(value);
    }
  });
});

describe('MSEL CSV reading', () => {
  it('reads CRLF, BOM and quoted cells spanning lines', () => {
    const table = readCsv('\ufeffSeq,Message\r\n1,"first line\r\nsecond line"\r\n2,"with ""quotes"", and a comma"\r\n');
    expect(table.delimiter).toBe(',');
    expect(table.records).toEqual([
      ['Seq', 'Message'],
      ['1', 'first line\r\nsecond line'],
      ['2', 'with "quotes", and a comma'],
    ]);
    expect(table.problems).toEqual([]);
  });

  it("detects the semicolon and tab variants from the header line, and honours Excel's sep= line", () => {
    expect(readCsv('Seq;Time;Message\n1;00:15;Hello, world\n').records[1]).toEqual(['1', '00:15', 'Hello, world']);
    expect(readCsv('Seq\tMessage\n1\ta;b,c\n').delimiter).toBe('\t');
    const hinted = readCsv('sep=;\r\nSeq;Message\r\n1;Hi, there\r\n');
    expect(hinted).toMatchObject({
      delimiter: ';',
      firstRow: 2,
      records: [
        ['Seq', 'Message'],
        ['1', 'Hi, there'],
      ],
    });
    expect(detectDelimiter('"a,b";"c,d";"e,f,g"\n')).toBe(';');
  });

  it('reports an unclosed quote with its row number', () => {
    const table = readCsv('Seq,Message\n1,ok\n2,"never closed\n3,lost\n');
    expect(table.problems).toHaveLength(1);
    expect(table.problems[0]!.row).toBe(3);
    expect(table.problems[0]!.message).toContain('never closed');
  });
});

describe('MSEL headers', () => {
  it('normalises case, spacing and punctuation but keeps # and +', () => {
    expect(normaliseHeader('Inject #')).toBe('injectnumber');
    expect(normaliseHeader('T+')).toBe('tplus');
    expect(normaliseHeader(' Expected Action(s) ')).toBe('expectedactions');
    expect(normaliseHeader('Délivery Méthod')).toBe('deliverymethod');
  });

  it.each([
    ['Inject #', 'sequence'],
    ['No.', 'sequence'],
    ['Seq', 'sequence'],
    ['Time', 'time'],
    ['Scenario Time', 'time'],
    ['T+', 'time'],
    ['Scenario time (HH:MM)', 'time'],
    ['Method', 'channel'],
    ['Delivery method', 'channel'],
    ['CHANNEL', 'channel'],
    ['Description', 'message'],
    ['Inject', 'message'],
    ['Message', 'message'],
    ['Expected action(s)', 'expectedAction'],
    ['Expected player action', 'expectedAction'],
    ['From (originator)', 'from'],
    ['Recipient', 'to'],
    ['Objective / capability addressed', 'objective'],
    ['Responsible controller', 'controller'],
    ['Status and notes', 'notes'],
    ['Actual delivery time', 'actualTime'],
  ])('"%s" → %s', (header, field) => {
    expect(fieldForHeader(header)).toBe(field);
  });

  it('keeps unknown and duplicate columns as notes, and says which ones describe a past run', () => {
    const mapping = mapHeaders(['Seq', 'Description', 'Message', 'Weather', 'Status']);
    expect(mapping.map((m) => m.field)).toEqual(['sequence', 'message', null, null, 'status']);
    expect(mapping[2]!.note).toContain('"Description" already gives the message');
    expect(mapping[4]!.note).toContain('not imported');
  });
});

describe('MSEL values', () => {
  it.each([
    ['00:15', 15],
    ['0:15:00', 15],
    ['1:05', 65],
    ['T+15', 15],
    ['t + 00:15', 15],
    ['+15', 15],
    ['15', 15],
    ['15 min', 15],
    ['15 minutes', 15],
    ['1h 5m', 65],
    ['1h5m', 65],
    ['1 hour, 5 minutes', 65],
    ['1.5h', 90],
    ['00:02:30', 2.5],
    ['', null],
  ])('reads the scenario time "%s" as %s minutes', (text, minutes) => {
    expect(parseScenarioTime(text)).toEqual({ ok: true, minutes });
  });

  it.each(['soon', '10:75', '5m 1h', '1h 1h', '8d'])('refuses the scenario time "%s" with a reason', (text) => {
    const read = parseScenarioTime(text);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.message).toContain(text);
  });

  it('writes scenario times as HH:MM, with seconds only when needed, past 24 hours', () => {
    expect(formatScenarioTime(0)).toBe('00:00');
    expect(formatScenarioTime(65)).toBe('01:05');
    expect(formatScenarioTime(2.5)).toBe('00:02:30');
    expect(formatScenarioTime(25 * 60)).toBe('25:00');
    for (const minutes of [0, 3, 12.5, 59, 61, 600, 1439.75]) expect(parseScenarioTime(formatScenarioTime(minutes))).toEqual({ ok: true, minutes });
  });

  it("maps delivery methods to the format's channels, and knows when it cannot", () => {
    expect(channelFor('E-mail')).toBe('email');
    expect(channelFor('Slack')).toBe('chat');
    expect(channelFor('Phone call')).toBe('phone');
    expect(channelFor('In person')).toBe('in-person');
    expect(channelFor('in-person')).toBe('in-person');
    expect(channelFor('Social media')).toBe('social-media');
    expect(channelFor('Press release')).toBe('news');
    expect(channelFor('Carrier pigeon')).toBeNull();
    expect(channelFor('')).toBeNull();
  });

  it('reads inject types, sequence numbers and lists', () => {
    expect(kindFor('Contingency')).toEqual({ kind: 'contingency', known: true });
    expect(kindFor('Decision point')).toEqual({ kind: 'decision', known: true });
    expect(kindFor('Information')).toEqual({ kind: 'inject', known: true });
    expect(kindFor('Exotic')).toEqual({ kind: 'inject', known: false });
    expect(parseSequence('INJ-004')).toEqual([4]);
    expect(parseSequence('2.10')).toEqual([2, 10]);
    expect(parseSequence('n/a')).toBeNull();
    const sorted = ['10', '2.1', '2', '1'].map((s) => parseSequence(s)!).sort(compareSequence);
    expect(sorted).toEqual([[1], [2], [2, 1], [10]]);
    expect(splitList('- one\n* two\n• three\n4. four\n\n  five  ')).toEqual(['one', 'two', 'three', 'four', 'five']);
  });
});
