import { createOrderContext, type OrderInput } from './orderContext.ts';
import {
  announceConfirmed,
  applyUpsert,
  askCustomer,
  clearProblem,
  countSubmitTry,
  emitCancelled,
  escalateRejection,
  failCompensation,
  failSubmission,
  markCancel,
  markInvoiceVoided,
  markWon,
  raiseMissingAccount,
  rejectBlockedCustomer,
  rejectBySalesOrder,
  rejectIncompleteOrder,
  rememberKey,
  requireResync,
  restartSubmitTries,
  startSubmission,
  storeInvoiceFailure,
  storeInvoiceNumber,
  storeOrderNumber,
  voidInvoice,
} from './orderActions.ts';
import { orderSetup } from './orderSetup.ts';

/**
 * Exception reasons the order machine raises. ERP rejections and
 * `customer.blocked` replies are raised with their own reason, so a reason
 * outside this list passes through unchanged.
 */
export const orderExceptionReasons = [
  'missingAccount',
  'crmResyncRequired',
  'incompleteOrder',
  'taxConfigMissing',
  'creditHold',
  'unknownProduct',
  'pricingMismatch',
  'duplicate',
  'submitTimedOut',
  'rejectionUnresolved',
  'compensationFailed',
] as const;

// Routes an upsert while the deal is still open in the CRM.
const openDealUpsert = [
  { guard: 'wonWithAccount', target: '#order.awaitingCustomer', actions: [rememberKey, applyUpsert, markWon] },
  { guard: 'wonWithoutAccount', target: '#order.needsAccount', actions: [rememberKey, applyUpsert, markWon, raiseMissingAccount] },
  { guard: 'lostAfterMerge', target: '#order.lost', actions: [rememberKey, applyUpsert] },
] as const;

// Handlers shared by every state in which a create request may still get a response.
const salesOrderOutstanding = {
  'erp.salesOrder.created': [
    { guard: 'cancelRequested', target: '#order.compensating', actions: storeOrderNumber },
    { target: '#order.confirmed', actions: [storeOrderNumber, announceConfirmed] },
  ],
  'erp.salesOrder.rejected': [
    { guard: 'cancelRequested', target: '#order.cancelled' },
    { target: '#order.rejected', actions: rejectBySalesOrder },
  ],
  'order.upsert': [{ guard: 'becameLost', actions: [applyUpsert, markCancel] }, { actions: applyUpsert }],
  'order.cancel': { actions: markCancel },
} as const;

const dealReverted = {
  'order.upsert': [
    { guard: 'becameLost', target: '#order.compensating', actions: [applyUpsert, markCancel] },
    { actions: applyUpsert },
  ],
  'order.cancel': { target: '#order.compensating', actions: markCancel },
} as const;

