import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALLOW_LIST, AllowList, judge, type Finding } from '../../scripts/lint-electron.ts';

const finding = (over: Partial<Finding>): Finding => ({
  check: 'CONTEXT_ISOLATION_JS_CHECK',
  file: 'src-main/hosts/electron/main.ts',
  line: 10,
  severity: 'HIGH',
  confidence: 'FIRM',
  description: 'Review the use of the contextIsolation option',
  manualReview: false,
  source: 'const win = new BrowserWindow(browserWindowOptions(preloadPath, bounds));',
  ...over,
});

describe('the Electronegativity allow-list', () => {
  const allow = AllowList.parse(JSON.parse(readFileSync(ALLOW_LIST, 'utf8')));

  it('is small and says why for every entry', () => {
    expect(allow.length).toBeLessThanOrEqual(6);
    for (const entry of allow) expect(entry.why.length).toBeGreaterThan(40);
  });

  it('allows a window whose options come from browserWindowOptions, also split over lines', () => {
    const split = finding({ source: 'const win = new BrowserWindow(\n      browserWindowOptions(preloadPath, area ? {} : undefined),\n    );' });
    const { allowed, refused } = judge([finding({}), split], allow);
    expect(refused).toEqual([]);
    expect(allowed).toHaveLength(2);
  });

  it('refuses a window with options written inline or spread and overridden, another file, or another check', () => {
    const inline = finding({ source: 'new BrowserWindow({ webPreferences: { contextIsolation: false } })' });
    // A spread lets any option be overridden after it (webPreferences: { sandbox: false }), which the linter flags on this same line.
    const spread = finding({ source: 'const win = new BrowserWindow({ ...browserWindowOptions(preloadPath, b), webPreferences: { sandbox: false } });' });
    const elsewhere = finding({ file: 'src-main/hosts/electron/other.ts' });
    const other = finding({ check: 'NODE_INTEGRATION_JS_CHECK' });
    expect(judge([inline, spread, elsewhere, other], allow).refused).toEqual([inline, spread, elsewhere, other]);
  });

  it('reports entries that match nothing as stale', () => {
    const { unused } = judge([], allow);
    expect(unused).toEqual(allow);
  });

  it('rejects an entry without a reason', () => {
    expect(AllowList.safeParse([{ check: 'SANDBOX_JS_CHECK', file: 'x.ts', code: 'x', why: '' }]).success).toBe(false);
  });
});
