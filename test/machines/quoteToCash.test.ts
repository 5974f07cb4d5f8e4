import { describe, expect, it } from 'vitest';

import { customerMachine } from '../../machines/customerMachine.ts';
import { invoiceMachine } from '../../machines/invoiceMachine.ts';
import { orderMachine } from '../../machines/orderMachine.ts';
import { MachineDriver, source, type Effect } from './machineDriver.ts';

interface Delivery {
  entityType: string;
  key: string;
  event: { type: string; [field: string]: unknown };
}

// Returns a success result for every ERP request at once, like a healthy ERP.
const erpAnswers: Record<string, (params: any) => Delivery['event']> = {
  'erp.customer.upsert': () => ({ type: 'erp.customer.upserted', customerNumber: 'C-1' }),
  'erp.salesOrder.create': () => ({ type: 'erp.salesOrder.created', orderNumber: 'SO-1' }),
  'erp.salesOrder.cancel': (params) => ({ type: 'erp.salesOrder.cancelled', orderNumber: params.orderNumber }),
  'erp.invoice.create': () => ({ type: 'erp.invoice.created', invoiceNumber: 'INV-1' }),
  'erp.invoice.void': (params) => ({ type: 'erp.invoice.voided', invoiceNumber: params.invoiceNumber }),
};

/** Routes sends between the three machines and replies to ERP calls until nothing is left to deliver. */
class QuoteToCash {
  readonly entities = new Map<string, MachineDriver>();
  readonly erpCalls: Effect[] = [];
  readonly emitted: unknown[] = [];
  private readonly machines = { customer: customerMachine, order: orderMachine, invoice: invoiceMachine };

  entity(entityType: 'customer' | 'order' | 'invoice', key: string): MachineDriver {
    const id = `${entityType}/${key}`;
    let driver = this.entities.get(id);
    if (driver === undefined) {
      driver = new MachineDriver(this.machines[entityType], { key, entityType });
      this.entities.set(id, driver);
    }
    return driver;
  }

  deliver(first: Delivery): void {
    const queue = [first];

    for (let delivery = queue.shift(); delivery !== undefined; delivery = queue.shift()) {
      const effects = this.entity(delivery.entityType as 'order', delivery.key).send(delivery.event);
      queue.push(...this.route(delivery, effects));
    }
  }

  private route(from: Delivery, effects: Effect[]): Delivery[] {
    const next: Delivery[] = [];

    for (const effect of effects) {
      if (effect.type === 'ordo.send') {
        next.push(effect.params);
      } else if (effect.type === 'xstate.emit') {
        this.emitted.push(effect.params.event);
      } else if (effect.type in erpAnswers) {
        this.erpCalls.push(effect);
        next.push({ entityType: from.entityType, key: from.key, event: erpAnswers[effect.type]!(effect.params) });
      }
    }

    return next;
  }
}

function wonDeal(flow: QuoteToCash): void {
  flow.deliver({
    entityType: 'customer',
    key: 'acc-1',
    event: { type: 'customer.upsert', data: { accountId: 'acc-1', name: 'Acme', country: 'US' }, source: source('a1', '2024-01-01T00:00:00Z') },
  });
  const data = {
    opportunityId: 'opp-1',
    accountId: 'acc-1',
    productCode: 'P-1',
    quantity: 1,
    amount: { amountMinor: 9_900, currency: 'USD' },
    stage: 'closed_won',
  };
  flow.deliver({ entityType: 'order', key: 'opp-1', event: { type: 'order.upsert', data, source: source('o1', '2024-01-02T00:00:00Z') } });
}

describe('quote-to-cash machines together', () => {
  it('won deal ends closed and paid', () => {
    const flow = new QuoteToCash();

    wonDeal(flow);
    expect(flow.entity('order', 'opp-1').value).toBe('invoiced');
    expect(flow.entity('invoice', 'opp-1').value).toBe('issued');

    flow.deliver({ entityType: 'invoice', key: 'opp-1', event: { type: 'payment.received', amount: { amountMinor: 9_900, currency: 'USD' } } });

    expect(flow.entity('customer', 'acc-1').value).toBe('active');
    expect(flow.entity('order', 'opp-1').value).toBe('closed');
    expect(flow.entity('invoice', 'opp-1').value).toBe('paid');
    expect(flow.erpCalls.map((call) => call.type)).toEqual(['erp.customer.upsert', 'erp.salesOrder.create', 'erp.invoice.create']);
    expect(flow.emitted).toHaveLength(1);
  });

  it('reverted deal voids and cancels', () => {
    const flow = new QuoteToCash();
    wonDeal(flow);

    flow.deliver({ entityType: 'order', key: 'opp-1', event: { type: 'order.cancel', reason: 'customer withdrew' } });

    expect(flow.entity('order', 'opp-1').value).toBe('cancelled');
    expect(flow.entity('invoice', 'opp-1').value).toBe('voided');
    expect(flow.erpCalls.map((call) => call.type).slice(-2)).toEqual(['erp.invoice.void', 'erp.salesOrder.cancel']);
    expect(flow.emitted.map((event: any) => event.type)).toEqual(['order.created', 'order.cancelled']);
  });
});
