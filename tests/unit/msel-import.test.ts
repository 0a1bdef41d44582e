import { describe, expect, it } from 'vitest';
import { draftIdFromFileName, importMsel, previewMselImport } from '../../src-main/core/msel/import.ts';
import type { InjectNode, Scenario } from '../../src-main/core/scenario/schema.ts';
import { validateScenario } from '../../src-main/core/scenario/validate.ts';

/** Records joined the way Excel saves "CSV UTF-8": BOM, CRLF between records, LF inside quoted cells. */
const excel = (...records: string[]) => `\ufeff${records.join('\r\n')}\r\n`;

function injects(scenario: Scenario): InjectNode[] {
  const byId = new Map(scenario.timeline.map((n) => [n.id, n]));
  const chain: InjectNode[] = [];
  for (let node = byId.get(scenario.start); node?.type === 'inject'; node = byId.get(node.next)) chain.push(node);
  return chain;
}

function mustImport(text: string) {
  const result = importMsel(text, { scenarioId: 'imported', title: 'Imported' });
  if (!result.ok) throw new Error(`import failed: ${JSON.stringify(result.problems)}`);
  return result.scenario;
}

describe('MSEL import: files as spreadsheets write them', () => {
  const planner = excel(
    'Inject #,T+,Method,From,To,Subject,Description,Expected action(s),Objective,Controller,Weather',
    '2,0:20:00,E-mail,Legal,CISO,"Regulator, again","The regulator asks for an update.\nThey want it by 18:00.","- Draft a holding statement\n- Call legal",Communicate with regulators,Ana,Rain',
    "1,00:05,Phone call,SOC,On-call,,\"'=cmd|' /C calc'!A0\",Open an incident,Detect the breach,,Sunny",
    '3,1h 5m,Carrier pigeon,"\'@attacker",Everyone,Ransom note,"\'-Pay up-",,Detect the breach,,',
    ',,,,,,,,,,',
  );

  it('maps synonym headers, keeps unknown columns as notes, and imports in sequence order', () => {
    const preview = previewMselImport(planner);
    expect(preview.problems).toEqual([]);
    expect(preview.headerRow).toBe(1);
    expect(preview.mapping.map((m) => m.field)).toEqual(['sequence', 'time', 'channel', 'from', 'to', 'subject', 'message', 'expectedAction', 'objective', 'controller', null]);
    expect(preview.rows.map((r) => [r.row, r.sequence, r.minutes])).toEqual([
      [3, '1', 5],
      [2, '2', 20],
      [4, '3', 65],
    ]);
    const scenario = mustImport(planner);
    expect(validateScenario(scenario).ok).toBe(true);
    const [first, second, third] = injects(scenario);
    expect(first).toMatchObject({ at: 5, channel: 'phone', from: 'SOC', to: 'On-call', narrative: "=cmd|' /C calc'!A0", expectedActions: ['Open an incident'] });
    expect(first!.facilitatorNotes).toBe('Weather: Sunny');
    expect(second).toMatchObject({ at: 20, channel: 'email', subject: 'Regulator, again', title: 'Regulator, again' });
    expect(second!.narrative).toBe('The regulator asks for an update.\nThey want it by 18:00.');
    expect(second!.expectedActions).toEqual(['Draft a holding statement', 'Call legal']);
    expect(second!.facilitatorNotes).toBe('Responsible controller: Ana\n\nWeather: Rain');
    expect(third).toMatchObject({ at: 65, channel: 'other', from: '@attacker', narrative: '-Pay up-' });
    expect(third!.facilitatorNotes).toBe('Channel: Carrier pigeon');
    expect(third!.next).toBe(scenario.timeline.find((n) => n.type === 'end')!.id);
  });

  it('turns the objective column into objectives, and writes placeholders that say what is left to write', () => {
    const scenario = mustImport(planner);
    expect(scenario.objectives.map((o) => o.text)).toEqual(['Detect the breach', 'Communicate with regulators']);
    expect(scenario.milestones.map((m) => m.id)).toEqual(['detected', 'contained', 'eradicated', 'recovered']);
    expect(scenario.milestones.every((m) => m.description?.includes('to be written'))).toBe(true);
    expect(scenario.guide.openingBrief).toContain('To be written');
    expect(scenario.guide.debrief.whatGoodLooksLike).toContain('To be written');
    expect(scenario.meta).toMatchObject({ id: 'imported', title: 'Imported', version: '0.1.0' });
  });

  it("reads the semicolon-separated variant of European spreadsheets, with Excel's sep= line", () => {
    const text = 'sep=;\r\nNo.;Time;Channel;Message\r\n1;00:10;Slack;Hello, world; again\r\n2;15 min;In person;"Line one;\nline two"\r\n';
    const preview = previewMselImport(text);
    // "Hello, world" is one cell; the extra "again" cell is kept as a note.
    expect(preview.delimiter).toBe(';');
    expect(preview.problems).toEqual([]);
    const [a, b] = injects(mustImport(text));
    expect(a).toMatchObject({ at: 10, channel: 'chat', narrative: 'Hello, world', facilitatorNotes: 'Column E: again' });
    expect(b).toMatchObject({ at: 15, channel: 'in-person', narrative: 'Line one;\nline two' });
  });

  it('finds the header below title lines, and takes rows in file order without a sequence column', () => {
    const text = 'Exercise Nightfall — MSEL,,\r\nVersion 3,,\r\nTime,Channel,Inject\r\n00:00,Email,Kick-off\r\n00:00,Chat,Same minute\r\n';
    const preview = previewMselImport(text);
    expect(preview.headerRow).toBe(3);
    expect(injects(mustImport(text)).map((i) => i.narrative)).toEqual(['Kick-off', 'Same minute']);
  });

  it('keeps valid ids from an ID column and gives the others fresh ones', () => {
    const text = 'Seq,ID,Message\n1,INJ-001,a\n2,INJ-001,b\n3,not valid!,c\n4,,d\n';
    const chain = injects(mustImport(text));
    expect(chain.map((i) => i.id)).toEqual(['INJ-001', 'inject-2', 'inject-3', 'inject-4']);
    expect(chain[1]!.facilitatorNotes).toContain('ID: INJ-001 (already used');
    expect(chain[2]!.facilitatorNotes).toBe('ID: not valid!');
  });

  it('imports decision points as injects that say so, and contingencies with their condition', () => {
    const text = excel(
      'Seq,Time,Type,Channel,Message,Objective',
      '1,00:00,Information,Email,Start,',
      '2,,Decision,,Do we isolate the host?,',
      '3,00:30,Contingency,Phone,The CEO calls.,Keep leadership informed',
      '4,00:40,Contingency,Phone,The press calls.,',
    );
    const scenario = mustImport(text);
    const chain = injects(scenario);
    expect(chain.map((i) => i.narrative)).toEqual(['Start', 'Do we isolate the host?']);
    expect(chain[1]!.facilitatorNotes).toContain('Decision point in the MSEL');
    expect(scenario.contingencies).toHaveLength(2);
    expect(scenario.contingencies[0]!.when).toEqual({ notReached: { objective: 'objective-1' }, by: 30 });
    expect(scenario.contingencies[1]!.when).toEqual({ notReached: { milestone: 'detected' }, by: 40 });
    expect(scenario.contingencies[1]!.facilitatorNotes).toContain('To be written');
  });
});

