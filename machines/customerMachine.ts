import { assertEvent, setup } from 'xstate';

import {
  RECORD_ACTION,
  SEND_ACTION,
  recordNote,
  sendToEntity,
  type RecordParams,
  type SendParams,
} from '../src/machineEffects.ts';
import type {
  Account,
  AccountChanges,
  ErpRejection,
  ExceptionParams,
  SourceStamp,
  WithMeta,
} from './entityEvents.ts';
import { entityKeyOf } from './entityKey.ts';
import { mergeCrmUpdate, type FieldStamps } from './mergeCrmUpdate.ts';

/**
 * Exception reasons the customer machine raises. An ERP rejection is raised
 * with the ERP's own reason, so a reason outside this list passes through
 * unchanged.
 */
export const customerExceptionReasons = ['duplicate', 'taxConfigMissing', 'crmResyncRequired'] as const;

export type CustomerEvent =
  | WithMeta<{ type: 'customer.upsert'; data: AccountChanges; source: SourceStamp }>
  | WithMeta<{ type: 'customer.resync'; reason: string; source: SourceStamp }>
  | WithMeta<{ type: 'customer.resolve'; note?: string }>
  | WithMeta<{ type: 'customer.ensureReady'; orderKey: string }>
  | WithMeta<{ type: 'erp.customer.upserted'; customerNumber: string }>
  | WithMeta<{ type: 'erp.customer.rejected' } & ErpRejection>
  | WithMeta<{ type: 'erp.customer.creditStatus'; onHold: boolean; reason?: string }>;

export interface CustomerContext {
  key: string;
  account: Partial<Account>;
  stamps: FieldStamps;
  /** Number of `erp.customer.upsert` requests so far; the newest one's idempotency key ends with it. */
  syncCount: number;
  customerNumber?: string;
  creditHold: boolean;
  creditHoldReason?: string;
  rejection?: ErpRejection;
  resyncReason?: string;
  /** Orders whose `customer.ensureReady` arrived before the customer could reply. */
  waitingOrders: string[];
  /** Set when account data changed while a sync was in flight, so it syncs again when that one ends. */
  syncAgain: boolean;
}

export interface CustomerInput {
  key?: string;
}

export interface CustomerUpsertParams {
  idempotencyKey: string;
  customer: Partial<Account>;
}

type UpsertEvent = Extract<CustomerEvent, { type: 'customer.upsert' }>;

function mergeUpsert(context: CustomerContext, event: UpsertEvent) {
  return mergeCrmUpdate(context.account, context.stamps, event.data, event.source);
}

function blockedReason(context: CustomerContext): string {
  if (context.rejection !== undefined) {
    return context.rejection.reason;
  }
  return context.creditHold ? 'creditHold' : 'notReady';
}

function replyTo(context: CustomerContext, orderKey: string, reply: 'ready' | 'blocked'): SendParams {
  const customerKey = context.key;
  const event =
    reply === 'ready'
      ? { type: 'customer.ready', customerKey, customerNumber: context.customerNumber }
      : { type: 'customer.blocked', customerKey, reason: blockedReason(context) };

  return { entityType: 'order', key: orderKey, event };
}

const customerSetup = setup({
  types: {
    context: {} as CustomerContext,
    events: {} as CustomerEvent,
  },
  // The host runs these effects after commit; XState only hands them back.
  actions: {
    'erp.customer.upsert': (_args, _params: CustomerUpsertParams) => {},
    'crm.exception.raise': (_args, _params: ExceptionParams) => {},
    [SEND_ACTION]: (_args, _params: SendParams) => {},
    [RECORD_ACTION]: (_args, _params: RecordParams) => {},
  },
  guards: {
    upsertChangesData: ({ context, event }) => {
      assertEvent(event, 'customer.upsert');
      return mergeUpsert(context, event).changed.length > 0;
    },
    syncAgain: ({ context }) => context.syncAgain,
    creditHoldActive: ({ context }) => context.creditHold,
    creditHoldSet: ({ event }) => {
      assertEvent(event, 'erp.customer.creditStatus');
      return event.onHold;
    },
    creditHoldCleared: ({ event }) => {
      assertEvent(event, 'erp.customer.creditStatus');
      return !event.onHold;
    },
  },
});

