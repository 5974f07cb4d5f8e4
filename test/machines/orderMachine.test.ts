import { describe, expect, it } from 'vitest';

import { orderMachine } from '../../machines/orderMachine.ts';
import { MachineDriver, source, typesOf, type Effect } from './machineDriver.ts';

const usd = (amountMinor: number) => ({ amountMinor, currency: 'USD' });

const deal = {
  opportunityId: 'opp-1',
  accountId: 'acc-1',
  productCode: 'P-1',
  quantity: 2,
  amount: usd(50_000),
  stage: 'engaging',
};

const salesOrder = { orderKey: 'opp-1', customerNumber: 'C-100', productCode: 'P-1', quantity: 2, amount: usd(50_000) };

const askCustomer = {
  type: 'ordo.send',
  params: { entityType: 'customer', key: 'acc-1', event: { type: 'customer.ensureReady', orderKey: 'opp-1' } },
};

let eventCounter = 0;

function upsert(data: object, timestamp: string, eventId = `crm-${++eventCounter}`) {
  return { type: 'order.upsert', data, source: source(eventId, timestamp) };
}

function startOrder(input: object = {}): MachineDriver {
  return new MachineDriver(orderMachine, { key: 'opp-1', entityType: 'order', input });
}

function wonOrder(input: object = {}): MachineDriver {
  const order = startOrder(input);
  order.send(upsert(deal, '2024-01-01T00:00:00Z'));
  order.send(upsert({ stage: 'closed_won' }, '2024-01-02T00:00:00Z'));
  return order;
}

function submittingOrder(input: object = {}): MachineDriver {
  const order = wonOrder(input);
  order.send({ type: 'customer.ready', customerKey: 'acc-1', customerNumber: 'C-100' });
  return order;
}

function confirmedOrder(): MachineDriver {
  const order = submittingOrder();
  order.send({ type: 'erp.salesOrder.created', orderNumber: 'SO-9' });
  return order;
}

function createRequest(attempt: number, order: object = salesOrder): Effect {
  return {
    type: 'erp.salesOrder.create',
    params: { idempotencyKey: `order:opp-1:salesOrder.create:${attempt}`, order },
  };
}

function exceptionOf(effects: Effect[]) {
  return effects.find((effect) => effect.type === 'crm.exception.raise')?.params;
}

