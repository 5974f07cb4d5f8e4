import { currencyExponent } from './currencyExponent.ts';

const DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * Converts a decimal amount in major units (a number like 23000.5 or a string like
 * "23000.50") to an integer count of the currency's minor units. The digits are read as
 * text and scaled with BigInt, so no binary float rounding creeps in. Digits beyond the
 * minor unit round half away from zero ("0.125" USD is 13 cents).
 *
 * Throws a TypeError for text that is not a decimal number, and a RangeError when the
 * result is not a safe integer.
 */
export function toMinorUnits(value: string | number, currency: string): number {
  const text = typeof value === 'number' ? numberToText(value) : value.trim();
  const match = DECIMAL.exec(text);
  const integerDigits = match?.[2] ?? '';
  const fractionDigits = match?.[3] ?? '';
  if (match === null || integerDigits + fractionDigits === '') {
    throw new TypeError(`amount ${JSON.stringify(value)} is not a decimal number; send digits such as "1234.50"`);
  }

  const negative = match[1] === '-';
  const exponent = Number(match[4] ?? '0');
  const digits = BigInt(integerDigits + fractionDigits);
  const shift = currencyExponent(currency) - fractionDigits.length + exponent;
  const minor = shift >= 0 ? digits * 10n ** BigInt(shift) : divideRoundingHalfUp(digits, 10n ** BigInt(-shift));

  return toSafeNumber(negative ? -minor : minor, value, currency);
}

function numberToText(value: number): string {
  if (!Number.isFinite(value)) {
    throw new TypeError(`amount ${value} is not a finite number; send a decimal amount`);
  }
  // String() gives the shortest text that reads back as the same double, so 0.1 stays "0.1".
  return String(value);
}

function divideRoundingHalfUp(dividend: bigint, divisor: bigint): bigint {
  const quotient = dividend / divisor;
  const remainder = dividend % divisor;
  return remainder * 2n >= divisor ? quotient + 1n : quotient;
}

function toSafeNumber(minor: bigint, value: string | number, currency: string): number {
  if (minor > BigInt(Number.MAX_SAFE_INTEGER) || minor < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(
      `amount ${JSON.stringify(value)} ${currency} is too large: its minor units exceed ${Number.MAX_SAFE_INTEGER}`,
    );
  }
  return Number(minor);
}
