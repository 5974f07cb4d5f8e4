import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usd } from './support/erpFixtures.ts';
import { crmTime, publishGenericAccount, publishGenericOpportunity, publishGenericPayment } from './support/quoteToCashCrm.ts';
import { startQuoteToCashHarness, type QuoteToCashHarness } from './support/quoteToCashHarness.ts';
import { readErpDocuments, reconcileErpDocuments } from './support/quoteToCashReconcile.ts';
import { contextOf, readOutboundEvents, waitForEntity } from './support/quoteToCashWait.ts';

describe('quote-to-cash happy path', () => {
  let harness: QuoteToCashHarness;

  beforeAll(async () => {
    harness = await startQuoteToCashHarness();
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('closes a won and paid deal', async () => {
    const { js, node, erp } = harness;
    await publishGenericAccount(js, { id: 'evt-acc-1', occurredAt: crmTime(0) }, { accountId: 'ACC-1', name: 'Acme Corp', country: 'US' });
    await publishGenericOpportunity(js, { id: 'evt-opp-1', occurredAt: crmTime(1) }, {
      opportunityId: 'OPP-1', accountId: 'ACC-1', productCode: 'WIDGET', quantity: 2, amount: usd(20_000), stage: 'closed_won', closeDate: '2024-06-01',
    });

    await waitForEntity(node, 'order', 'OPP-1', 'invoiced');
    await waitForEntity(node, 'invoice', 'OPP-1', 'issued');
    expect(node.store.getEntity('customer', 'ACC-1')?.state).toBe('active');

    const documents = await readErpDocuments(erp.simulator.url);
    expect(reconcileErpDocuments(documents, { accountIds: ['ACC-1'], orderKeys: ['OPP-1'] })).toEqual([]);
    const [customer] = documents.customers;
    const [salesOrder] = documents.salesOrders;
    const [invoice] = documents.invoices;
    expect(customer).toMatchObject({ accountId: 'ACC-1', name: 'Acme Corp', country: 'US' });
    expect(salesOrder).toMatchObject({ customerNumber: customer!.customerNumber, productCode: 'WIDGET', quantity: 2, amount: usd(20_000), status: 'open' });
    expect(invoice).toMatchObject({ orderNumber: salesOrder!.orderNumber, status: 'issued' });

    const order = contextOf(node, 'order', 'OPP-1');
    expect(order.customerNumber).toBe(customer!.customerNumber);
    expect(order.orderNumber).toBe(salesOrder!.orderNumber);
    expect(order.invoiceNumber).toBe(invoice!.invoiceNumber);

    await publishGenericPayment(js, { id: 'evt-pay-1', occurredAt: crmTime(60) }, { paymentId: 'PAY-1', opportunityId: 'OPP-1', amount: usd(20_000) });
    await waitForEntity(node, 'invoice', 'OPP-1', 'paid');
    await waitForEntity(node, 'order', 'OPP-1', 'closed');
    await node.waitForIdle({ timeoutMs: 20_000 });

    const created = await readOutboundEvents(node.jsm, 'ordo.events.order.order.created');
    expect(created.map((event) => event.payload.key)).toEqual(['OPP-1']);
    expect(created[0]!.payload.event).toMatchObject({ orderNumber: salesOrder!.orderNumber, order: { customerNumber: customer!.customerNumber } });
    expect(await readOutboundEvents(node.jsm, 'ordo.events.*.crm.exception.raised')).toEqual([]);

    const after = await readErpDocuments(erp.simulator.url);
    expect(reconcileErpDocuments(after, { accountIds: ['ACC-1'], orderKeys: ['OPP-1'] })).toEqual([]);
  });
});
