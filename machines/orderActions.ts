/** Named actions of the order machine: context updates and the effects they request from the host. */

import { assertEvent } from 'xstate';

import { recordNote, sendToEntity } from '../src/machineEffects.ts';
import { entityKeyOf } from './entityKey.ts';
import { salesOrderBodyOf } from './orderContext.ts';
import { exception, mergeUpsert, orderSetup } from './orderSetup.ts';

export const rememberKey = orderSetup.assign({
  key: ({ context, event }) => entityKeyOf(context.key, event),
});

// Merges the fields that are newer than the stored ones and records the rest as stale,
// so older CRM data never overwrites newer data.
export const applyUpsert = orderSetup.enqueueActions(({ context, event, enqueue }) => {
  assertEvent(event, 'order.upsert');
  const merge = mergeUpsert(context, event);

  enqueue.assign({ opportunity: merge.data, stamps: merge.stamps });
  if (merge.stale.length > 0) {
    enqueue(recordNote({ note: 'stale', details: { fields: merge.stale, eventId: event.source.eventId } }));
  }
});

export const markWon = orderSetup.assign({ wonAt: ({ event }) => event.meta.time });

export const raiseMissingAccount = orderSetup.enqueueActions(({ context, enqueue }) => {
  const message = `opportunity ${context.key} is closed_won but names no account; set its account in the CRM`;
  enqueue({ type: 'crm.exception.raise', params: exception(context, 'missingAccount', message) });
});

export const requireResync = orderSetup.enqueueActions(({ context, event, enqueue }) => {
  assertEvent(event, 'order.resync');
  const message = `CRM changes to opportunity ${context.key} were lost (${event.reason}); send a full opportunity upsert`;
  enqueue({ type: 'crm.exception.raise', params: exception(context, 'crmResyncRequired', message, { source: event.source }) });
});

export const askCustomer = orderSetup.enqueueActions(({ context, enqueue }) => {
  const customerKey = context.opportunity.accountId as string;

  enqueue.assign({ customerKey });
  enqueue(
    sendToEntity({
      entityType: 'customer',
      key: customerKey,
      event: { type: 'customer.ensureReady', orderKey: context.key },
    }),
  );
});

// A fresh submission gets a new attempt number, so a body that changed since
// a rejection never reuses the key of an earlier request (the ERP rejects a
// reused key with a different body as a conflict).
export const startSubmission = orderSetup.assign(({ context, event }) => {
  assertEvent(event, 'customer.ready');
  return {
    customerNumber: event.customerNumber,
    submittedOrder: salesOrderBodyOf(context, event.customerNumber),
    submitAttempt: context.submitAttempt + 1,
    submitTries: 1,
    problem: undefined,
  };
});

export const rejectIncompleteOrder = orderSetup.enqueueActions(({ context, enqueue }) => {
  const missing = (['productCode', 'quantity', 'amount'] as const).filter((field) => context.opportunity[field] === undefined);
  const message = `opportunity ${context.key} lacks ${missing.join(', ')}; set them in the CRM, then send order.retry`;

  enqueue.assign({ problem: { reason: 'incompleteOrder', message } });
  enqueue({ type: 'crm.exception.raise', params: exception(context, 'incompleteOrder', message, { missing }) });
});

export const rejectBlockedCustomer = orderSetup.enqueueActions(({ context, event, enqueue }) => {
  assertEvent(event, 'customer.blocked');
  const message = `customer ${event.customerKey} of order ${context.key} is blocked (${event.reason}); fix the customer, then send order.retry`;

  enqueue.assign({ problem: { reason: event.reason, message } });
  enqueue({ type: 'crm.exception.raise', params: exception(context, event.reason, message, { customerKey: event.customerKey }) });
});

export const rejectBySalesOrder = orderSetup.enqueueActions(({ context, event, enqueue }) => {
  assertEvent(event, 'erp.salesOrder.rejected');
  const message = `ERP rejected sales order for ${context.key}: ${event.message}`;

  enqueue.assign({ problem: { reason: event.reason, message: event.message, operation: event.operation } });
  enqueue({ type: 'crm.exception.raise', params: exception(context, event.reason, message, { operation: event.operation }) });
});

