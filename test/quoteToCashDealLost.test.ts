import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usd } from './support/erpFixtures.ts';
import { crmTime, publishGenericAccount, publishGenericOpportunity } from './support/quoteToCashCrm.ts';
import { startQuoteToCashHarness, type QuoteToCashHarness } from './support/quoteToCashHarness.ts';
import { readErpDocuments, reconcileErpDocuments } from './support/quoteToCashReconcile.ts';
import { historyOf, readOutboundEvents, waitForEntity } from './support/quoteToCashWait.ts';

describe('quote-to-cash deal lost after invoicing', () => {
  let harness: QuoteToCashHarness;

  beforeAll(async () => {
    harness = await startQuoteToCashHarness();
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('voids invoice and cancels order', async () => {
    const { js, node, erp } = harness;
    await publishGenericAccount(js, { id: 'evt-acc-lost', occurredAt: crmTime(0) }, { accountId: 'ACC-L', name: 'Fickle Freight', country: 'US' });
    await publishGenericOpportunity(js, { id: 'evt-opp-lost-1', occurredAt: crmTime(1) }, {
      opportunityId: 'OPP-L', accountId: 'ACC-L', productCode: 'GADGET', quantity: 3, amount: usd(7_500), stage: 'closed_won',
    });
    await waitForEntity(node, 'order', 'OPP-L', 'invoiced');

    await publishGenericOpportunity(js, { id: 'evt-opp-lost-2', occurredAt: crmTime(30) }, { opportunityId: 'OPP-L', stage: 'closed_lost' });
    await waitForEntity(node, 'order', 'OPP-L', 'cancelled');
    await waitForEntity(node, 'invoice', 'OPP-L', 'voided');
    await node.waitForIdle({ timeoutMs: 20_000 });

    const states = historyOf(node, 'order', 'OPP-L').map((row) => row.to);
    expect(states).toContain('compensating.voidingInvoice');
    expect(states).toContain('compensating.cancellingSalesOrder');
    expect(states.at(-1)).toBe('cancelled');

    const documents = await readErpDocuments(erp.simulator.url);
    expect(reconcileErpDocuments(documents, { accountIds: ['ACC-L'], orderKeys: ['OPP-L'] })).toEqual([]);
    expect(documents.invoices[0]).toMatchObject({ status: 'voided' });
    expect(documents.salesOrders[0]).toMatchObject({ status: 'cancelled' });

    const cancelled = await readOutboundEvents(node.jsm, 'ordo.events.order.order.cancelled');
    expect(cancelled.map((event) => event.payload.event)).toEqual([
      expect.objectContaining({ orderKey: 'OPP-L', orderNumber: documents.salesOrders[0]!.orderNumber, reason: 'closed_lost' }),
    ]);
  });
});
