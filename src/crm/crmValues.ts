import type { Money } from '../canonical/money.ts';
import { toMinorUnits } from '../canonical/toMinorUnits.ts';
import { CrmMappingError } from './crmMappingError.ts';

// Converters from CRM field values to canonical values. Each throws ERR_CRM_INVALID_VALUE
// naming the CRM field, so a dead-lettered event names the field to fix.

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a text field; an empty string means the CRM cleared it. */
export function readText(value: unknown, field: string): string | null {
  if (value === null || value === '') return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw invalidValue(field, value, 'expected text');
}

/** Reads a decimal amount in major units into Money; an empty value means cleared. */
export function readMoney(value: unknown, currency: string, field: string): Money | null {
  if (value === null || value === '') return null;
  if (typeof value !== 'string' && typeof value !== 'number') throw invalidValue(field, value, 'expected a decimal amount');

  try {
    return { amountMinor: toMinorUnits(value, currency), currency };
  } catch (error) {
    throw invalidValue(field, value, (error as Error).message, error);
  }
}

/** Reads a non-negative quantity given as a number or decimal text. */
export function readQuantity(value: unknown, field: string): number | null {
  if (value === null || value === '') return null;

  const quantity = typeof value === 'string' ? Number(value.trim()) : value;
  if (typeof quantity !== 'number' || !Number.isFinite(quantity) || quantity < 0) {
    throw invalidValue(field, value, 'expected a number of at least 0');
  }
  return quantity;
}

/** Reads a day as `YYYY-MM-DD` from an ISO date, an ISO date-time, or epoch milliseconds (UTC day). */
export function readDay(value: unknown, field: string): string | null {
  if (value === null || value === '') return null;
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value)) return value.slice(0, 10);

  const ms = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
  if (typeof ms === 'number' && Number.isSafeInteger(ms)) return epochMsToIso(ms, field).slice(0, 10);
  throw invalidValue(field, value, 'expected a date (YYYY-MM-DD) or epoch milliseconds');
}

/** Converts epoch milliseconds to an ISO 8601 UTC timestamp. */
export function epochMsToIso(ms: number, field: string): string {
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) throw invalidValue(field, ms, 'expected epoch milliseconds');
  return date.toISOString();
}

function invalidValue(field: string, value: unknown, problem: string, cause?: unknown): CrmMappingError {
  return new CrmMappingError(
    'ERR_CRM_INVALID_VALUE',
    `CRM field ${field} has value ${JSON.stringify(value)}: ${problem}; correct the record in the CRM or the bridge`,
    { cause },
  );
}