export const storeOrderNumber = orderSetup.assign(({ event }) => {
  assertEvent(event, 'erp.salesOrder.created');
  return { orderNumber: event.orderNumber, confirmedAt: event.meta.time };
});

export const announceConfirmed = orderSetup.enqueueActions(({ context, enqueue }) => {
  const order = context.submittedOrder!;
  const orderNumber = context.orderNumber!;

  enqueue.emit({
    type: 'order.created',
    orderKey: context.key,
    orderNumber,
    order,
    wonAt: context.wonAt,
    confirmedAt: context.confirmedAt!,
  });
  enqueue(
    sendToEntity({
      entityType: 'invoice',
      key: context.key,
      event: { type: 'invoice.open', ...order, orderNumber },
    }),
  );
  enqueue.assign({ invoiceRequested: true });
});

export const storeInvoiceNumber = orderSetup.assign({
  invoiceNumber: ({ event }) => {
    assertEvent(event, 'invoice.issued');
    return event.invoiceNumber;
  },
});

export const storeInvoiceFailure = orderSetup.assign({
  problem: ({ event }) => {
    assertEvent(event, 'invoice.failed');
    return { reason: event.reason, message: `invoice ${event.invoiceKey} failed (${event.reason})` };
  },
});

export const markCancel = orderSetup.assign({
  cancelReason: ({ event }) => (event.type === 'order.cancel' ? event.reason ?? 'cancelled' : 'closed_lost'),
});

export const emitCancelled = orderSetup.emit(({ context, event }) => ({
  type: 'order.cancelled',
  orderKey: context.key,
  orderNumber: context.orderNumber,
  reason: context.cancelReason ?? 'cancelled',
  occurredAt: event.meta.time,
}));

export const failCompensation = orderSetup.enqueueActions(({ context, event, enqueue }) => {
  assertEvent(event, ['invoice.failed', 'invoice.paid', 'erp.salesOrder.rejected']);
  const cause = event.type === 'invoice.paid' ? 'invoicePaid' : event.reason;
  const message = `undoing order ${context.key} stopped at ${event.type} (${cause}); fix it, then send order.retry to resume`;

  enqueue.assign({ problem: { reason: cause, message } });
  enqueue({ type: 'crm.exception.raise', params: exception(context, 'compensationFailed', message, { cause }) });
});

export const failSubmission = orderSetup.enqueueActions(({ context, enqueue }) => {
  const message = `ERP did not respond to ${context.submitTries} requests to create order ${context.key}; check the ERP, then send order.retry`;

  enqueue.assign({ problem: { reason: 'submitTimedOut', message } });
  enqueue({ type: 'crm.exception.raise', params: exception(context, 'submitTimedOut', message) });
});

export const escalateRejection = orderSetup.enqueueActions(({ context, enqueue }) => {
  const reason = context.problem?.reason ?? 'unknown';
  const message = `order ${context.key} is still rejected (${reason}); fix it and send order.retry, or order.cancel`;

  enqueue({ type: 'crm.exception.raise', params: exception(context, 'rejectionUnresolved', message, { cause: reason }) });
});

export const countSubmitTry = orderSetup.assign({ submitTries: ({ context }) => context.submitTries + 1 });

// A retry after submitFailed re-sends the same key and body, so the ERP returns its first result if it has one.
export const restartSubmitTries = orderSetup.assign({ submitTries: 1, problem: undefined });

export const voidInvoice = orderSetup.enqueueActions(({ context, enqueue }) => {
  enqueue(
    sendToEntity({
      entityType: 'invoice',
      key: context.key,
      event: { type: 'invoice.void', reason: context.cancelReason },
    }),
  );
});

export const markInvoiceVoided = orderSetup.assign({ invoiceVoided: true });

export const clearProblem = orderSetup.assign({ problem: undefined });
