import { Type, type Static } from '@sinclair/typebox';
import { Money } from './money.ts';

export const InvoiceStatus = Type.Union([
  Type.Literal('opening'),
  Type.Literal('issued'),
  Type.Literal('paid'),
  Type.Literal('voiding'),
  Type.Literal('voided'),
  Type.Literal('rejected'),
]);
export type InvoiceStatus = Static<typeof InvoiceStatus>;

/** An invoice for one order; its key is the order key. */
export const Invoice = Type.Object(
  {
    invoiceKey: Type.String({ minLength: 1 }),
    orderKey: Type.String({ minLength: 1 }),
    invoiceNumber: Type.Optional(Type.String({ minLength: 1, description: 'number the ERP gave the invoice' })),
    orderNumber: Type.Optional(Type.String({ minLength: 1 })),
    customerNumber: Type.Optional(Type.String({ minLength: 1 })),
    amount: Money,
    productCode: Type.Optional(Type.String({ minLength: 1 })),
    quantity: Type.Optional(Type.Number({ minimum: 0 })),
    status: InvoiceStatus,
  },
  { additionalProperties: false, title: 'Invoice' },
);
export type Invoice = Static<typeof Invoice>;
