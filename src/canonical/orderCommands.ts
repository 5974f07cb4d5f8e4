import { Type, type Static } from '@sinclair/typebox';
import { commandSchema } from './commandSchema.ts';
import { erpRejectionFields } from './erpRejection.ts';
import { OpportunityChanges } from './opportunity.ts';
import { ResyncReason } from './resyncReason.ts';
import { SourceStamp } from './sourceStamp.ts';

// Commands the order entity (key: CRM opportunity id) accepts.

const invoiceKey = Type.String({ minLength: 1 });

export const OrderUpsert = commandSchema('order.upsert', { data: OpportunityChanges, source: SourceStamp });
export type OrderUpsert = Static<typeof OrderUpsert>;

export const OrderResync = commandSchema('order.resync', { reason: ResyncReason, source: SourceStamp });
export type OrderResync = Static<typeof OrderResync>;

export const OrderRetry = commandSchema('order.retry', {});
export type OrderRetry = Static<typeof OrderRetry>;

// `source` is set when the cancel comes from the CRM (a deleted opportunity), absent for an operator's cancel.
export const OrderCancel = commandSchema('order.cancel', {
  reason: Type.Optional(Type.String()),
  source: Type.Optional(SourceStamp),
});
export type OrderCancel = Static<typeof OrderCancel>;

export const CustomerReady = commandSchema('customer.ready', {
  customerKey: Type.String({ minLength: 1 }),
  customerNumber: Type.String({ minLength: 1 }),
});
export type CustomerReady = Static<typeof CustomerReady>;

export const CustomerBlocked = commandSchema('customer.blocked', {
  customerKey: Type.String({ minLength: 1 }),
  reason: Type.String({ minLength: 1 }),
});
export type CustomerBlocked = Static<typeof CustomerBlocked>;

export const ErpSalesOrderCreated = commandSchema('erp.salesOrder.created', {
  orderNumber: Type.String({ minLength: 1 }),
});
export type ErpSalesOrderCreated = Static<typeof ErpSalesOrderCreated>;

export const ErpSalesOrderRejected = commandSchema('erp.salesOrder.rejected', erpRejectionFields);
export type ErpSalesOrderRejected = Static<typeof ErpSalesOrderRejected>;

export const ErpSalesOrderCancelled = commandSchema('erp.salesOrder.cancelled', {
  orderNumber: Type.String({ minLength: 1 }),
});
export type ErpSalesOrderCancelled = Static<typeof ErpSalesOrderCancelled>;

export const InvoiceIssued = commandSchema('invoice.issued', {
  invoiceKey,
  invoiceNumber: Type.String({ minLength: 1 }),
});
export type InvoiceIssued = Static<typeof InvoiceIssued>;

export const InvoicePaid = commandSchema('invoice.paid', { invoiceKey });
export type InvoicePaid = Static<typeof InvoicePaid>;

export const InvoiceVoided = commandSchema('invoice.voided', { invoiceKey });
export type InvoiceVoided = Static<typeof InvoiceVoided>;

export const InvoiceFailed = commandSchema('invoice.failed', {
  invoiceKey,
  reason: Type.String({ minLength: 1 }),
});
export type InvoiceFailed = Static<typeof InvoiceFailed>;
