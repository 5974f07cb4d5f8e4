import { Type, type Static } from '@sinclair/typebox';
import { Money } from './money.ts';
import { nullable } from './nullable.ts';

export const OPPORTUNITY_STAGES = ['prospecting', 'engaging', 'closed_won', 'closed_lost'] as const;

export const OpportunityStage = Type.Union(OPPORTUNITY_STAGES.map((stage) => Type.Literal(stage)));
export type OpportunityStage = (typeof OPPORTUNITY_STAGES)[number];

const opportunityId = Type.String({ minLength: 1, description: 'CRM opportunity id; the order entity key' });
const quantity = Type.Number({ minimum: 0 });
const closeDate = Type.String({ format: 'date', description: 'expected or actual close day, YYYY-MM-DD' });

/** A CRM opportunity (deal), the source of the order entity. */
export const Opportunity = Type.Object(
  {
    opportunityId,
    accountId: Type.Optional(Type.String({ minLength: 1 })),
    productCode: Type.Optional(Type.String({ minLength: 1 })),
    quantity: Type.Optional(quantity),
    amount: Type.Optional(Money),
    stage: Type.Optional(OpportunityStage),
    closeDate: Type.Optional(closeDate),
    ownerName: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false, title: 'Opportunity' },
);
export type Opportunity = Static<typeof Opportunity>;

/**
 * The opportunity fields one CRM event changed. A field set to `null` was cleared in the
 * CRM; a missing field was not touched.
 */
export const OpportunityChanges = Type.Object(
  {
    opportunityId,
    accountId: nullable(Type.String({ minLength: 1 })),
    productCode: nullable(Type.String({ minLength: 1 })),
    quantity: nullable(quantity),
    amount: nullable(Money),
    stage: nullable(OpportunityStage),
    closeDate: nullable(closeDate),
    ownerName: nullable(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false, title: 'OpportunityChanges' },
);
export type OpportunityChanges = Static<typeof OpportunityChanges>;
