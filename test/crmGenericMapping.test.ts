import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CrmMappingError } from '../src/crm/crmMappingError.ts';
import { mapCrmEvent } from '../src/crm/mapCrmEvent.ts';

function fixture(name: string): Record<string, any> {
  return JSON.parse(readFileSync(new URL(`./fixtures/crm/${name}`, import.meta.url), 'utf8'));
}

function input(object: string, objectId: string, body: unknown) {
  return { source: 'generic', object, objectId, body, msgId: 'nats-msg-id-not-used' };
}

function mappingError(run: () => unknown): CrmMappingError {
  try {
    run();
  } catch (error) {
    if (error instanceof CrmMappingError) return error;
    throw error;
  }
  throw new Error('expected a CrmMappingError, but the mapping succeeded');
}

describe('generic CRM mapping', () => {
  it('maps account.upserted to customer.upsert', () => {
    const body = fixture('generic-account-upserted.json');
    const { commands, ignored } = mapCrmEvent(input('account', 'ACC-1001', body));

    expect(ignored).toEqual([]);
    expect(commands).toEqual([
      {
        entityType: 'customer',
        key: 'ACC-1001',
        msgId: 'generic:evt-2024-06-01-0001:0',
        event: {
          type: 'customer.upsert',
          data: body.data,
          source: { system: 'generic', eventId: 'evt-2024-06-01-0001', version: 7, timestamp: '2024-06-01T12:00:00.000Z' },
        },
      },
    ]);
  });

  it('maps opportunity.upserted to order.upsert', () => {
    const body = fixture('generic-opportunity-upserted.json');
    const [command] = mapCrmEvent(input('opportunity', 'OPP-2001', body)).commands;

    expect(command?.entityType).toBe('order');
    expect(command?.key).toBe('OPP-2001');
    expect(command?.event).toMatchObject({ type: 'order.upsert', data: body.data });
    expect(command?.event).not.toHaveProperty('source.version');
  });

  it('maps payment.received to the invoice of the order', () => {
    const body = fixture('generic-payment-received.json');
    const [command] = mapCrmEvent(input('payment', 'PAY-3001', body)).commands;

    expect(command?.entityType).toBe('invoice');
    expect(command?.key).toBe('OPP-2001');
    expect(command?.event).toEqual({
      type: 'payment.received',
      amount: { amountMinor: 12500000, currency: 'USD' },
      source: { system: 'generic', eventId: 'evt-2024-06-20-0003', timestamp: '2024-06-20T09:30:00Z' },
    });
  });

  it('maps deletions', () => {
    const deletedAccount = { type: 'account.deleted', id: 'e9', occurredAt: '2024-06-02T00:00:00Z', data: { accountId: 'ACC-1' } };
    const deletedOpportunity = { ...deletedAccount, type: 'opportunity.deleted', data: { opportunityId: 'OPP-1' } };

    expect(mapCrmEvent(input('account', 'ACC-1', deletedAccount)).commands[0]?.event).toMatchObject({ type: 'customer.resync', reason: 'deleted' });
    expect(mapCrmEvent(input('opportunity', 'OPP-1', deletedOpportunity)).commands[0]?.event).toMatchObject({ type: 'order.cancel' });
  });

  it('gives a redelivery the same msgIds', () => {
    const body = fixture('generic-account-upserted.json');
    const first = mapCrmEvent(input('account', 'ACC-1001', body));
    const again = mapCrmEvent({ ...input('account', 'ACC-1001', structuredClone(body)), msgId: 'another-header' });
    expect(again).toEqual(first);
  });

  it('rejects an object id differing from data', () => {
    const error = mappingError(() => mapCrmEvent(input('account', 'ACC-9999', fixture('generic-account-upserted.json'))));
    expect(error.code).toBe('ERR_CRM_OBJECT_ID_MISMATCH');
    expect(error.message).toContain('"ACC-9999"');
    expect(error.message).toContain('"ACC-1001"');
  });

  it('rejects a type for another object', () => {
    const error = mappingError(() => mapCrmEvent(input('opportunity', 'ACC-1001', fixture('generic-account-upserted.json'))));
    expect(error.code).toBe('ERR_CRM_UNKNOWN_EVENT_TYPE');
    expect(error.message).toContain('opportunity.upserted');
  });

  it('rejects an unknown type', () => {
    const body = { ...fixture('generic-account-upserted.json'), type: 'account.merged' };
    expect(mappingError(() => mapCrmEvent(input('account', 'ACC-1001', body))).code).toBe('ERR_CRM_UNKNOWN_EVENT_TYPE');
  });

  it('rejects an unknown object', () => {
    const error = mappingError(() => mapCrmEvent(input('contact', 'C-1', fixture('generic-account-upserted.json'))));
    expect(error.code).toBe('ERR_CRM_UNKNOWN_OBJECT');
    expect(error.message).toContain('"contact"');
  });

  it.each([
    ['missing id', { id: undefined }, '/id'],
    ['empty id', { id: '' }, '/id'],
    ['bad occurredAt', { occurredAt: 'last tuesday' }, '/occurredAt'],
    ['negative version', { version: -1 }, '/version'],
    ['data not an object', { data: 'ACC-1001' }, '/data'],
  ])('rejects an envelope with %s', (_case, change, path) => {
    const body = { ...fixture('generic-account-upserted.json'), ...change };
    const error = mappingError(() => mapCrmEvent(input('account', 'ACC-1001', body)));
    expect(error.code).toBe('ERR_CRM_INVALID_EVENT');
    expect(error.message).toContain(path);
  });

  it.each([
    ['an unknown field', { Country: 'USA' }, '/Country'],
    ['a float amount', { annualRevenue: { amountMinor: 10.5, currency: 'USD' } }, '/annualRevenue/amountMinor'],
    ['a lowercase currency', { annualRevenue: { amountMinor: 10, currency: 'usd' } }, '/annualRevenue/currency'],
  ])('rejects data with %s', (_case, change, path) => {
    const body = fixture('generic-account-upserted.json');
    body.data = { ...body.data, ...change };
    const error = mappingError(() => mapCrmEvent(input('account', 'ACC-1001', body)));
    expect(error.code).toBe('ERR_CRM_INVALID_EVENT');
    expect(error.message).toContain(path);
  });

  it('rejects a body that is not an object', () => {
    expect(mappingError(() => mapCrmEvent(input('account', 'ACC-1001', [1, 2]))).code).toBe('ERR_CRM_INVALID_EVENT');
  });
});