describe('MSEL import: problems, all or nothing', () => {
  it('reports every row that cannot be read, with its row number and reason, and imports nothing', () => {
    const text = excel('Seq,Time,Type,Message', '1,00:05,,Fine', '2,soon,,Unreadable time', '3,00:10,,', 'x,00:15,,No number', '5,,Contingency,No time for a contingency');
    const result = importMsel(text);
    expect(result.ok).toBe(false);
    expect(result.preview.draft).toBeNull();
    const problems = result.ok ? [] : result.problems;
    expect(problems.map((p) => p.row)).toEqual([3, 4, 5, 6]);
    expect(problems[0]!.message).toMatch(/^Time: "soon" is not a scenario time/);
    expect(problems[1]!.message).toContain('no inject text');
    expect(problems[2]!.message).toContain('"x" holds no number');
    expect(problems[3]!.message).toContain('a contingency needs a Time');
    // The rows that could be read are still shown in the preview.
    expect(result.preview.rows.map((r) => r.row)).toEqual([2]);
  });

  it("takes a contingency without a time only when its notes state a trigger in the exporter's words (format 1.1)", () => {
    const text = [
      'Seq,Time,Type,Message,Notes',
      '1,00:05,,Start,',
      '2,00:40,,Later,',
      '3,,Contingency,The bank calls,"Contingency: fires when variable victims is above 100, from 00:12; the facilitator can fire it earlier."',
    ].join('\n');
    const result = importMsel(text);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const [contingency] = result.scenario.contingencies;
    expect(contingency!.when).toEqual({ notReached: { milestone: 'detected' }, by: 40 });
    expect(contingency!.facilitatorNotes).toContain('To be written: the MSEL gives this contingency no time');
    expect(contingency!.facilitatorNotes).toContain('Contingency: fires when variable victims is above 100');
    expect(contingency!.facilitatorNotes).not.toContain('fires at 00:00');
  });

  it('refuses times that go back in sequence order, naming both rows', () => {
    const result = importMsel('Seq,Time,Message\n1,00:30,Late\n2,00:10,Early\n');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems).toHaveLength(1);
      expect(result.problems[0]!.row).toBe(3);
      expect(result.problems[0]!.message).toContain('earlier than 00:30 on row 2');
    }
  });

  it('reports a value the scenario format refuses against its row and column', () => {
    const result = importMsel(`Seq,Subject,Message\n1,ok,fine\n2,${'x'.repeat(301)},too long a subject\n`);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems).toHaveLength(1);
      expect(result.problems[0]!.row).toBe(3);
      expect(result.problems[0]!.message).toMatch(/^Subject: /);
    }
  });

  it('needs a header row and a column for the inject text', () => {
    expect(previewMselImport('1,2,3\n4,5,6\n').problems[0]).toMatchObject({ row: 1, message: expect.stringContaining('no header row') });
    expect(previewMselImport('Seq,Time,Channel\n1,00:00,Email\n').problems[0]).toMatchObject({ row: 1, message: expect.stringContaining('inject text') });
    expect(previewMselImport('Seq,Message\n').problems[0]!.message).toContain('no rows');
    expect(previewMselImport('Seq,Time,Type,Message\n1,00:10,Contingency,Only a reserve\n').problems[0]!.message).toContain('only contingency rows');
  });

  it('reports an unclosed quote', () => {
    const result = importMsel('Seq,Message\n1,"never closed\n2,text\n');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]).toMatchObject({ row: 2, message: expect.stringContaining('never closed') });
  });
});

describe('draft ids from file names', () => {
  it.each([
    ['Exercise MSEL v2.csv', 'exercise-msel-v2'],
    ['C:\\Users\\ana\\2024 Q3 drill.csv', 'msel-2024-q3-drill'],
    ['Übung.CSV', 'ubung'],
    ['.csv', 'msel-import'],
  ])('%s → %s', (name, id) => {
    expect(draftIdFromFileName(name)).toBe(id);
  });
});
