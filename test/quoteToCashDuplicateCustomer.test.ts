import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usd } from './support/erpFixtures.ts';
import { crmTime, publishGenericAccount, publishGenericOpportunity, sendOperatorCommand } from './support/quoteToCashCrm.ts';
import { startQuoteToCashHarness, type QuoteToCashHarness } from './support/quoteToCashHarness.ts';
import { readErpDocuments, reconcileErpDocuments } from './support/quoteToCashReconcile.ts';
import { contextOf, crmExceptionsOf, waitForEntity, waitForValue } from './support/quoteToCashWait.ts';

describe('quote-to-cash with a duplicate customer name', () => {
  let harness: QuoteToCashHarness;

  beforeAll(async () => {
    harness = await startQuoteToCashHarness();
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('holds customer for review until resolved', async () => {
    const { js, node, erp } = harness;
    await publishGenericAccount(js, { id: 'evt-acc-a-1', occurredAt: crmTime(0) }, { accountId: 'ACC-A', name: 'Acme, Inc.', country: 'US' });
    await waitForEntity(node, 'customer', 'ACC-A', 'active');

    // Same name once case, spaces and punctuation are dropped.
    await publishGenericAccount(js, { id: 'evt-acc-b-1', occurredAt: crmTime(1) }, { accountId: 'ACC-B', name: 'ACME Inc', country: 'US' });
    await publishGenericOpportunity(js, { id: 'evt-opp-b-1', occurredAt: crmTime(2) }, {
      opportunityId: 'OPP-B', accountId: 'ACC-B', productCode: 'WIDGET', quantity: 1, amount: usd(10_000), stage: 'closed_won',
    });

    await waitForEntity(node, 'customer', 'ACC-B', 'needsReview');
    expect(contextOf(node, 'customer', 'ACC-B').rejection).toMatchObject({ reason: 'duplicate' });
    await waitForEntity(node, 'order', 'OPP-B', 'rejected.waiting');
    expect(contextOf(node, 'order', 'OPP-B').problem).toMatchObject({ reason: 'duplicate' });

    const customerExceptions = await waitForValue(() => crmExceptionsOf(node.jsm, 'customer', 'ACC-B'), (found) => found.length > 0);
    expect(customerExceptions.map((exception) => exception.reason)).toEqual(['duplicate']);
    const orderExceptions = await waitForValue(() => crmExceptionsOf(node.jsm, 'order', 'OPP-B'), (found) => found.length > 0);
    expect(orderExceptions.map((exception) => exception.reason)).toEqual(['duplicate']);
    expect((await readErpDocuments(erp.simulator.url)).customers.map((customer) => customer.accountId)).toEqual(['ACC-A']);

    // The operator renames the other account in the CRM, then resolves the held customer.
    await publishGenericAccount(js, { id: 'evt-acc-a-2', occurredAt: crmTime(3) }, { accountId: 'ACC-A', name: 'Acme Holdings' });
    await waitForEntity(node, 'customer', 'ACC-A', (record) => record.state === 'active' && contextOf(node, 'customer', 'ACC-A').syncCount === 2);
    await node.waitForIdle({ timeoutMs: 20_000 });
    expect(node.store.getEntity('customer', 'ACC-B')?.state).toBe('needsReview');

    await sendOperatorCommand(node.publisher, 'customer', 'ACC-B', { type: 'customer.resolve', note: 'renamed ACC-A' }, 'operator-resolve-ACC-B');
    await waitForEntity(node, 'customer', 'ACC-B', 'active');
    await sendOperatorCommand(node.publisher, 'order', 'OPP-B', { type: 'order.retry' }, 'operator-retry-OPP-B');
    await waitForEntity(node, 'order', 'OPP-B', 'invoiced');
    await node.waitForIdle({ timeoutMs: 20_000 });

    const documents = await readErpDocuments(erp.simulator.url);
    expect(reconcileErpDocuments(documents, { accountIds: ['ACC-A', 'ACC-B'], orderKeys: ['OPP-B'] })).toEqual([]);
    const names = Object.fromEntries(documents.customers.map((customer) => [customer.accountId, customer.name]));
    expect(names).toEqual({ 'ACC-A': 'Acme Holdings', 'ACC-B': 'ACME Inc' });
    expect(contextOf(node, 'order', 'OPP-B').customerNumber).toBe(documents.customers.find((customer) => customer.accountId === 'ACC-B')!.customerNumber);
  });
});
