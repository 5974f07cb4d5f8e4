import { afterEach, describe, expect, it } from 'vitest';
import { ErpBusinessRejection, ErpFatalError } from '../src/erp/erpErrors.ts';
import { startErpFixture, usd, type ErpFixture } from './support/erpFixtures.ts';

let fixture: ErpFixture | undefined;
afterEach(async () => {
  await fixture?.simulator.close();
  fixture = undefined;
});

const ACME = { accountId: 'acc-1', name: 'Acme', country: 'US' };

describe('ERP simulator idempotency', () => {
  it('same key twice creates one customer', async () => {
    fixture = await startErpFixture();
    const { connector, request } = fixture;

    const first = await connector.upsertCustomer(ACME, { idempotencyKey: 'customer:acc-1:1' });
    const second = await connector.upsertCustomer(ACME, { idempotencyKey: 'customer:acc-1:1' });

    expect(second).toEqual(first);
    const listing = await request('GET', '/customers');
    expect(listing.body.items).toHaveLength(1);
    const stats = await request('GET', '/stats');
    expect(stats.body.calls.byOutcome).toEqual({ created: 1, replayed: 1 });
  });

  it('replay returns first status, body and replay header', async () => {
    fixture = await startErpFixture();
    const headers = { 'idempotency-key': 'k-raw' };

    const first = await fixture.request('POST', '/customers', { body: ACME, headers });
    const second = await fixture.request('POST', '/customers', { body: { name: 'Acme', country: 'US', accountId: 'acc-1' }, headers });

    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(second.headers.get('idempotent-replayed')).toBe('true');
  });

  it('same key with different body is a fatal conflict', async () => {
    fixture = await startErpFixture();
    const { connector, request } = fixture;
    await connector.upsertCustomer(ACME, { idempotencyKey: 'k-conflict' });

    const error = await connector.upsertCustomer({ ...ACME, name: 'Acme Renamed' }, { idempotencyKey: 'k-conflict' }).catch((e) => e);

    expect(error).toBeInstanceOf(ErpFatalError);
    expect(error.code).toBe('ERR_ERP_IDEMPOTENCY_CONFLICT');
    expect(error.status).toBe(409);
    const listing = await request('GET', '/customers');
    expect(listing.body.items.map((c: { name: string }) => c.name)).toEqual(['Acme']);
  });

  it('key reused on another route is a conflict', async () => {
    fixture = await startErpFixture();
    const { connector } = fixture;
    const customer = await connector.upsertCustomer(ACME, { idempotencyKey: 'k-shared' });

    const order = { orderKey: 'opp-1', customerNumber: customer.customerNumber, productCode: 'WIDGET', quantity: 1, amount: usd(10_000) };
    const error = await connector.createSalesOrder(order, { idempotencyKey: 'k-shared' }).catch((e) => e);

    expect(error).toBeInstanceOf(ErpFatalError);
    expect(error.code).toBe('ERR_ERP_IDEMPOTENCY_CONFLICT');
  });

  it('rejection is replayed even after the data is fixed', async () => {
    fixture = await startErpFixture();
    const { connector, request } = fixture;
    const customer = await connector.upsertCustomer({ accountId: 'acc-fr', name: 'Fromagerie', country: 'FR' }, { idempotencyKey: 'c-fr' });
    const order = { orderKey: 'opp-fr', customerNumber: customer.customerNumber, productCode: 'WIDGET', quantity: 1, amount: usd(10_000) };

    const firstError = await connector.createSalesOrder(order, { idempotencyKey: 'so-fr:1' }).catch((e) => e);
    await request('PUT', '/admin/tax-countries/fr');
    const replayError = await connector.createSalesOrder(order, { idempotencyKey: 'so-fr:1' }).catch((e) => e);
    const created = await connector.createSalesOrder(order, { idempotencyKey: 'so-fr:2' });

    expect(firstError).toBeInstanceOf(ErpBusinessRejection);
    expect(replayError).toBeInstanceOf(ErpBusinessRejection);
    expect(replayError.reason).toBe('taxConfigMissing');
    expect(created.status).toBe('open');
    const listing = await request('GET', '/sales-orders');
    expect(listing.body.items).toHaveLength(1);
  });

  it('replay shows the document as first returned', async () => {
    fixture = await startErpFixture();
    const { connector } = fixture;
    const customer = await connector.upsertCustomer(ACME, { idempotencyKey: 'c-1' });
    const order = { orderKey: 'opp-1', customerNumber: customer.customerNumber, productCode: 'WIDGET', quantity: 1, amount: usd(10_000) };
    const created = await connector.createSalesOrder(order, { idempotencyKey: 'so-1' });

    await connector.cancelSalesOrder({ orderNumber: created.orderNumber }, { idempotencyKey: 'so-1:cancel' });
    const replayed = await connector.createSalesOrder(order, { idempotencyKey: 'so-1' });

    expect(replayed).toEqual({ orderNumber: created.orderNumber, status: 'open' });
  });

  it('document call without key is rejected with 400', async () => {
    fixture = await startErpFixture();

    const response = await fixture.request('POST', '/customers', { body: ACME });

    expect(response.status).toBe(400);
    expect(response.body.error).toBe('idempotencyKeyMissing');
    const listing = await fixture.request('GET', '/customers');
    expect(listing.body.items).toHaveLength(0);
  });
});
