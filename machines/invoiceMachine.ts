import { assertEvent, setup } from 'xstate';

import { SEND_ACTION, sendToEntity, type SendParams } from '../src/machineEffects.ts';
import type { ErpRejection, ExceptionParams, Money, SourceStamp, WithMeta } from './entityEvents.ts';
import { entityKeyOf } from './entityKey.ts';

/**
 * Exception reasons the invoice machine raises. A rejected `erp.invoice.create`
 * is raised with the ERP's own reason, so a reason outside this list passes
 * through unchanged.
 */
export const invoiceExceptionReasons = ['taxConfigMissing', 'invoiceVoidFailed'] as const;

/** Data the ERP needs to create the invoice, sent by the order in `invoice.open`. */
export interface InvoiceBody {
  orderKey: string;
  orderNumber: string;
  customerNumber: string;
  amount: Money;
  productCode: string;
  quantity: number;
}

export type InvoiceEvent =
  | WithMeta<{ type: 'invoice.open' } & InvoiceBody>
  | WithMeta<{ type: 'invoice.void'; reason?: string }>
  | WithMeta<{ type: 'payment.received'; amount: Money; source?: SourceStamp }>
  | WithMeta<{ type: 'erp.invoice.created'; invoiceNumber: string }>
  | WithMeta<{ type: 'erp.invoice.rejected' } & ErpRejection>
  | WithMeta<{ type: 'erp.invoice.voided'; invoiceNumber: string }>;

export interface InvoiceContext {
  /** The invoice key, which is also the key of its order. */
  key: string;
  invoice?: InvoiceBody;
  invoiceNumber?: string;
  /** Set when `invoice.void` arrived before the ERP returned the create result. */
  voidRequested: boolean;
  voidReason?: string;
  /** Sum of the payments received, in the invoice currency's minor units. */
  paidMinor: number;
  rejection?: ErpRejection;
}

export interface InvoiceInput {
  key?: string;
}

export interface InvoiceCreateParams {
  idempotencyKey: string;
  invoice: InvoiceBody;
}

export interface InvoiceVoidParams {
  idempotencyKey: string;
  invoiceNumber: string;
}

function tellOrder(context: InvoiceContext, event: SendParams['event']): SendParams {
  return { entityType: 'order', key: context.key, event };
}

function exception(context: InvoiceContext, reason: string, message: string, details: Record<string, unknown>): ExceptionParams {
  return { reason, message, details: { entityType: 'invoice', key: context.key, ...details } };
}

const invoiceSetup = setup({
  types: {
    context: {} as InvoiceContext,
    events: {} as InvoiceEvent,
  },
  // The host runs these effects after commit; XState only hands them back.
  actions: {
    'erp.invoice.create': (_args, _params: InvoiceCreateParams) => {},
    'erp.invoice.void': (_args, _params: InvoiceVoidParams) => {},
    'crm.exception.raise': (_args, _params: ExceptionParams) => {},
    [SEND_ACTION]: (_args, _params: SendParams) => {},
  },
  guards: {
    voidRequested: ({ context }) => context.voidRequested,
    paidInFull: ({ context, event }) => {
      assertEvent(event, 'payment.received');
      const due = context.invoice?.amount.amountMinor;
      return due === undefined || context.paidMinor + event.amount.amountMinor >= due;
    },
    paidBeforeIssue: ({ context }) => {
      const due = context.invoice?.amount.amountMinor;
      return context.paidMinor > 0 && (due === undefined || context.paidMinor >= due);
    },
  },
});

const rememberKey = invoiceSetup.assign({
  key: ({ context, event }) => entityKeyOf(context.key, event),
});

const storeInvoiceBody = invoiceSetup.assign({
  invoice: ({ event }) => {
    assertEvent(event, 'invoice.open');
    const { orderKey, orderNumber, customerNumber, amount, productCode, quantity } = event;
    return { orderKey, orderNumber, customerNumber, amount, productCode, quantity };
  },
});

const requestVoid = invoiceSetup.assign(({ event }) => {
  assertEvent(event, 'invoice.void');
  return { voidRequested: true, voidReason: event.reason };
});

const storeInvoiceNumber = invoiceSetup.assign({
  invoiceNumber: ({ event }) => {
    assertEvent(event, 'erp.invoice.created');
    return event.invoiceNumber;
  },
});

const announceIssued = invoiceSetup.enqueueActions(({ context, enqueue }) => {
  enqueue(
    sendToEntity(tellOrder(context, { type: 'invoice.issued', invoiceKey: context.key, invoiceNumber: context.invoiceNumber })),
  );
});

