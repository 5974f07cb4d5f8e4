import { Type, type Static } from '@sinclair/typebox';

/**
 * An amount of money as an integer count of the currency's minor unit (cents for USD,
 * yen for JPY) plus its ISO 4217 code. Never a float, so sums and comparisons are exact.
 */
export const Money = Type.Object(
  {
    amountMinor: Type.Integer({
      minimum: Number.MIN_SAFE_INTEGER,
      maximum: Number.MAX_SAFE_INTEGER,
      description: 'amount in minor units of the currency',
    }),
    currency: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 alphabetic code, uppercase' }),
  },
  { additionalProperties: false, title: 'Money' },
);
export type Money = Static<typeof Money>;
