import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usd } from './support/erpFixtures.ts';
import { crmTime, publishGenericAccount, publishGenericOpportunity, sendOperatorCommand } from './support/quoteToCashCrm.ts';
import { startQuoteToCashHarness, type QuoteToCashHarness } from './support/quoteToCashHarness.ts';
import { readErpDocuments, reconcileErpDocuments } from './support/quoteToCashReconcile.ts';
import { contextOf, crmExceptionsOf, waitForEntity, waitForValue } from './support/quoteToCashWait.ts';

describe('quote-to-cash with tax configuration missing', () => {
  let harness: QuoteToCashHarness;

  beforeAll(async () => {
    harness = await startQuoteToCashHarness();
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('rejects, then recovers on retry', async () => {
    const { js, node, erp } = harness;
    await publishGenericAccount(js, { id: 'evt-acc-de', occurredAt: crmTime(0) }, { accountId: 'ACC-DE', name: 'Berlin Bikes', country: 'DE' });
    await publishGenericOpportunity(js, { id: 'evt-opp-de', occurredAt: crmTime(1) }, {
      opportunityId: 'OPP-DE', accountId: 'ACC-DE', productCode: 'WIDGET', quantity: 1, amount: usd(10_000), stage: 'closed_won',
    });

    await waitForEntity(node, 'order', 'OPP-DE', 'rejected.waiting');
    expect(contextOf(node, 'order', 'OPP-DE').problem).toMatchObject({ reason: 'taxConfigMissing' });
    expect(node.store.timersOf('order', 'OPP-DE').map((timer) => timer.timerId)).toHaveLength(1);

    const exceptions = await waitForValue(() => crmExceptionsOf(node.jsm, 'order', 'OPP-DE'), (found) => found.length > 0);
    expect(exceptions.map((exception) => exception.reason)).toEqual(['taxConfigMissing']);
    expect(exceptions[0]!.message).toContain('OPP-DE');

    let documents = await readErpDocuments(erp.simulator.url);
    expect(documents.salesOrders).toEqual([]);
    expect(documents.invoices).toEqual([]);

    const configured = await erp.request('PUT', '/admin/tax-countries/DE');
    expect(configured.status).toBe(200);
    await sendOperatorCommand(node.publisher, 'order', 'OPP-DE', { type: 'order.retry' }, 'operator-retry-OPP-DE');

    await waitForEntity(node, 'order', 'OPP-DE', 'invoiced');
    await node.waitForIdle({ timeoutMs: 20_000 });
    expect(node.store.timersOf('order', 'OPP-DE')).toEqual([]);

    documents = await readErpDocuments(erp.simulator.url);
    expect(reconcileErpDocuments(documents, { accountIds: ['ACC-DE'], orderKeys: ['OPP-DE'] })).toEqual([]);
    // The rejected request created nothing, so the retry is a fresh submission with its own key.
    expect(documents.salesOrders[0]!.idempotencyKey).toBe('order:OPP-DE:salesOrder.create:2');
    expect((await crmExceptionsOf(node.jsm, 'order', 'OPP-DE')).map((exception) => exception.reason)).toEqual(['taxConfigMissing']);
  });
});