const addPayment = invoiceSetup.assign({
  paidMinor: ({ context, event }) => {
    assertEvent(event, 'payment.received');
    return context.paidMinor + event.amount.amountMinor;
  },
});

const announcePaid = invoiceSetup.enqueueActions(({ context, enqueue }) => {
  enqueue(sendToEntity(tellOrder(context, { type: 'invoice.paid', invoiceKey: context.key })));
});

const rejectCreate = invoiceSetup.enqueueActions(({ context, event, enqueue }) => {
  assertEvent(event, 'erp.invoice.rejected');
  const message = `ERP rejected invoice for order ${context.key}: ${event.message}`;

  enqueue.assign({ rejection: { operation: event.operation, reason: event.reason, message: event.message } });
  enqueue({ type: 'crm.exception.raise', params: exception(context, event.reason, message, { operation: event.operation }) });
  enqueue(sendToEntity(tellOrder(context, { type: 'invoice.failed', invoiceKey: context.key, reason: event.reason })));
});

const rejectVoid = invoiceSetup.enqueueActions(({ context, event, enqueue }) => {
  assertEvent(event, 'erp.invoice.rejected');
  const message = `ERP rejected the void of invoice ${context.invoiceNumber} of order ${context.key}: ${event.message}`;
  const details = { operation: event.operation, cause: event.reason, invoiceNumber: context.invoiceNumber };

  enqueue.assign({ rejection: { operation: event.operation, reason: event.reason, message: event.message } });
  enqueue({ type: 'crm.exception.raise', params: exception(context, 'invoiceVoidFailed', message, details) });
  enqueue(sendToEntity(tellOrder(context, { type: 'invoice.failed', invoiceKey: context.key, reason: event.reason })));
});

export const invoiceMachine = invoiceSetup.createMachine({
  id: 'invoice',
  // Input is optional because the host starts entities without one; tests pass a key.
  context: ({ input }) => ({ key: (input as InvoiceInput | undefined)?.key ?? '', voidRequested: false, paidMinor: 0 }),
  initial: 'idle',
  states: {
    idle: {
      on: {
        'invoice.open': { target: 'opening', actions: [rememberKey, storeInvoiceBody] },
        'invoice.void': { target: 'voided', actions: [rememberKey, requestVoid] },
      },
    },
    // A void that arrives here waits for the ERP's create result, so an
    // invoice the ERP creates anyway is voided instead of left behind.
    opening: {
      entry: {
        type: 'erp.invoice.create',
        params: ({ context }) => ({ idempotencyKey: `invoice:${context.key}:create`, invoice: context.invoice! }),
      },
      on: {
        'invoice.void': { actions: requestVoid },
        // Payment can be reported before the ERP confirms the invoice, and it counts once the invoice exists.
        'payment.received': { actions: addPayment },
        'erp.invoice.created': [
          { guard: 'voidRequested', target: 'voiding', actions: storeInvoiceNumber },
          { guard: 'paidBeforeIssue', target: 'paid', actions: [storeInvoiceNumber, announceIssued, announcePaid] },
          { target: 'issued', actions: [storeInvoiceNumber, announceIssued] },
        ],
        'erp.invoice.rejected': [
          { guard: 'voidRequested', target: 'voided' },
          { target: 'rejected', actions: rejectCreate },
        ],
      },
    },
    issued: {
      on: {
        'payment.received': [
          { guard: 'paidInFull', target: 'paid', actions: [addPayment, announcePaid] },
          { actions: addPayment },
        ],
        'invoice.void': { target: 'voiding', actions: requestVoid },
      },
    },
    voiding: {
      entry: {
        type: 'erp.invoice.void',
        params: ({ context }) => ({ idempotencyKey: `invoice:${context.key}:void`, invoiceNumber: context.invoiceNumber! }),
      },
      on: {
        'erp.invoice.voided': { target: 'voided' },
        'erp.invoice.rejected': { target: 'voidFailed', actions: rejectVoid },
      },
    },
    // Another invoice.void (the order's retry) sends the same void request again.
    voidFailed: {
      on: {
        'invoice.void': { target: 'voiding' },
      },
    },
    // Nothing exists in the ERP, so a void needs no ERP call.
    rejected: {
      on: {
        'invoice.void': { target: 'voided', actions: requestVoid },
      },
    },
    paid: {
      type: 'final',
    },
    voided: {
      type: 'final',
      entry: invoiceSetup.enqueueActions(({ context, enqueue }) => {
        enqueue(sendToEntity(tellOrder(context, { type: 'invoice.voided', invoiceKey: context.key })));
      }),
    },
  },
});
