import { initialTransition, transition } from 'xstate';
import { describe, expect, it } from 'vitest';

import { customerMachine } from '../../machines/customerMachine.ts';
import { MachineDriver, source, typesOf } from './machineDriver.ts';

const account = { accountId: 'acc-1', name: 'Acme GmbH', country: 'DE', taxRegion: 'DE-BY' };

function startCustomer(): MachineDriver {
  return new MachineDriver(customerMachine, { key: 'acc-1', entityType: 'customer' });
}

function upsert(data: object, eventId: string, timestamp: string, version?: number) {
  return { type: 'customer.upsert', data, source: source(eventId, timestamp, version) };
}

function readyReply(orderKey: string, customerNumber: string) {
  return {
    type: 'ordo.send',
    params: {
      entityType: 'order',
      key: orderKey,
      event: { type: 'customer.ready', customerKey: 'acc-1', customerNumber },
    },
  };
}

function blockedReply(orderKey: string, reason: string) {
  return {
    type: 'ordo.send',
    params: { entityType: 'order', key: orderKey, event: { type: 'customer.blocked', customerKey: 'acc-1', reason } },
  };
}

function syncedCustomer(): MachineDriver {
  const customer = startCustomer();
  customer.send(upsert(account, 'e1', '2024-01-01T00:00:00Z'));
  customer.send({ type: 'erp.customer.upserted', customerNumber: 'C-100' });
  return customer;
}

