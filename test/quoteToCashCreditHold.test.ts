import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usd } from './support/erpFixtures.ts';
import { crmTime, publishGenericAccount, publishGenericOpportunity, sendOperatorCommand } from './support/quoteToCashCrm.ts';
import { startQuoteToCashHarness, type QuoteToCashHarness } from './support/quoteToCashHarness.ts';
import { readErpDocuments, reconcileErpDocuments } from './support/quoteToCashReconcile.ts';
import { contextOf, crmExceptionsOf, waitForEntity, waitForValue } from './support/quoteToCashWait.ts';

describe('quote-to-cash over the credit limit', () => {
  let harness: QuoteToCashHarness;

  beforeAll(async () => {
    harness = await startQuoteToCashHarness();
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('rejects until the limit is raised', async () => {
    const { js, node, erp } = harness;
    const limited = await erp.request('PUT', '/admin/credit-limits/ACC-CR', { body: { amountMinor: 5_000 } });
    expect(limited.status).toBe(200);

    await publishGenericAccount(js, { id: 'evt-acc-cr', occurredAt: crmTime(0) }, { accountId: 'ACC-CR', name: 'Tight Budget Ltd', country: 'US' });
    await publishGenericOpportunity(js, { id: 'evt-opp-cr', occurredAt: crmTime(1) }, {
      opportunityId: 'OPP-CR', accountId: 'ACC-CR', productCode: 'WIDGET', quantity: 1, amount: usd(10_000), stage: 'closed_won',
    });

    await waitForEntity(node, 'order', 'OPP-CR', 'rejected.waiting');
    expect(contextOf(node, 'order', 'OPP-CR').problem).toMatchObject({ reason: 'creditHold' });
    const exceptions = await waitForValue(() => crmExceptionsOf(node.jsm, 'order', 'OPP-CR'), (found) => found.length > 0);
    expect(exceptions.map((exception) => exception.reason)).toEqual(['creditHold']);
    expect((await readErpDocuments(erp.simulator.url)).salesOrders).toEqual([]);

    await erp.request('PUT', '/admin/credit-limits/ACC-CR', { body: { amountMinor: 50_000 } });
    await sendOperatorCommand(node.publisher, 'order', 'OPP-CR', { type: 'order.retry' }, 'operator-retry-OPP-CR');

    await waitForEntity(node, 'order', 'OPP-CR', 'invoiced');
    await node.waitForIdle({ timeoutMs: 20_000 });
    const documents = await readErpDocuments(erp.simulator.url);
    expect(reconcileErpDocuments(documents, { accountIds: ['ACC-CR'], orderKeys: ['OPP-CR'] })).toEqual([]);
    expect(documents.salesOrders[0]).toMatchObject({ amount: usd(10_000), status: 'open' });
  });
});
