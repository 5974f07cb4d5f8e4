import { assertEvent, setup } from 'xstate';

import { RECORD_ACTION, SEND_ACTION, type RecordParams, type SendParams } from '../src/machineEffects.ts';
import type { ExceptionParams } from './entityEvents.ts';
import { mergeCrmUpdate } from './mergeCrmUpdate.ts';
import {
  salesOrderBodyOf,
  type OrderContext,
  type OrderEmitted,
  type OrderEvent,
  type OrderUpsertEvent,
  type SalesOrderCancelParams,
  type SalesOrderCreateParams,
} from './orderContext.ts';

export function mergeUpsert(context: OrderContext, event: OrderUpsertEvent) {
  return mergeCrmUpdate(context.opportunity, context.stamps, event.data, event.source);
}

function mergedOpportunity(context: OrderContext, event: OrderEvent) {
  assertEvent(event, 'order.upsert');
  return mergeUpsert(context, event).data;
}

// True only when this upsert moves the stage, so later upserts that repeat
// closed_lost (or arrive stale) start nothing.
function stageChangedTo(context: OrderContext, event: OrderEvent, stage: string): boolean {
  assertEvent(event, 'order.upsert');
  const merge = mergeUpsert(context, event);
  return merge.changed.includes('stage') && merge.data.stage === stage;
}

export function exception(context: OrderContext, reason: string, message: string, details: Record<string, unknown> = {}): ExceptionParams {
  return { reason, message, details: { entityType: 'order', key: context.key, ...details } };
}

/** The order machine's types, effect actions, guards and timer delays. */
export const orderSetup = setup({
  types: {
    context: {} as OrderContext,
    events: {} as OrderEvent,
    emitted: {} as OrderEmitted,
  },
  // The host runs these effects after commit; XState only hands them back.
  actions: {
    'erp.salesOrder.create': (_args, _params: SalesOrderCreateParams) => {},
    'erp.salesOrder.cancel': (_args, _params: SalesOrderCancelParams) => {},
    'crm.exception.raise': (_args, _params: ExceptionParams) => {},
    [SEND_ACTION]: (_args, _params: SendParams) => {},
    [RECORD_ACTION]: (_args, _params: RecordParams) => {},
  },
  guards: {
    wonWithAccount: ({ context, event }) => {
      const merged = mergedOpportunity(context, event);
      return merged.stage === 'closed_won' && merged.accountId !== undefined;
    },
    wonWithoutAccount: ({ context, event }) => mergedOpportunity(context, event).stage === 'closed_won',
    lostAfterMerge: ({ context, event }) => mergedOpportunity(context, event).stage === 'closed_lost',
    reopened: ({ context, event }) => {
      assertEvent(event, 'order.upsert');
      const merge = mergeUpsert(context, event);
      return merge.changed.includes('stage') && merge.data.stage !== 'closed_won';
    },
    upsertChangesData: ({ context, event }) => {
      assertEvent(event, 'order.upsert');
      return mergeUpsert(context, event).changed.length > 0;
    },
    becameLost: ({ context, event }) => stageChangedTo(context, event, 'closed_lost'),
    accountChanged: ({ context, event }) => {
      assertEvent(event, 'order.upsert');
      return mergeUpsert(context, event).changed.includes('accountId');
    },
    fromAskedCustomer: ({ context, event }) => {
      assertEvent(event, ['customer.ready', 'customer.blocked']);
      return event.customerKey === context.customerKey;
    },
    readyWithCompleteOrder: ({ context, event }) => {
      assertEvent(event, 'customer.ready');
      return event.customerKey === context.customerKey && salesOrderBodyOf(context, event.customerNumber) !== undefined;
    },
    cancelRequested: ({ context }) => context.cancelReason !== undefined,
    submitTriesLeft: ({ context }) => context.submitTries < context.maxSubmitAttempts,
    invoiceToVoid: ({ context }) => context.invoiceRequested && !context.invoiceVoided,
  },
  delays: {
    submitDeadline: ({ context }) => context.submitDeadlineMs,
    submitRetryDelay: ({ context }) => context.submitRetryDelayMs,
    escalateAfter: ({ context }) => context.escalateAfterMs,
  },
});