const rememberKey = customerSetup.assign({
  key: ({ context, event }) => entityKeyOf(context.key, event),
});

// Merges the fields that are newer than the stored ones and records the rest as stale,
// so older CRM data never overwrites newer data.
const applyUpsert = customerSetup.enqueueActions(({ context, event, enqueue }) => {
  assertEvent(event, 'customer.upsert');
  const merge = mergeUpsert(context, event);

  enqueue.assign({ account: merge.data, stamps: merge.stamps });
  if (merge.stale.length > 0) {
    enqueue(recordNote({ note: 'stale', details: { fields: merge.stale, eventId: event.source.eventId } }));
  }
});

const markSyncAgain = customerSetup.assign({ syncAgain: true });

const queueOrder = customerSetup.assign({
  waitingOrders: ({ context, event }) => {
    assertEvent(event, 'customer.ensureReady');
    if (context.waitingOrders.includes(event.orderKey)) {
      return context.waitingOrders;
    }
    return [...context.waitingOrders, event.orderKey];
  },
});

const replyReady = customerSetup.enqueueActions(({ context, event, enqueue }) => {
  assertEvent(event, 'customer.ensureReady');
  enqueue(sendToEntity(replyTo(context, event.orderKey, 'ready')));
});

const replyBlocked = customerSetup.enqueueActions(({ context, event, enqueue }) => {
  assertEvent(event, 'customer.ensureReady');
  enqueue(sendToEntity(replyTo(context, event.orderKey, 'blocked')));
});

// Called after the sync outcome is in context: ready when the ERP number is
// known and no credit hold or rejection blocks the customer.
const answerWaitingOrders = customerSetup.enqueueActions(({ context, enqueue }) => {
  const blocked = context.creditHold || context.rejection !== undefined || context.customerNumber === undefined;

  for (const orderKey of context.waitingOrders) {
    enqueue(sendToEntity(replyTo(context, orderKey, blocked ? 'blocked' : 'ready')));
  }
  enqueue.assign({ waitingOrders: [] });
});

const storeCustomerNumber = customerSetup.assign({
  customerNumber: ({ event }) => {
    assertEvent(event, 'erp.customer.upserted');
    return event.customerNumber;
  },
  rejection: undefined,
});

const storeRejection = customerSetup.assign({
  rejection: ({ event }) => {
    assertEvent(event, 'erp.customer.rejected');
    return { operation: event.operation, reason: event.reason, message: event.message };
  },
});

const storeCreditStatus = customerSetup.assign(({ event }) => {
  assertEvent(event, 'erp.customer.creditStatus');
  return { creditHold: event.onHold, creditHoldReason: event.onHold ? event.reason : undefined };
});

const raiseRejection = {
  type: 'crm.exception.raise',
  params: ({ context, event }: { context: CustomerContext; event: CustomerEvent }): ExceptionParams => {
    assertEvent(event, 'erp.customer.rejected');
    return {
      reason: event.reason,
      message: `ERP rejected customer ${context.key}: ${event.message}`,
      details: { entityType: 'customer', key: context.key, operation: event.operation },
    };
  },
} as const;

const requireResync = customerSetup.enqueueActions(({ context, event, enqueue }) => {
  assertEvent(event, 'customer.resync');
  enqueue.assign({ resyncReason: event.reason });
  enqueue({
    type: 'crm.exception.raise',
    params: {
      reason: 'crmResyncRequired',
      message: `CRM changes to account ${context.key} were lost (${event.reason}); send a full account upsert or customer.resolve`,
      details: { entityType: 'customer', key: context.key, source: event.source },
    },
  });
});

// Shared by every state that accepts account updates while no sync is in flight.
const upsertStartsSync = [
  { guard: 'upsertChangesData', target: 'syncing', actions: applyUpsert },
  { actions: applyUpsert },
] as const;

const resyncTransition = { target: 'needsResync', actions: requireResync } as const;

