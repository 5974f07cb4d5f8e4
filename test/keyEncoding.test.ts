import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_KEY_BYTES, decodeKeyToken, encodeKeyToken, validateKey } from '../src/keys.ts';
import { isOrdoError } from '../src/errors.ts';

const validKey = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }).filter((key) => new TextEncoder().encode(key).length <= MAX_KEY_BYTES);

describe('key encoding', () => {
  it('round-trips any valid key through a subject token', () => {
    fc.assert(
      fc.property(validKey, (key) => {
        const token = encodeKeyToken(key);
        expect(token).toMatch(/^[A-Za-z0-9_~-]+$/);
        expect(decodeKeyToken(token)).toBe(key);
      }),
      { numRuns: 2_000 },
    );
  });

  it('keeps distinct keys distinct', () => {
    fc.assert(
      fc.property(validKey, validKey, (a, b) => {
        fc.pre(a !== b);
        expect(encodeKeyToken(a)).not.toBe(encodeKeyToken(b));
      }),
    );
  });

  it.each([
    ['dots', 'a.b.c'],
    ['spaces', 'a b'],
    ['wildcards', '*>'],
    ['slashes', 'acct/42'],
    ['unicode', 'Kundennr. äöü 客户 🚲'],
    ['tilde', '~7E'],
    ['maximum length', 'k'.repeat(MAX_KEY_BYTES)],
  ])('round-trips a key with %s', (_, key) => {
    expect(decodeKeyToken(encodeKeyToken(key))).toBe(key);
  });

  it('leaves CRM ids readable', () => {
    expect(encodeKeyToken('0061x00000AbCdE')).toBe('0061x00000AbCdE');
    expect(encodeKeyToken('a.b')).toBe('a~2Eb');
  });

  it.each([
    ['empty', '', 'ERR_KEY_EMPTY'],
    ['too long', 'k'.repeat(MAX_KEY_BYTES + 1), 'ERR_KEY_TOO_LONG'],
    ['too long in bytes', 'ü'.repeat(MAX_KEY_BYTES / 2 + 1), 'ERR_KEY_TOO_LONG'],
    ['lone surrogate', 'a\ud800', 'ERR_KEY_INVALID'],
    ['not a string', 42, 'ERR_KEY_INVALID'],
  ])('rejects a key that is %s', (_, key, code) => {
    expect(() => validateKey(key)).toThrow();
    try {
      validateKey(key);
    } catch (error) {
      expect(isOrdoError(error, code as never)).toBe(true);
    }
  });

  it.each([['~2'], ['~zz'], ['a.b'], ['~FF']])('rejects the malformed token %s', (token) => {
    expect(() => decodeKeyToken(token)).toThrow(/Key token/);
  });
});