describe('customerMachine', () => {
  it('first upsert syncs to the ERP', () => {
    const customer = startCustomer();

    const effects = customer.send(upsert(account, 'e1', '2024-01-01T00:00:00Z'));

    expect(customer.value).toBe('syncing');
    expect(customer.context.key).toBe('acc-1');
    expect(effects).toEqual([
      { type: 'erp.customer.upsert', params: { idempotencyKey: 'customer:acc-1:upsert:1', customer: account } },
    ]);
  });

  it('ERP customer number makes it active', () => {
    const customer = startCustomer();
    customer.send(upsert(account, 'e1', '2024-01-01T00:00:00Z'));

    const effects = customer.send({ type: 'erp.customer.upserted', customerNumber: 'C-100' });

    expect(customer.value).toBe('active');
    expect(customer.context.customerNumber).toBe('C-100');
    expect(effects).toEqual([]);
  });

  it('active customer replies at once', () => {
    const customer = syncedCustomer();

    const effects = customer.send({ type: 'customer.ensureReady', orderKey: 'opp-1' });

    expect(effects).toEqual([readyReply('opp-1', 'C-100')]);
    expect(customer.context.waitingOrders).toEqual([]);
  });

  it('waiting orders get ready on success', () => {
    const customer = startCustomer();
    customer.send({ type: 'customer.ensureReady', orderKey: 'opp-0' });
    customer.send(upsert(account, 'e1', '2024-01-01T00:00:00Z'));
    expect(customer.send({ type: 'customer.ensureReady', orderKey: 'opp-1' })).toEqual([]);
    customer.send({ type: 'customer.ensureReady', orderKey: 'opp-1' });

    expect(customer.context.waitingOrders).toEqual(['opp-0', 'opp-1']);

    const effects = customer.send({ type: 'erp.customer.upserted', customerNumber: 'C-100' });

    expect(customer.value).toBe('active');
    expect(effects).toEqual([readyReply('opp-0', 'C-100'), readyReply('opp-1', 'C-100')]);
    expect(customer.context.waitingOrders).toEqual([]);
  });

  it('ERP rejection needs review and blocks orders', () => {
    const customer = startCustomer();
    customer.send(upsert(account, 'e1', '2024-01-01T00:00:00Z'));
    customer.send({ type: 'customer.ensureReady', orderKey: 'opp-1' });

    const effects = customer.send({
      type: 'erp.customer.rejected',
      operation: 'erp.customer.upsert',
      reason: 'duplicate',
      message: 'same name as C-7',
    });

    expect(customer.value).toBe('needsReview');
    expect(effects).toEqual([
      {
        type: 'crm.exception.raise',
        params: {
          reason: 'duplicate',
          message: 'ERP rejected customer acc-1: same name as C-7',
          details: { entityType: 'customer', key: 'acc-1', operation: 'erp.customer.upsert' },
        },
      },
      blockedReply('opp-1', 'duplicate'),
    ]);
    expect(customer.send({ type: 'customer.ensureReady', orderKey: 'opp-2' })).toEqual([blockedReply('opp-2', 'duplicate')]);
  });

  it('resolve syncs again under a new key', () => {
    const customer = startCustomer();
    customer.send(upsert(account, 'e1', '2024-01-01T00:00:00Z'));
    customer.send({ type: 'erp.customer.rejected', operation: 'erp.customer.upsert', reason: 'duplicate', message: 'dup' });

    const effects = customer.send({ type: 'customer.resolve', note: 'renamed in ERP' });

    expect(customer.value).toBe('syncing');
    expect(customer.context.rejection).toBeUndefined();
    expect(typesOf(effects)).toEqual(['erp.customer.upsert']);
    expect(effects[0]!.params.idempotencyKey).toBe('customer:acc-1:upsert:2');

    customer.send({ type: 'erp.customer.upserted', customerNumber: 'C-101' });
    expect(customer.value).toBe('active');
  });

  it('credit status moves active and onCreditHold', () => {
    const customer = syncedCustomer();

    customer.send({ type: 'erp.customer.creditStatus', onHold: true, reason: 'over limit' });
    expect(customer.value).toBe('onCreditHold');
    expect(customer.context.creditHoldReason).toBe('over limit');
    expect(customer.send({ type: 'customer.ensureReady', orderKey: 'opp-1' })).toEqual([blockedReply('opp-1', 'creditHold')]);

    customer.send({ type: 'erp.customer.creditStatus', onHold: false });
    expect(customer.value).toBe('active');
    expect(customer.send({ type: 'customer.ensureReady', orderKey: 'opp-1' })).toEqual([readyReply('opp-1', 'C-100')]);
  });

  it('sync ending on credit hold blocks waiting orders', () => {
    const customer = startCustomer();
    customer.send(upsert(account, 'e1', '2024-01-01T00:00:00Z'));
    customer.send({ type: 'erp.customer.creditStatus', onHold: true });
    customer.send({ type: 'customer.ensureReady', orderKey: 'opp-1' });

    const effects = customer.send({ type: 'erp.customer.upserted', customerNumber: 'C-100' });

    expect(customer.value).toBe('onCreditHold');
    expect(effects).toEqual([blockedReply('opp-1', 'creditHold')]);
  });

  it('newer upsert re-syncs an active customer', () => {
    const customer = syncedCustomer();

    const effects = customer.send(upsert({ name: 'Acme AG' }, 'e2', '2024-01-02T00:00:00Z'));

    expect(customer.value).toBe('syncing');
    expect(effects).toEqual([
      {
        type: 'erp.customer.upsert',
        params: { idempotencyKey: 'customer:acc-1:upsert:2', customer: { ...account, name: 'Acme AG' } },
      },
    ]);
  });

  it('stale upsert is recorded and changes nothing', () => {
    const customer = syncedCustomer();
    customer.send(upsert({ name: 'Acme AG' }, 'e2', '2024-01-02T00:00:00Z'));
    customer.send({ type: 'erp.customer.upserted', customerNumber: 'C-100' });

    const effects = customer.send(upsert({ name: 'Acme Old', country: 'AT' }, 'e0', '2023-12-31T00:00:00Z'));

    expect(customer.value).toBe('active');
    expect(customer.context.account.name).toBe('Acme AG');
    expect(customer.context.account.country).toBe('DE');
    expect(effects).toEqual([{ type: 'ordo.record', params: { note: 'stale', details: { fields: ['name', 'country'], eventId: 'e0' } } }]);
  });

  it('null field clears it and re-syncs', () => {
    const customer = syncedCustomer();

    const effects = customer.send(upsert({ accountId: 'acc-1', taxRegion: null }, 'e2', '2024-01-02T00:00:00Z'));

    expect(customer.value).toBe('syncing');
    expect(customer.context.account).not.toHaveProperty('taxRegion');
    expect(effects[0]!.params.customer).toEqual({ accountId: 'acc-1', name: 'Acme GmbH', country: 'DE' });
  });

  it('repeated upsert delivery starts no sync', () => {
    const customer = syncedCustomer();

    const effects = customer.send(upsert(account, 'e1', '2024-01-01T00:00:00Z'));

    expect(customer.value).toBe('active');
    expect(typesOf(effects)).toEqual(['ordo.record']);
  });

  it('versions outrank timestamps', () => {
    const customer = syncedCustomer();
    customer.send(upsert({ name: 'Acme v5' }, 'e5', '2024-01-02T00:00:00Z', 5));
    customer.send({ type: 'erp.customer.upserted', customerNumber: 'C-100' });

    const effects = customer.send(upsert({ name: 'Acme v4' }, 'e4', '2024-02-01T00:00:00Z', 4));

    expect(customer.context.account.name).toBe('Acme v5');
    expect(typesOf(effects)).toEqual(['ordo.record']);
  });

  it('upsert while syncing syncs again afterwards', () => {
    const customer = startCustomer();
    customer.send(upsert(account, 'e1', '2024-01-01T00:00:00Z'));

    expect(customer.send(upsert({ sector: 'retail' }, 'e2', '2024-01-02T00:00:00Z'))).toEqual([]);
    expect(customer.context.syncAgain).toBe(true);

    const effects = customer.send({ type: 'erp.customer.upserted', customerNumber: 'C-100' });

    expect(customer.value).toBe('syncing');
    expect(customer.context.customerNumber).toBe('C-100');
    expect(effects).toEqual([
      {
        type: 'erp.customer.upsert',
        params: { idempotencyKey: 'customer:acc-1:upsert:2', customer: { ...account, sector: 'retail' } },
      },
    ]);

    customer.send({ type: 'erp.customer.upserted', customerNumber: 'C-100' });
    expect(customer.value).toBe('active');
  });

  it('rejection with newer data pending syncs again', () => {
    const customer = startCustomer();
    customer.send(upsert({ accountId: 'acc-1', name: 'Acme' }, 'e1', '2024-01-01T00:00:00Z'));
    customer.send(upsert({ taxRegion: 'DE-BY' }, 'e2', '2024-01-02T00:00:00Z'));

    const effects = customer.send({ type: 'erp.customer.rejected', operation: 'erp.customer.upsert', reason: 'taxConfigMissing', message: 'no tax region' });

    expect(customer.value).toBe('syncing');
    expect(typesOf(effects)).toEqual(['erp.customer.upsert']);
    expect(effects[0]!.params.customer.taxRegion).toBe('DE-BY');
  });

  it('CRM gap waits for resync', () => {
    const customer = syncedCustomer();

    const effects = customer.send({ type: 'customer.resync', reason: 'GAP_UPDATE', source: source('g1', '2024-01-03T00:00:00Z') });

    expect(customer.value).toBe('needsResync');
    expect(effects).toEqual([
      {
        type: 'crm.exception.raise',
        params: {
          reason: 'crmResyncRequired',
          message: 'CRM changes to account acc-1 were lost (GAP_UPDATE); send a full account upsert or customer.resolve',
          details: { entityType: 'customer', key: 'acc-1', source: source('g1', '2024-01-03T00:00:00Z') },
        },
      },
    ]);
    expect(customer.send({ type: 'customer.ensureReady', orderKey: 'opp-1' })).toEqual([]);

    const resync = customer.send(upsert({ ...account, sector: 'retail' }, 'e3', '2024-01-04T00:00:00Z'));
    expect(customer.value).toBe('syncing');
    expect(resync[0]!.params.idempotencyKey).toBe('customer:acc-1:upsert:2');

    expect(customer.send({ type: 'erp.customer.upserted', customerNumber: 'C-100' })).toEqual([readyReply('opp-1', 'C-100')]);
  });

  it('resolve ends a CRM gap', () => {
    const customer = syncedCustomer();
    customer.send({ type: 'customer.resync', reason: 'OVERFLOW', source: source('g1', '2024-01-03T00:00:00Z') });

    const effects = customer.send({ type: 'customer.resolve' });

    expect(customer.value).toBe('syncing');
    expect(customer.context.resyncReason).toBeUndefined();
    expect(typesOf(effects)).toEqual(['erp.customer.upsert']);
  });

  it('survives persist and restore while syncing', () => {
    const customer = startCustomer();
    customer.send(upsert(account, 'e1', '2024-01-01T00:00:00Z'));
    customer.send({ type: 'customer.ensureReady', orderKey: 'opp-1' });

    customer.restore();

    expect(customer.value).toBe('syncing');
    const effects = customer.send({ type: 'erp.customer.upserted', customerNumber: 'C-100' });
    expect(customer.value).toBe('active');
    expect(effects).toEqual([readyReply('opp-1', 'C-100')]);

    customer.restore();
    expect(customer.send(upsert({ name: 'Acme AG' }, 'e2', '2024-01-02T00:00:00Z'))[0]!.params.idempotencyKey).toBe(
      'customer:acc-1:upsert:2',
    );
  });

  it('event without meta.key throws', () => {
    const [start] = initialTransition(customerMachine);
    const meta = { seq: 1, msgId: 'm1', time: '2024-01-01T00:00:00.000Z', timeMs: 0, partition: 0 };
    const event = { ...upsert(account, 'e1', '2024-01-01T00:00:00Z'), meta };

    expect(() => transition(customerMachine, start, event as never)).toThrow(/has no meta\.key/);
  });
});
