/**
 * The one back-off rule (lib/back-off.ts): the ceiling doubles from the first
 * wait up to the longest, and each wait is drawn between half and all of it.
 */
import { describe, expect, it } from 'vitest';
import { backOffCeiling, retryDelay } from '../../src-renderer/src/lib/back-off.ts';
import { CONSOLE_BACK_OFF, PHONE_BACK_OFF } from '../../src-renderer/src/lib/push-channel.ts';

describe('back-off', () => {
  it('doubles the ceiling from the first wait, at most the longest, however many failures', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 1e6].map((n) => backOffCeiling(PHONE_BACK_OFF, n))).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
    expect([0, 1, 2, 3, 50].map((n) => backOffCeiling(CONSOLE_BACK_OFF, n))).toEqual([1000, 2000, 3000, 3000, 3000]);
  });

  it('draws each wait between half and all of its ceiling', () => {
    const at = (random: number) => [0, 1, 2, 9].map((n) => retryDelay({ ...CONSOLE_BACK_OFF, random: () => random }, n));
    expect(at(0)).toEqual([500, 1000, 1500, 1500]);
    expect(at(0.5)).toEqual([750, 1500, 2250, 2250]);
    expect(at(0.999999)).toEqual([1000, 2000, 3000, 3000]);
  });

  it('spreads clients that failed at the same moment over the step', () => {
    const waits = new Set(Array.from({ length: 200 }, () => retryDelay(PHONE_BACK_OFF, 3)));
    for (const wait of waits) expect(wait >= 4000 && wait <= 8000).toBe(true);
    expect(waits.size).toBeGreaterThan(50);
  });
});
