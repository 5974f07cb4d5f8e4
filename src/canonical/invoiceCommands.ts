import { Type, type Static } from '@sinclair/typebox';
import { commandSchema } from './commandSchema.ts';
import { erpRejectionFields } from './erpRejection.ts';
import { Money } from './money.ts';
import { SourceStamp } from './sourceStamp.ts';

// Commands the invoice entity (key: the order key) accepts.

export const InvoiceOpen = commandSchema('invoice.open', {
  orderKey: Type.String({ minLength: 1 }),
  orderNumber: Type.String({ minLength: 1 }),
  customerNumber: Type.String({ minLength: 1 }),
  amount: Money,
  productCode: Type.String({ minLength: 1 }),
  quantity: Type.Number({ minimum: 0 }),
});
export type InvoiceOpen = Static<typeof InvoiceOpen>;

export const InvoiceVoid = commandSchema('invoice.void', { reason: Type.Optional(Type.String()) });
export type InvoiceVoid = Static<typeof InvoiceVoid>;

export const PaymentReceived = commandSchema('payment.received', {
  amount: Money,
  source: Type.Optional(SourceStamp),
});
export type PaymentReceived = Static<typeof PaymentReceived>;

export const ErpInvoiceCreated = commandSchema('erp.invoice.created', {
  invoiceNumber: Type.String({ minLength: 1 }),
});
export type ErpInvoiceCreated = Static<typeof ErpInvoiceCreated>;

export const ErpInvoiceRejected = commandSchema('erp.invoice.rejected', erpRejectionFields);
export type ErpInvoiceRejected = Static<typeof ErpInvoiceRejected>;

export const ErpInvoiceVoided = commandSchema('erp.invoice.voided', {
  invoiceNumber: Type.String({ minLength: 1 }),
});
export type ErpInvoiceVoided = Static<typeof ErpInvoiceVoided>;
