import { Type, type Static } from '@sinclair/typebox';
import { Money } from './money.ts';
import { nullable } from './nullable.ts';

const accountId = Type.String({ minLength: 1, description: 'CRM account id; the customer entity key' });

/** A CRM account, the source of the customer entity. */
export const Account = Type.Object(
  {
    accountId,
    name: Type.String({ minLength: 1 }),
    country: Type.Optional(Type.String({ minLength: 1 })),
    sector: Type.Optional(Type.String({ minLength: 1 })),
    annualRevenue: Type.Optional(Money),
    parentAccountId: Type.Optional(Type.String({ minLength: 1 })),
    taxRegion: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false, title: 'Account' },
);
export type Account = Static<typeof Account>;

/**
 * The account fields one CRM event changed. A field set to `null` was cleared in the CRM;
 * a missing field was not touched.
 */
export const AccountChanges = Type.Object(
  {
    accountId,
    name: Type.Optional(Type.String({ minLength: 1 })),
    country: nullable(Type.String({ minLength: 1 })),
    sector: nullable(Type.String({ minLength: 1 })),
    annualRevenue: nullable(Money),
    parentAccountId: nullable(Type.String({ minLength: 1 })),
    taxRegion: nullable(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false, title: 'AccountChanges' },
);
export type AccountChanges = Static<typeof AccountChanges>;
