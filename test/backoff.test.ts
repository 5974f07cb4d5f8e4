import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeBackoffMs } from '../src/effects/backoff.ts';

const maxRandom = (): number => 0.999_999;
const zeroRandom = (): number => 0;

describe('computeBackoffMs', () => {
  it('doubles the ceiling per attempt', () => {
    const ceilings = [1, 2, 3, 4, 5].map((attempt) => computeBackoffMs(attempt, { random: maxRandom }));

    expect(ceilings).toEqual([199, 399, 799, 1599, 3199]);
  });

  it('caps the ceiling at maxMs', () => {
    expect(computeBackoffMs(30, { random: maxRandom })).toBe(29_999);
    expect(computeBackoffMs(3, { baseMs: 1_000, maxMs: 2_500, random: maxRandom })).toBe(2_499);
    expect(computeBackoffMs(2_000, { random: maxRandom })).toBe(29_999);
  });

  it('full jitter can reach zero', () => {
    expect(computeBackoffMs(6, { random: zeroRandom })).toBe(0);
    expect(computeBackoffMs(6, { random: () => 0.5 })).toBe(3_200);
  });

  it('never goes below retryAfterMs', () => {
    expect(computeBackoffMs(1, { retryAfterMs: 5_000, random: zeroRandom })).toBe(5_000);
    expect(computeBackoffMs(1, { retryAfterMs: 60_000, random: maxRandom })).toBe(60_000);
    expect(computeBackoffMs(8, { retryAfterMs: 10, random: maxRandom })).toBe(25_599);
  });

  it('attempt zero behaves like attempt one', () => {
    expect(computeBackoffMs(0, { random: maxRandom })).toBe(computeBackoffMs(1, { random: maxRandom }));
  });

  it('rejects invalid attempt and limits', () => {
    expect(() => computeBackoffMs(-1, { random: zeroRandom })).toThrow(/got -1/);
    expect(() => computeBackoffMs(1.5, { random: zeroRandom })).toThrow(/got 1.5/);
    expect(() => computeBackoffMs(1, { baseMs: -5, random: zeroRandom })).toThrow(/baseMs=-5/);
  });

  it('stays within [retryAfterMs, max(maxMs, retryAfterMs)]', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.option(fc.integer({ min: 0, max: 200_000 }), { nil: undefined }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, baseMs, maxMs, retryAfterMs, draw) => {
          const delayMs = computeBackoffMs(attempt, { baseMs, maxMs, retryAfterMs, random: () => draw });
          expect(delayMs).toBeGreaterThanOrEqual(retryAfterMs ?? 0);
          expect(delayMs).toBeLessThanOrEqual(Math.max(maxMs, retryAfterMs ?? 0));
          expect(Number.isInteger(delayMs)).toBe(true);
        },
      ),
    );
  });
});
