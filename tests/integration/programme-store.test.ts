import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src-main/store/database.ts';
import { PROGRAMME_SESSION_COLUMNS } from '../../src-main/store/programme.ts';
import { tempDir } from '../helpers/tmp.ts';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

describe('the programme rows', () => {
  it('read only session columns stored before scenario_json in the migrated table', () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const db = openDatabase({ dataDir: join(t.dir, 'data') });
    cleanups.unshift(() => db.close());
    const columns = db.prepare('SELECT name, cid FROM pragma_table_info(?)').all('sessions') as Array<{ name: string; cid: number }>;
    const position = new Map(columns.map((c) => [c.name, c.cid]));
    const scenarioJson = position.get('scenario_json');
    expect(scenarioJson).toBeTypeOf('number');
    const after = PROGRAMME_SESSION_COLUMNS.filter((name) => !((position.get(name) ?? Infinity) < scenarioJson!));
    expect(after, 'columns missing or stored after scenario_json').toEqual([]);
  });
});
