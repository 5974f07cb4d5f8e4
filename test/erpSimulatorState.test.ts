import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startErpFixture, usd, type ErpFixture } from './support/erpFixtures.ts';
import { makeTempDir, removeTempDir } from './support/tempDir.ts';

let fixture: ErpFixture | undefined;
let tempDir: string | undefined;
afterEach(async () => {
  await fixture?.simulator.close();
  fixture = undefined;
  if (tempDir !== undefined) await removeTempDir(tempDir);
  tempDir = undefined;
});

const ACME = { accountId: 'acc-1', name: 'Acme', country: 'US' };

describe('ERP simulator state file', () => {
  it('restarted simulator keeps documents and keys', async () => {
    tempDir = await makeTempDir('erp-state');
    const stateFile = join(tempDir, 'erp.json');
    fixture = await startErpFixture({ stateFile });
    const customer = await fixture.connector.upsertCustomer(ACME, { idempotencyKey: 'c1' });
    const orderRequest = { orderKey: 'opp-1', customerNumber: customer.customerNumber, productCode: 'WIDGET', quantity: 1, amount: usd(10_000) };
    const order = await fixture.connector.createSalesOrder(orderRequest, { idempotencyKey: 'so1' });
    await fixture.simulator.close();

    fixture = await startErpFixture({ stateFile });
    const replayed = await fixture.connector.createSalesOrder(orderRequest, { idempotencyKey: 'so1' });
    const next = await fixture.connector.createSalesOrder({ ...orderRequest, orderKey: 'opp-2' }, { idempotencyKey: 'so2' });

    expect(replayed).toEqual(order);
    expect(next.orderNumber).toBe('SO-000002');
    const listing = await fixture.request('GET', '/sales-orders');
    expect(listing.body.items.map((item: { orderKey: string }) => item.orderKey)).toEqual(['opp-1', 'opp-2']);
    const customers = await fixture.request('GET', '/customers');
    expect(customers.body.items).toEqual([expect.objectContaining({ customerNumber: 'C-000001', accountId: 'acc-1', taxConfigured: true })]);
  });

  it('memory-only simulator starts empty', async () => {
    fixture = await startErpFixture();
    await fixture.connector.upsertCustomer(ACME, { idempotencyKey: 'c1' });
    await fixture.simulator.close();

    fixture = await startErpFixture();
    const stats = await fixture.request('GET', '/stats');

    expect(stats.body.documents.customers).toBe(0);
    expect(stats.body.idempotencyKeys).toBe(0);
  });
});
