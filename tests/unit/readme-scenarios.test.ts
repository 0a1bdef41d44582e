/**
 * The README's table of built-in scenarios and the library agree: every scenario
 * in scenarios/ has a row, and each row's minutes, title, difficulty and tracks
 * are what the library card shows (meta.estimatedMinutes, as listed by the app).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listBundledScenarios, readScenarioFile } from '../../src-main/app/scenario-files.ts';

const root = process.cwd();
const scenariosDir = join(root, 'scenarios');

interface Row {
  file: string;
  title: string;
  minutes: number;
  difficulty: string;
  tracks: string;
}

/** The rows of the table in the README's "Built-in scenarios" section. */
function readmeRows(): Row[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Built-in scenarios\n');
  expect(start, 'a "Built-in scenarios" section').toBeGreaterThan(-1);
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end === -1 ? undefined : end);
  return section
    .split('\n')
    .filter((line) => /^\| `[^`]+\.json` \|/.test(line))
    .map((line) => {
      const cells = line
        .slice(1, -1)
        .split(' | ')
        .map((cell) => cell.trim());
      return { file: cells[0]!.replaceAll('`', ''), title: cells[1]!, minutes: Number(cells[2]), difficulty: cells[3]!, tracks: cells[4]! };
    });
}

describe('README: built-in scenarios', () => {
  const rows = readmeRows();
  const listing = listBundledScenarios(scenariosDir);
  const cards = new Map(listing.scenarios.map((card) => [card.id, card]));

  it('lists every scenario of the library once, and nothing else', () => {
    expect(listing.problems).toEqual([]);
    const files = rows.map((row) => row.file);
    expect(new Set(files).size).toBe(files.length);
    expect(files.length).toBe(listing.scenarios.length);
  });

  it.each(rows.map((row) => [row.file, row] as const))('%s: minutes, title, difficulty and tracks are the library card’s', (file, row) => {
    const loaded = readScenarioFile(join(scenariosDir, file));
    if (!loaded.ok) throw new Error(`${file} does not validate`);
    const { meta } = loaded.scenario;
    const card = cards.get(meta.id);
    expect(card, `${file} is on a library card`).toBeDefined();
    expect(row.minutes, 'README minutes vs the card').toBe(card!.estimatedMinutes);
    expect(card!.estimatedMinutes).toBe(meta.estimatedMinutes);
    expect(row.title).toBe(meta.title);
    expect(row.difficulty).toBe(meta.difficulty);
    const tracks = (loaded.scenario.tracks ?? []).map((track) => track.title);
    expect(row.tracks).toBe(tracks.length ? tracks.join(' · ') : 'one');
  });
});
