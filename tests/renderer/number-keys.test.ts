import { describe, expect, it } from 'vitest';
import { numberKeyDecision } from '../../src-renderer/src/features/console/shortcuts.ts';

describe('which open decision the number keys choose in', () => {
  it('is the only open decision, or none', () => {
    expect(numberKeyDecision(['contain'], undefined)).toBe('contain');
    expect(numberKeyDecision([], 'contain')).toBeNull();
  });

  it('is the lead track’s first until the facilitator works in another track’s form', () => {
    expect(numberKeyDecision(['td1', 'xd1'], undefined)).toBe('td1');
    expect(numberKeyDecision(['td1', 'xd1'], 'xd1')).toBe('xd1');
  });

  it('falls back to the lead track’s once the decision last worked in is closed', () => {
    expect(numberKeyDecision(['td2', 'xd1'], 'td1')).toBe('td2');
    expect(numberKeyDecision(['xd2'], 'td1')).toBe('xd2');
  });
});