export const orderMachine = orderSetup.createMachine({
  id: 'order',
  // Input is optional because the host starts entities without one; tests shorten timers with it.
  context: ({ input }) => createOrderContext(input as OrderInput | undefined),
  initial: 'draft',
  states: {
    draft: {
      on: {
        'order.upsert': [...openDealUpsert, { actions: [rememberKey, applyUpsert] }],
        'order.resync': { target: 'needsResync', actions: [rememberKey, requireResync] },
        'order.cancel': { target: 'cancelled', actions: [rememberKey, markCancel] },
      },
    },
    // CRM changes were lost (Salesforce gap or overflow event): the deal waits
    // for an upsert that carries its current data.
    needsResync: {
      on: {
        'order.upsert': [
          ...openDealUpsert,
          { guard: 'upsertChangesData', target: 'draft', actions: applyUpsert },
          { actions: applyUpsert },
        ],
        'order.cancel': { target: 'cancelled', actions: markCancel },
      },
    },
    needsAccount: {
      on: {
        'order.upsert': [
          { guard: 'wonWithAccount', target: 'awaitingCustomer', actions: applyUpsert },
          { guard: 'lostAfterMerge', target: 'lost', actions: applyUpsert },
          { guard: 'reopened', target: 'draft', actions: applyUpsert },
          { actions: applyUpsert },
        ],
        'order.cancel': { target: 'cancelled', actions: markCancel },
      },
    },
    awaitingCustomer: {
      entry: askCustomer,
      on: {
        'customer.ready': [
          { guard: 'readyWithCompleteOrder', target: 'submitting', actions: startSubmission },
          { guard: 'fromAskedCustomer', target: 'rejected', actions: rejectIncompleteOrder },
        ],
        'customer.blocked': { guard: 'fromAskedCustomer', target: 'rejected', actions: rejectBlockedCustomer },
        'order.upsert': [
          { guard: 'becameLost', target: 'lost', actions: applyUpsert },
          { guard: 'accountChanged', target: 'awaitingCustomer', reenter: true, actions: applyUpsert },
          { actions: applyUpsert },
        ],
        'order.cancel': { target: 'cancelled', actions: markCancel },
      },
    },
    submitting: {
      entry: {
        type: 'erp.salesOrder.create',
        params: ({ context }) => ({
          idempotencyKey: `order:${context.key}:salesOrder.create:${context.submitAttempt}`,
          order: context.submittedOrder!,
        }),
      },
      after: {
        submitDeadline: [
          { guard: 'submitTriesLeft', target: 'submitTimedOut' },
          {
            target: 'submitFailed',
            actions: failSubmission,
          },
        ],
      },
      on: salesOrderOutstanding,
    },
    // Waits before sending the same request (same idempotency key and body)
    // again. A response to an earlier request is still accepted here.
    submitTimedOut: {
      after: {
        submitRetryDelay: {
          target: 'submitting',
          actions: countSubmitTry,
        },
      },
      on: salesOrderOutstanding,
    },
    // NOTE: the ERP may contain an order whose creation was never reported, so
    // order.cancel is ignored here. order.retry re-sends the same key, which
    // returns the ERP's first result, and a cancel after that compensates.
    submitFailed: {
      on: {
        ...salesOrderOutstanding,
        'order.retry': { target: 'submitting', actions: restartSubmitTries },
      },
    },
    // The ERP created nothing, so a retry sends customer.ensureReady again (the
    // customer may have been fixed or put on hold meanwhile) and submits under a
    // new attempt number.
    rejected: {
      initial: 'waiting',
      states: {
        waiting: {
          after: {
            escalateAfter: {
              target: 'escalated',
              actions: escalateRejection,
            },
          },
        },
        escalated: {},
      },
      on: {
        'order.retry': { target: 'awaitingCustomer' },
        'order.cancel': { target: 'cancelled', actions: markCancel },
        'order.upsert': [{ guard: 'becameLost', target: 'lost', actions: applyUpsert }, { actions: applyUpsert }],
      },
    },
    confirmed: {
      on: {
        ...dealReverted,
        'invoice.issued': { target: 'invoiced', actions: storeInvoiceNumber },
        'invoice.failed': { target: 'invoiceFailed', actions: storeInvoiceFailure },
      },
    },
    // The invoice entity already raised the CRM exception; the order waits
    // for the deal to be cancelled or reverted.
    invoiceFailed: {
      on: dealReverted,
    },
    invoiced: {
      on: {
        ...dealReverted,
        'invoice.paid': { target: 'paid' },
      },
    },
    paid: {
      always: { target: 'closed' },
    },
    closed: {
      type: 'final',
    },
    lost: {
      type: 'final',
    },
    // Undoes the ERP side step by step: the invoice first (an ERP usually
    // refuses to cancel an invoiced order), then the sales order.
    compensating: {
      initial: 'start',
      states: {
        start: {
          always: [
            {
              guard: 'invoiceToVoid',
              target: 'voidingInvoice',
              actions: voidInvoice,
            },
            { target: 'cancellingSalesOrder' },
          ],
        },
        voidingInvoice: {
          on: {
            'invoice.voided': { target: 'cancellingSalesOrder', actions: markInvoiceVoided },
            'invoice.issued': { actions: storeInvoiceNumber },
            'invoice.failed': { target: '#order.compensationFailed', actions: failCompensation },
            'invoice.paid': { target: '#order.compensationFailed', actions: failCompensation },
          },
        },
        cancellingSalesOrder: {
          entry: {
            type: 'erp.salesOrder.cancel',
            params: ({ context }) => ({
              idempotencyKey: `order:${context.key}:salesOrder.cancel`,
              orderNumber: context.orderNumber!,
            }),
          },
          on: {
            'erp.salesOrder.cancelled': { target: '#order.cancelled' },
            'erp.salesOrder.rejected': { target: '#order.compensationFailed', actions: failCompensation },
          },
        },
      },
    },
    // Resuming repeats only the steps not yet done, with the same idempotency keys.
    compensationFailed: {
      on: {
        'order.retry': { target: 'compensating', actions: clearProblem },
      },
    },
    cancelled: {
      type: 'final',
      entry: emitCancelled,
    },
  },
});

export type { OrderContext, OrderEvent, OrderInput, OrderEmitted } from './orderContext.ts';
