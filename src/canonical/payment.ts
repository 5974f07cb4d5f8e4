import { Type, type Static } from '@sinclair/typebox';
import { Money } from './money.ts';

export const PaymentState = Type.Union([Type.Literal('received'), Type.Literal('failed'), Type.Literal('refunded')]);
export type PaymentState = Static<typeof PaymentState>;

/** The payment status of an order, as a CRM or payment system reports it. */
export const PaymentStatus = Type.Object(
  {
    paymentId: Type.String({ minLength: 1 }),
    opportunityId: Type.String({ minLength: 1, description: 'the order key, which is also the invoice key' }),
    amount: Money,
    status: PaymentState,
    paidAt: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false, title: 'PaymentStatus' },
);
export type PaymentStatus = Static<typeof PaymentStatus>;
