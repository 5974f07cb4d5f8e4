import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toMinorUnits } from '../src/canonical/toMinorUnits.ts';

describe('toMinorUnits', () => {
  it.each([
    ['23000', 'USD', 2300000],
    [23000, 'USD', 2300000],
    ['0.1', 'USD', 10],
    [0.1, 'USD', 10],
    [1234.565, 'USD', 123457],
    ['1234.564', 'USD', 123456],
    ['-0.125', 'USD', -13],
    ['.5', 'USD', 50],
    ['7.', 'USD', 700],
    ['1e3', 'USD', 100000],
    [1.5e-7, 'USD', 0],
    ['1500', 'JPY', 1500],
    ['1500.5', 'JPY', 1501],
    ['12.3456', 'KWD', 12346],
    [' 42.00 ', 'EUR', 4200],
  ])('converts %j %s to %i', (value, currency, expected) => {
    expect(toMinorUnits(value, currency)).toBe(expected);
  });

  it('is exact where float multiplication drifts', () => {
    // 1.005 * 100 is 100.49999999999999 in binary floating point.
    expect(toMinorUnits(1.005, 'USD')).toBe(101);
    expect(toMinorUnits('19.99', 'USD')).toBe(1999);
  });

  it('round-trips every cent amount written with two decimals', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e13, max: 1e13 }), (cents) => {
        const sign = cents < 0 ? '-' : '';
        const abs = Math.abs(cents);
        const text = `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
        expect(toMinorUnits(text, 'USD')).toBe(cents);
      }),
    );
  });

  it.each([['abc'], [''], ['1,5'], ['--1'], [Number.NaN], [Number.POSITIVE_INFINITY]])('rejects %j', (value) => {
    expect(() => toMinorUnits(value, 'USD')).toThrow(TypeError);
  });

  it('rejects amounts beyond safe integers', () => {
    expect(() => toMinorUnits('1e20', 'USD')).toThrow(RangeError);
  });
});
