import type { ErpRejection, Money, Opportunity, OpportunityChanges, SourceStamp, WithMeta } from './entityEvents.ts';
import type { FieldStamps } from './mergeCrmUpdate.ts';

export type OrderEvent =
  | WithMeta<{ type: 'order.upsert'; data: OpportunityChanges; source: SourceStamp }>
  | WithMeta<{ type: 'order.resync'; reason: string; source: SourceStamp }>
  | WithMeta<{ type: 'order.retry' }>
  | WithMeta<{ type: 'order.cancel'; reason?: string; source?: SourceStamp }>
  | WithMeta<{ type: 'customer.ready'; customerKey: string; customerNumber: string }>
  | WithMeta<{ type: 'customer.blocked'; customerKey: string; reason: string }>
  | WithMeta<{ type: 'erp.salesOrder.created'; orderNumber: string }>
  | WithMeta<{ type: 'erp.salesOrder.rejected' } & ErpRejection>
  | WithMeta<{ type: 'erp.salesOrder.cancelled'; orderNumber: string }>
  | WithMeta<{ type: 'invoice.issued'; invoiceKey: string; invoiceNumber: string }>
  | WithMeta<{ type: 'invoice.paid'; invoiceKey: string }>
  | WithMeta<{ type: 'invoice.voided'; invoiceKey: string }>
  | WithMeta<{ type: 'invoice.failed'; invoiceKey: string; reason: string }>;

export type OrderUpsertEvent = Extract<OrderEvent, { type: 'order.upsert' }>;

/** The body of one sales order request; re-sent unchanged while its idempotency key is reused. */
export interface SalesOrderBody {
  orderKey: string;
  customerNumber: string;
  productCode: string;
  quantity: number;
  amount: Money;
}

/** Reason the order is in `rejected`, or reason compensation stopped. */
export interface OrderProblem {
  reason: string;
  message: string;
  operation?: string;
}

export interface OrderTimings {
  /** Event time the ERP has to respond to one `erp.salesOrder.create` request. */
  submitDeadlineMs: number;
  /** Event time `submitTimedOut` waits before sending the same request again. */
  submitRetryDelayMs: number;
  /** Requests sent with one idempotency key before the order goes to `submitFailed`. */
  maxSubmitAttempts: number;
  /** Event time a `rejected` order waits for an operator before it is escalated. */
  escalateAfterMs: number;
}

/**
 * Timer defaults. A timer is due at the event time of the message that
 * started it plus the delay, so timers started by replayed old CRM data are
 * due at once. The submit deadline is long so that the effect executor's own
 * retries of a slow ERP call usually finish first.
 */
export const defaultOrderTimings: Readonly<OrderTimings> = Object.freeze({
  submitDeadlineMs: 10 * 60_000,
  submitRetryDelayMs: 30_000,
  maxSubmitAttempts: 3,
  escalateAfterMs: 24 * 60 * 60_000,
});

export type OrderInput = Partial<OrderTimings> & { key?: string };

export interface OrderContext extends OrderTimings {
  key: string;
  opportunity: Partial<Opportunity>;
  stamps: FieldStamps;
  /** The account asked with `customer.ensureReady`. */
  customerKey?: string;
  customerNumber?: string;
  /** Fresh submissions so far; the create idempotency key ends with it. */
  submitAttempt: number;
  /** Requests sent with the current idempotency key. */
  submitTries: number;
  submittedOrder?: SalesOrderBody;
  orderNumber?: string;
  /** Set once `invoice.open` was sent, so compensation sends `invoice.void`. */
  invoiceRequested: boolean;
  invoiceNumber?: string;
  invoiceVoided: boolean;
  problem?: OrderProblem;
  /** Set when the deal was lost or cancelled while an ERP response was outstanding. */
  cancelReason?: string;
  /** Event time of the upsert that made the deal closed_won. */
  wonAt?: string;
  /** Event time of the ERP's `erp.salesOrder.created`. */
  confirmedAt?: string;
}

export interface SalesOrderCreateParams {
  idempotencyKey: string;
  order: SalesOrderBody;
}

export interface SalesOrderCancelParams {
  idempotencyKey: string;
  orderNumber: string;
}

export type OrderEmitted =
  | {
      type: 'order.created';
      orderKey: string;
      orderNumber: string;
      order: SalesOrderBody;
      wonAt?: string;
      confirmedAt: string;
    }
  | { type: 'order.cancelled'; orderKey: string; orderNumber?: string; reason: string; occurredAt: string };

export function createOrderContext(input: OrderInput | undefined): OrderContext {
  return {
    key: input?.key ?? '',
    submitDeadlineMs: input?.submitDeadlineMs ?? defaultOrderTimings.submitDeadlineMs,
    submitRetryDelayMs: input?.submitRetryDelayMs ?? defaultOrderTimings.submitRetryDelayMs,
    maxSubmitAttempts: input?.maxSubmitAttempts ?? defaultOrderTimings.maxSubmitAttempts,
    escalateAfterMs: input?.escalateAfterMs ?? defaultOrderTimings.escalateAfterMs,
    opportunity: {},
    stamps: {},
    submitAttempt: 0,
    submitTries: 0,
    invoiceRequested: false,
    invoiceVoided: false,
  };
}

/** Builds the sales order body from the held opportunity, or returns undefined when a field is missing. */
export function salesOrderBodyOf(context: OrderContext, customerNumber: string): SalesOrderBody | undefined {
  const { productCode, quantity, amount } = context.opportunity;
  if (productCode === undefined || quantity === undefined || amount === undefined) {
    return undefined;
  }
  return { orderKey: context.key, customerNumber, productCode, quantity, amount };
}