describe('orderMachine', () => {
  it('draft upserts merge into context', () => {
    const order = startOrder();

    order.send(upsert({ opportunityId: 'opp-1', stage: 'prospecting' }, '2024-01-01T00:00:00Z'));
    const effects = order.send(upsert({ accountId: 'acc-1', amount: usd(100) }, '2024-01-01T01:00:00Z'));

    expect(order.value).toBe('draft');
    expect(effects).toEqual([]);
    expect(order.context.opportunity).toEqual({ opportunityId: 'opp-1', stage: 'prospecting', accountId: 'acc-1', amount: usd(100) });
  });

  it('closed_won asks the customer', () => {
    const order = startOrder();
    order.send(upsert(deal, '2024-01-01T00:00:00Z'));

    const effects = order.send(upsert({ stage: 'closed_won' }, '2024-01-02T00:00:00Z'));

    expect(order.value).toBe('awaitingCustomer');
    expect(effects).toEqual([askCustomer]);
    expect(order.context.customerKey).toBe('acc-1');
    expect(order.context.wonAt).toBe(new Date(order.nowMs).toISOString());
  });

  it('customer.ready submits the sales order', () => {
    const order = wonOrder();

    const effects = order.send({ type: 'customer.ready', customerKey: 'acc-1', customerNumber: 'C-100' });

    expect(order.value).toBe('submitting');
    expect(effects).toEqual([createRequest(1)]);
    expect(order.context.customerNumber).toBe('C-100');
  });

  it('ready from another customer is ignored', () => {
    const order = wonOrder();

    const effects = order.send({ type: 'customer.ready', customerKey: 'acc-2', customerNumber: 'C-200' });

    expect(order.value).toBe('awaitingCustomer');
    expect(effects).toEqual([]);
  });

  it('repeated closed_won submits once', () => {
    const order = startOrder();
    const won = upsert({ ...deal, stage: 'closed_won' }, '2024-01-02T00:00:00Z', 'crm-won');
    const all: Effect[] = [];

    all.push(...order.send(won));
    all.push(...order.send(won));
    all.push(...order.send({ type: 'customer.ready', customerKey: 'acc-1', customerNumber: 'C-100' }));
    all.push(...order.send(won));
    all.push(...order.send(upsert({ stage: 'closed_won', quantity: 2 }, '2024-01-03T00:00:00Z')));
    all.push(...order.send({ type: 'customer.ready', customerKey: 'acc-1', customerNumber: 'C-100' }));

    expect(order.value).toBe('submitting');
    expect(all.filter((effect) => effect.type === 'erp.salesOrder.create')).toEqual([createRequest(1)]);
    expect(all.filter((effect) => effect.type === 'ordo.send')).toEqual([askCustomer]);
  });

  it('stale upserts newest-first keep newest values', () => {
    const order = startOrder();

    order.send(upsert({ amount: usd(300), quantity: 3 }, '2024-01-03T00:00:00Z', 'hs-3'));
    const second = order.send(upsert({ amount: usd(200) }, '2024-01-02T00:00:00Z', 'hs-2'));
    const first = order.send(upsert({ amount: usd(100), quantity: 1, productCode: 'P-1' }, '2024-01-01T00:00:00Z', 'hs-1'));

    expect(order.context.opportunity).toEqual({ amount: usd(300), quantity: 3, productCode: 'P-1' });
    expect(second).toEqual([{ type: 'ordo.record', params: { note: 'stale', details: { fields: ['amount'], eventId: 'hs-2' } } }]);
    expect(first).toEqual([
      { type: 'ordo.record', params: { note: 'stale', details: { fields: ['amount', 'quantity'], eventId: 'hs-1' } } },
    ]);
  });

  it('stale closed_lost does not lose the deal', () => {
    const order = wonOrder();

    const effects = order.send(upsert({ stage: 'closed_lost' }, '2024-01-01T12:00:00Z'));

    expect(order.value).toBe('awaitingCustomer');
    expect(typesOf(effects)).toEqual(['ordo.record']);
  });

  it('closed_lost in draft ends lost', () => {
    const order = startOrder();
    order.send(upsert(deal, '2024-01-01T00:00:00Z'));

    const effects = order.send(upsert({ stage: 'closed_lost' }, '2024-01-02T00:00:00Z'));

    expect(order.value).toBe('lost');
    expect(order.snapshot.status).toBe('done');
    expect(effects).toEqual([]);
  });

  it('closed_won without account needs one', () => {
    const order = startOrder();
    const { accountId: _accountId, ...withoutAccount } = deal;

    const effects = order.send(upsert({ ...withoutAccount, stage: 'closed_won' }, '2024-01-01T00:00:00Z'));

    expect(order.value).toBe('needsAccount');
    expect(exceptionOf(effects)).toEqual({
      reason: 'missingAccount',
      message: 'opportunity opp-1 is closed_won but names no account; set its account in the CRM',
      details: { entityType: 'order', key: 'opp-1' },
    });

    expect(order.send(upsert({ accountId: 'acc-1' }, '2024-01-02T00:00:00Z'))).toEqual([askCustomer]);
    expect(order.value).toBe('awaitingCustomer');
  });

  it('needsAccount raises its exception once', () => {
    const order = startOrder();
    order.send(upsert({ opportunityId: 'opp-1', stage: 'closed_won' }, '2024-01-01T00:00:00Z'));

    expect(order.send(upsert({ quantity: 3 }, '2024-01-02T00:00:00Z'))).toEqual([]);
    expect(order.value).toBe('needsAccount');

    order.send(upsert({ stage: 'engaging' }, '2024-01-03T00:00:00Z'));
    expect(order.value).toBe('draft');
  });

  it('CRM gap waits for a full upsert', () => {
    const order = startOrder();
    order.send(upsert(deal, '2024-01-01T00:00:00Z'));

    const effects = order.send({ type: 'order.resync', reason: 'GAP_UPDATE', source: source('g1', '2024-01-02T00:00:00Z') });

    expect(order.value).toBe('needsResync');
    expect(exceptionOf(effects).reason).toBe('crmResyncRequired');

    order.send(upsert({ ...deal, stage: 'closed_won' }, '2024-01-03T00:00:00Z'));
    expect(order.value).toBe('awaitingCustomer');
  });

  it('blocked customer rejects the order', () => {
    const order = wonOrder();

    const effects = order.send({ type: 'customer.blocked', customerKey: 'acc-1', reason: 'creditHold' });

    expect(order.value).toEqual({ rejected: 'waiting' });
    expect(exceptionOf(effects)).toEqual({
      reason: 'creditHold',
      message: 'customer acc-1 of order opp-1 is blocked (creditHold); fix the customer, then send order.retry',
      details: { entityType: 'order', key: 'opp-1', customerKey: 'acc-1' },
    });
  });

  it('incomplete deal is rejected on ready', () => {
    const order = startOrder();
    order.send(upsert({ opportunityId: 'opp-1', accountId: 'acc-1', stage: 'closed_won' }, '2024-01-01T00:00:00Z'));

    const effects = order.send({ type: 'customer.ready', customerKey: 'acc-1', customerNumber: 'C-100' });

    expect(order.value).toEqual({ rejected: 'waiting' });
    expect(exceptionOf(effects).reason).toBe('incompleteOrder');
    expect(exceptionOf(effects).details.missing).toEqual(['productCode', 'quantity', 'amount']);
  });

  it('rejection then retry confirms', () => {
    const order = submittingOrder();

    const rejected = order.send({
      type: 'erp.salesOrder.rejected',
      operation: 'erp.salesOrder.create',
      reason: 'unknownProduct',
      message: 'P-1 is not in the catalogue',
    });
    expect(order.value).toEqual({ rejected: 'waiting' });
    expect(typesOf(rejected)).toEqual(['crm.exception.raise']);
    expect(exceptionOf(rejected)).toEqual({
      reason: 'unknownProduct',
      message: 'ERP rejected sales order for opp-1: P-1 is not in the catalogue',
      details: { entityType: 'order', key: 'opp-1', operation: 'erp.salesOrder.create' },
    });
    expect(order.timers.size).toBe(1);

    order.send(upsert({ productCode: 'P-2' }, '2024-01-05T00:00:00Z'));
    expect(order.send({ type: 'order.retry' })).toEqual([askCustomer]);
    expect(order.value).toBe('awaitingCustomer');
    expect(order.timers.size).toBe(0);

    const resubmit = order.send({ type: 'customer.ready', customerKey: 'acc-1', customerNumber: 'C-100' });
    expect(resubmit).toEqual([createRequest(2, { ...salesOrder, productCode: 'P-2' })]);

    order.send({ type: 'erp.salesOrder.created', orderNumber: 'SO-9' });
    expect(order.value).toBe('confirmed');
    expect(order.context.problem).toBeUndefined();
  });

  it('unresolved rejection escalates on its timer', () => {
    const order = submittingOrder({ escalateAfterMs: 3_600_000 });
    order.send({ type: 'erp.salesOrder.rejected', operation: 'erp.salesOrder.create', reason: 'pricingMismatch', message: 'price' });
    const rejectedAtMs = order.nowMs;

    const [timer] = [...order.timers.values()];
    expect(timer!.dueMs).toBe(rejectedAtMs + 3_600_000);

    const effects = order.fireNextTimer();

    expect(order.value).toEqual({ rejected: 'escalated' });
    expect(exceptionOf(effects)).toEqual({
      reason: 'rejectionUnresolved',
      message: 'order opp-1 is still rejected (pricingMismatch); fix it and send order.retry, or order.cancel',
      details: { entityType: 'order', key: 'opp-1', cause: 'pricingMismatch' },
    });

    const cancel = order.send({ type: 'order.cancel', reason: 'customer withdrew' });
    expect(order.value).toBe('cancelled');
    expect(cancel).toEqual([
      {
        type: 'xstate.emit',
        params: {
          event: { type: 'order.cancelled', orderKey: 'opp-1', reason: 'customer withdrew', occurredAt: new Date(order.nowMs).toISOString() },
        },
      },
    ]);
  });

  it('timeout re-sends the same request', () => {
    const order = submittingOrder({ submitDeadlineMs: 60_000, submitRetryDelayMs: 5_000 });
    const submittedAtMs = order.nowMs;
    expect([...order.timers.values()].map((timer) => timer.dueMs)).toEqual([submittedAtMs + 60_000]);

    expect(order.fireNextTimer()).toEqual([]);
    expect(order.value).toBe('submitTimedOut');

    const resend = order.fireNextTimer();
    expect(order.value).toBe('submitting');
    expect(resend).toEqual([createRequest(1)]);
    expect(order.context.submitTries).toBe(2);
    expect(order.nowMs).toBe(submittedAtMs + 65_000);
  });

  it('timeouts escalate after max attempts', () => {
    const order = submittingOrder({ submitDeadlineMs: 60_000, submitRetryDelayMs: 5_000, maxSubmitAttempts: 3 });
    const requests: Effect[] = [];

    for (let round = 0; round < 2; round += 1) {
      order.fireNextTimer();
      requests.push(...order.fireNextTimer());
    }
    const final = order.fireNextTimer();

    expect(requests).toEqual([createRequest(1), createRequest(1)]);
    expect(order.value).toBe('submitFailed');
    expect(order.timers.size).toBe(0);
    expect(exceptionOf(final)).toEqual({
      reason: 'submitTimedOut',
      message: 'ERP did not respond to 3 requests to create order opp-1; check the ERP, then send order.retry',
      details: { entityType: 'order', key: 'opp-1' },
    });

    expect(order.send({ type: 'order.retry' })).toEqual([createRequest(1)]);
    expect(order.value).toBe('submitting');
  });

  it('late answer in submitTimedOut confirms', () => {
    const order = submittingOrder({ submitDeadlineMs: 60_000 });
    order.fireNextTimer();

    const effects = order.send({ type: 'erp.salesOrder.created', orderNumber: 'SO-9' });

    expect(order.value).toBe('confirmed');
    expect(order.timers.size).toBe(0);
    expect(typesOf(effects)).toEqual(['xstate.emit', 'ordo.send']);
  });

  it('confirmation announces and opens the invoice', () => {
    const order = submittingOrder();

    const effects = order.send({ type: 'erp.salesOrder.created', orderNumber: 'SO-9' });

    expect(order.value).toBe('confirmed');
    expect(effects).toEqual([
      {
        type: 'xstate.emit',
        params: {
          event: {
            type: 'order.created',
            orderKey: 'opp-1',
            orderNumber: 'SO-9',
            order: salesOrder,
            wonAt: order.context.wonAt,
            confirmedAt: new Date(order.nowMs).toISOString(),
          },
        },
      },
      {
        type: 'ordo.send',
        params: { entityType: 'invoice', key: 'opp-1', event: { type: 'invoice.open', ...salesOrder, orderNumber: 'SO-9' } },
      },
    ]);
    expect(order.timers.size).toBe(0);
  });

  it('invoice issued and paid closes the order', () => {
    const order = confirmedOrder();

    order.send({ type: 'invoice.issued', invoiceKey: 'opp-1', invoiceNumber: 'INV-3' });
    expect(order.value).toBe('invoiced');
    expect(order.context.invoiceNumber).toBe('INV-3');

    order.send({ type: 'invoice.paid', invoiceKey: 'opp-1' });
    expect(order.value).toBe('closed');
    expect(order.snapshot.status).toBe('done');
  });

  it('invoice failure waits in invoiceFailed', () => {
    const order = confirmedOrder();

    order.send({ type: 'invoice.failed', invoiceKey: 'opp-1', reason: 'taxConfigMissing' });

    expect(order.value).toBe('invoiceFailed');
    expect(order.context.problem.reason).toBe('taxConfigMissing');
  });

  it('compensation voids the invoice then cancels', () => {
    const order = confirmedOrder();
    order.send({ type: 'invoice.issued', invoiceKey: 'opp-1', invoiceNumber: 'INV-3' });

    const start = order.send(upsert({ stage: 'closed_lost' }, '2024-02-01T00:00:00Z'));
    expect(order.value).toEqual({ compensating: 'voidingInvoice' });
    expect(start).toEqual([
      { type: 'ordo.send', params: { entityType: 'invoice', key: 'opp-1', event: { type: 'invoice.void', reason: 'closed_lost' } } },
    ]);

    const cancel = order.send({ type: 'invoice.voided', invoiceKey: 'opp-1' });
    expect(order.value).toEqual({ compensating: 'cancellingSalesOrder' });
    expect(cancel).toEqual([
      { type: 'erp.salesOrder.cancel', params: { idempotencyKey: 'order:opp-1:salesOrder.cancel', orderNumber: 'SO-9' } },
    ]);

    const done = order.send({ type: 'erp.salesOrder.cancelled', orderNumber: 'SO-9' });
    expect(order.value).toBe('cancelled');
    expect(done).toEqual([
      {
        type: 'xstate.emit',
        params: {
          event: {
            type: 'order.cancelled',
            orderKey: 'opp-1',
            orderNumber: 'SO-9',
            reason: 'closed_lost',
            occurredAt: new Date(order.nowMs).toISOString(),
          },
        },
      },
    ]);
  });

  it('compensation without invoice cancels only', () => {
    const order = submittingOrder();

    expect(order.send({ type: 'order.cancel', reason: 'deal withdrawn' })).toEqual([]);
    expect(order.value).toBe('submitting');

    const effects = order.send({ type: 'erp.salesOrder.created', orderNumber: 'SO-9' });
    expect(order.value).toEqual({ compensating: 'cancellingSalesOrder' });
    expect(effects).toEqual([
      { type: 'erp.salesOrder.cancel', params: { idempotencyKey: 'order:opp-1:salesOrder.cancel', orderNumber: 'SO-9' } },
    ]);

    order.send({ type: 'erp.salesOrder.cancelled', orderNumber: 'SO-9' });
    expect(order.value).toBe('cancelled');
  });

  it('cancel before the ERP answers with a rejection', () => {
    const order = submittingOrder();
    order.send(upsert({ stage: 'closed_lost' }, '2024-02-01T00:00:00Z'));

    const effects = order.send({ type: 'erp.salesOrder.rejected', operation: 'erp.salesOrder.create', reason: 'creditHold', message: 'hold' });

    expect(order.value).toBe('cancelled');
    expect(typesOf(effects)).toEqual(['xstate.emit']);
  });

  it('compensation failure resumes where it stopped', () => {
    const order = confirmedOrder();
    order.send({ type: 'order.cancel' });
    order.send({ type: 'invoice.voided', invoiceKey: 'opp-1' });

    const failed = order.send({ type: 'erp.salesOrder.rejected', operation: 'erp.salesOrder.cancel', reason: 'alreadyShipped', message: 'shipped' });
    expect(order.value).toBe('compensationFailed');
    expect(exceptionOf(failed)).toEqual({
      reason: 'compensationFailed',
      message: 'undoing order opp-1 stopped at erp.salesOrder.rejected (alreadyShipped); fix it, then send order.retry to resume',
      details: { entityType: 'order', key: 'opp-1', cause: 'alreadyShipped' },
    });

    const resumed = order.send({ type: 'order.retry' });
    expect(order.value).toEqual({ compensating: 'cancellingSalesOrder' });
    expect(resumed).toEqual([
      { type: 'erp.salesOrder.cancel', params: { idempotencyKey: 'order:opp-1:salesOrder.cancel', orderNumber: 'SO-9' } },
    ]);
  });

  it('failed invoice void stops compensation', () => {
    const order = confirmedOrder();
    order.send({ type: 'order.cancel' });

    order.send({ type: 'invoice.failed', invoiceKey: 'opp-1', reason: 'periodClosed' });

    expect(order.value).toBe('compensationFailed');
    expect(order.context.problem.reason).toBe('periodClosed');
  });

  it('survives persist and restore mid-workflow', () => {
    const order = submittingOrder({ submitDeadlineMs: 60_000 });

    order.restore();
    expect(order.value).toBe('submitting');
    expect(order.context.submitDeadlineMs).toBe(60_000);

    order.fireNextTimer();
    order.restore();
    expect(order.value).toBe('submitTimedOut');
    expect(order.fireNextTimer()).toEqual([createRequest(1)]);

    order.send({ type: 'erp.salesOrder.created', orderNumber: 'SO-9' });
    order.send({ type: 'invoice.issued', invoiceKey: 'opp-1', invoiceNumber: 'INV-3' });
    order.send({ type: 'order.cancel' });
    order.restore();
    expect(order.value).toEqual({ compensating: 'voidingInvoice' });

    order.send({ type: 'invoice.voided', invoiceKey: 'opp-1' });
    order.restore();
    order.send({ type: 'erp.salesOrder.cancelled', orderNumber: 'SO-9' });
    expect(order.value).toBe('cancelled');
  });
});
