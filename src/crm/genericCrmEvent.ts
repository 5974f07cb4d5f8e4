import { Type, type Static } from '@sinclair/typebox';
import { AccountChanges } from '../canonical/account.ts';
import { Money } from '../canonical/money.ts';
import { OpportunityChanges } from '../canonical/opportunity.ts';

/**
 * Body of a message on `crm.generic.<object>.<objectId>`: the contract for teams writing
 * their own CRM bridge (docs/crm-generic-contract.md). Other envelope fields are ignored;
 * `data` must hold canonical fields only.
 */
export const GenericCrmEvent = Type.Object({
  type: Type.String({ minLength: 1, description: 'for example account.upserted' }),
  id: Type.String({ minLength: 1, description: "the CRM's event id; the same for every redelivery" }),
  occurredAt: Type.String({ format: 'date-time', description: 'when the change happened in the CRM' }),
  version: Type.Optional(Type.Integer({ minimum: 0, description: 'per-record change number, if the CRM has one' })),
  data: Type.Object({}, { additionalProperties: true }),
});
export type GenericCrmEvent = Static<typeof GenericCrmEvent>;

const accountIdOnly = Type.Object({ accountId: Type.String({ minLength: 1 }) }, { additionalProperties: false });
const opportunityIdOnly = Type.Object({ opportunityId: Type.String({ minLength: 1 }) }, { additionalProperties: false });

export const GenericPaymentData = Type.Object(
  {
    paymentId: Type.String({ minLength: 1 }),
    opportunityId: Type.String({ minLength: 1, description: 'the order the payment settles' }),
    amount: Money,
    paidAt: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);

/** The `data` schema of each generic event type, and the data field that must equal the subject's object id. */
export const GENERIC_EVENT_TYPES = {
  'account.upserted': { object: 'account', data: AccountChanges, idField: 'accountId' },
  'account.deleted': { object: 'account', data: accountIdOnly, idField: 'accountId' },
  'opportunity.upserted': { object: 'opportunity', data: OpportunityChanges, idField: 'opportunityId' },
  'opportunity.deleted': { object: 'opportunity', data: opportunityIdOnly, idField: 'opportunityId' },
  'payment.received': { object: 'payment', data: GenericPaymentData, idField: 'paymentId' },
} as const;

export type GenericEventType = keyof typeof GENERIC_EVENT_TYPES;
