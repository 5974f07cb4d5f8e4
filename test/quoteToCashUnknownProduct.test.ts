import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usd } from './support/erpFixtures.ts';
import { crmTime, publishGenericAccount, publishGenericOpportunity, sendOperatorCommand } from './support/quoteToCashCrm.ts';
import { startQuoteToCashHarness, type QuoteToCashHarness } from './support/quoteToCashHarness.ts';
import { readErpDocuments, reconcileErpDocuments } from './support/quoteToCashReconcile.ts';
import { contextOf, crmExceptionsOf, historyOf, waitForEntity, waitForValue } from './support/quoteToCashWait.ts';

describe('quote-to-cash with an unknown product', () => {
  let harness: QuoteToCashHarness;

  beforeAll(async () => {
    harness = await startQuoteToCashHarness();
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('rejects until the product is fixed', async () => {
    const { js, node, erp } = harness;
    await publishGenericAccount(js, { id: 'evt-acc-up', occurredAt: crmTime(0) }, { accountId: 'ACC-UP', name: 'Gizmo Traders', country: 'US' });
    await publishGenericOpportunity(js, { id: 'evt-opp-up-1', occurredAt: crmTime(1) }, {
      opportunityId: 'OPP-UP', accountId: 'ACC-UP', productCode: 'FLUX-9', quantity: 4, amount: usd(10_000), stage: 'closed_won',
    });

    await waitForEntity(node, 'order', 'OPP-UP', 'rejected.waiting');
    expect(contextOf(node, 'order', 'OPP-UP').problem).toMatchObject({ reason: 'unknownProduct' });
    const exceptions = await waitForValue(() => crmExceptionsOf(node.jsm, 'order', 'OPP-UP'), (found) => found.length > 0);
    expect(exceptions.map((exception) => exception.reason)).toEqual(['unknownProduct']);

    // The fix arrives from the CRM; the order waits for the operator's retry.
    await publishGenericOpportunity(js, { id: 'evt-opp-up-2', occurredAt: crmTime(2) }, { opportunityId: 'OPP-UP', productCode: 'GADGET' });
    await waitForEntity(node, 'order', 'OPP-UP', (record) => historyOf(node, 'order', 'OPP-UP').some((row) => row.msgId === 'generic:evt-opp-up-2:0') && record.state === 'rejected.waiting');
    expect(contextOf(node, 'order', 'OPP-UP').opportunity.productCode).toBe('GADGET');
    expect((await readErpDocuments(erp.simulator.url)).salesOrders).toEqual([]);

    await sendOperatorCommand(node.publisher, 'order', 'OPP-UP', { type: 'order.retry' }, 'operator-retry-OPP-UP');
    await waitForEntity(node, 'order', 'OPP-UP', 'invoiced');
    await node.waitForIdle({ timeoutMs: 20_000 });

    const documents = await readErpDocuments(erp.simulator.url);
    expect(reconcileErpDocuments(documents, { accountIds: ['ACC-UP'], orderKeys: ['OPP-UP'] })).toEqual([]);
    expect(documents.salesOrders[0]).toMatchObject({ productCode: 'GADGET', quantity: 4 });
  });
});
