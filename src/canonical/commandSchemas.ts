// The schemas are TypeBox values, which are plain JSON Schema objects: the inbox validates
// inbound commands with TypeBox's compiled checker, and Fastify validates the HTTP API with
// the very same objects, so one definition serves both.
import type { Static } from '@sinclair/typebox';
import * as customer from './customerCommands.ts';
import * as invoice from './invoiceCommands.ts';
import * as order from './orderCommands.ts';

export type EntityType = 'customer' | 'order' | 'invoice';

/** Every entity command by its `type`. */
export const commandSchemas = {
  'customer.upsert': customer.CustomerUpsert,
  'customer.resync': customer.CustomerResync,
  'customer.resolve': customer.CustomerResolve,
  'customer.ensureReady': customer.CustomerEnsureReady,
  'erp.customer.upserted': customer.ErpCustomerUpserted,
  'erp.customer.rejected': customer.ErpCustomerRejected,
  'erp.customer.creditStatus': customer.ErpCustomerCreditStatus,

  'order.upsert': order.OrderUpsert,
  'order.resync': order.OrderResync,
  'order.retry': order.OrderRetry,
  'order.cancel': order.OrderCancel,
  'customer.ready': order.CustomerReady,
  'customer.blocked': order.CustomerBlocked,
  'erp.salesOrder.created': order.ErpSalesOrderCreated,
  'erp.salesOrder.rejected': order.ErpSalesOrderRejected,
  'erp.salesOrder.cancelled': order.ErpSalesOrderCancelled,
  'invoice.issued': order.InvoiceIssued,
  'invoice.paid': order.InvoicePaid,
  'invoice.voided': order.InvoiceVoided,
  'invoice.failed': order.InvoiceFailed,

  'invoice.open': invoice.InvoiceOpen,
  'invoice.void': invoice.InvoiceVoid,
  'payment.received': invoice.PaymentReceived,
  'erp.invoice.created': invoice.ErpInvoiceCreated,
  'erp.invoice.rejected': invoice.ErpInvoiceRejected,
  'erp.invoice.voided': invoice.ErpInvoiceVoided,
} as const;

export type CommandType = keyof typeof commandSchemas;

/** The command whose `type` is `T`, or the union of all commands. */
export type CommandEvent<T extends CommandType = CommandType> = Static<(typeof commandSchemas)[T]>;

/** The entity type that accepts each command. */
export const commandEntityTypes: Readonly<Record<CommandType, EntityType>> = {
  'customer.upsert': 'customer',
  'customer.resync': 'customer',
  'customer.resolve': 'customer',
  'customer.ensureReady': 'customer',
  'erp.customer.upserted': 'customer',
  'erp.customer.rejected': 'customer',
  'erp.customer.creditStatus': 'customer',

  'order.upsert': 'order',
  'order.resync': 'order',
  'order.retry': 'order',
  'order.cancel': 'order',
  'customer.ready': 'order',
  'customer.blocked': 'order',
  'erp.salesOrder.created': 'order',
  'erp.salesOrder.rejected': 'order',
  'erp.salesOrder.cancelled': 'order',
  'invoice.issued': 'order',
  'invoice.paid': 'order',
  'invoice.voided': 'order',
  'invoice.failed': 'order',

  'invoice.open': 'invoice',
  'invoice.void': 'invoice',
  'payment.received': 'invoice',
  'erp.invoice.created': 'invoice',
  'erp.invoice.rejected': 'invoice',
  'erp.invoice.voided': 'invoice',
};

export function isCommandType(value: unknown): value is CommandType {
  return typeof value === 'string' && Object.hasOwn(commandSchemas, value);
}