export const customerMachine = customerSetup.createMachine({
  id: 'customer',
  // Input is optional because the host starts entities without one; tests pass a key.
  context: ({ input }) => ({
    key: (input as CustomerInput | undefined)?.key ?? '',
    account: {},
    stamps: {},
    syncCount: 0,
    creditHold: false,
    waitingOrders: [],
    syncAgain: false,
  }),
  initial: 'pending',
  states: {
    pending: {
      on: {
        'customer.upsert': [
          { guard: 'upsertChangesData', target: 'syncing', actions: [rememberKey, applyUpsert] },
          { actions: [rememberKey, applyUpsert] },
        ],
        'customer.ensureReady': { actions: [rememberKey, queueOrder] },
        'customer.resync': { target: 'needsResync', actions: [rememberKey, requireResync] },
        'erp.customer.creditStatus': { actions: [rememberKey, storeCreditStatus] },
      },
    },
    syncing: {
      entry: [
        customerSetup.assign({
          syncCount: ({ context }) => context.syncCount + 1,
          syncAgain: false,
          rejection: undefined,
          resyncReason: undefined,
        }),
        {
          type: 'erp.customer.upsert',
          params: ({ context }) => ({
            idempotencyKey: `customer:${context.key}:upsert:${context.syncCount}`,
            customer: { ...context.account, accountId: context.key },
          }),
        },
      ],
      on: {
        'customer.upsert': [
          { guard: 'upsertChangesData', actions: [applyUpsert, markSyncAgain] },
          { actions: applyUpsert },
        ],
        'customer.ensureReady': { actions: queueOrder },
        'customer.resync': resyncTransition,
        'erp.customer.creditStatus': { actions: storeCreditStatus },
        'erp.customer.upserted': [
          { guard: 'syncAgain', target: 'syncing', reenter: true, actions: [storeCustomerNumber, answerWaitingOrders] },
          { guard: 'creditHoldActive', target: 'onCreditHold', actions: [storeCustomerNumber, answerWaitingOrders] },
          { target: 'active', actions: [storeCustomerNumber, answerWaitingOrders] },
        ],
        // Newer data arrived while the rejected sync was in flight and may fix
        // the rejection, so it is sent before anyone is asked to review.
        'erp.customer.rejected': [
          { guard: 'syncAgain', target: 'syncing', reenter: true },
          { target: 'needsReview', actions: [storeRejection, raiseRejection, answerWaitingOrders] },
        ],
      },
    },
    active: {
      on: {
        'customer.upsert': upsertStartsSync,
        'customer.ensureReady': { actions: replyReady },
        'customer.resync': resyncTransition,
        'erp.customer.creditStatus': [
          { guard: 'creditHoldSet', target: 'onCreditHold', actions: storeCreditStatus },
          { actions: storeCreditStatus },
        ],
      },
    },
    onCreditHold: {
      on: {
        'customer.upsert': upsertStartsSync,
        'customer.ensureReady': { actions: replyBlocked },
        'customer.resync': resyncTransition,
        'erp.customer.creditStatus': [
          { guard: 'creditHoldCleared', target: 'active', actions: storeCreditStatus },
          { actions: storeCreditStatus },
        ],
      },
    },
    needsReview: {
      on: {
        'customer.resolve': { target: 'syncing' },
        'customer.upsert': upsertStartsSync,
        'customer.ensureReady': { actions: replyBlocked },
        'customer.resync': resyncTransition,
        'erp.customer.creditStatus': { actions: storeCreditStatus },
      },
    },
    // CRM changes were lost (Salesforce gap or overflow event), so the held
    // data may be wrong: orders wait until a fresh upsert or an operator's
    // customer.resolve syncs the customer again.
    needsResync: {
      on: {
        'customer.upsert': upsertStartsSync,
        'customer.resolve': { target: 'syncing' },
        'customer.ensureReady': { actions: queueOrder },
        'customer.resync': { actions: requireResync },
        'erp.customer.creditStatus': { actions: storeCreditStatus },
        // Results of a sync that was in flight when the gap was reported.
        'erp.customer.upserted': { actions: storeCustomerNumber },
        'erp.customer.rejected': { actions: storeRejection },
      },
    },
  },
});
