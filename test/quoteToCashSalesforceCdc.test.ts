import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usd } from './support/erpFixtures.ts';
import { publishSalesforceChange } from './support/quoteToCashCrm.ts';
import { startQuoteToCashHarness, type QuoteToCashHarness } from './support/quoteToCashHarness.ts';
import { readErpDocuments } from './support/quoteToCashReconcile.ts';
import { contextOf, crmExceptionsOf, historyOf, waitForEntity, waitForValue } from './support/quoteToCashWait.ts';

function fixture(name: string) {
  return JSON.parse(readFileSync(new URL(`./fixtures/crm/${name}`, import.meta.url), 'utf8'));
}

describe('Salesforce change events end to end', () => {
  let harness: QuoteToCashHarness;

  beforeAll(async () => {
    harness = await startQuoteToCashHarness();
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('one event updates three orders', async () => {
    const { js, node } = harness;
    const event = fixture('salesforce-cdc-opportunity-update-three-records.json');
    const recordIds: string[] = event.ChangeEventHeader.recordIds;
    await publishSalesforceChange(js, event, 'sf-replay-000123');

    for (const [index, key] of recordIds.entries()) {
      await waitForEntity(node, 'order', key, (record) => record.state === 'needsAccount');
      expect(contextOf(node, 'order', key).opportunity).toEqual({ opportunityId: key, stage: 'closed_won', amount: usd(123_457) });
      expect(historyOf(node, 'order', key).map((row) => row.msgId)).toEqual([`salesforce:sf-replay-000123:${index}`]);
    }
  });

  it('gap event marks accounts for resync', async () => {
    const { js, node, erp } = harness;
    const create = fixture('salesforce-cdc-account-create.json');
    const [knownId, unknownId] = fixture('salesforce-cdc-gap-update.json').ChangeEventHeader.recordIds as string[];
    expect(create.ChangeEventHeader.recordIds).toEqual([knownId]);

    await publishSalesforceChange(js, create, 'sf-replay-000200');
    await waitForEntity(node, 'customer', knownId!, 'active');
    await node.waitForIdle({ timeoutMs: 20_000 });
    const accountBefore = contextOf(node, 'customer', knownId!).account;
    expect(accountBefore).toMatchObject({ name: 'Wheelworks', country: 'USA', taxRegion: 'MA' });

    await publishSalesforceChange(js, fixture('salesforce-cdc-gap-update.json'), 'sf-replay-000201');
    await waitForEntity(node, 'customer', knownId!, 'needsResync');
    await waitForEntity(node, 'customer', unknownId!, 'needsResync');
    await node.waitForIdle({ timeoutMs: 20_000 });

    expect(contextOf(node, 'customer', knownId!).account).toEqual(accountBefore);
    expect(contextOf(node, 'customer', knownId!).resyncReason).toBe('gap');
    expect(contextOf(node, 'customer', unknownId!).account).toEqual({});
    for (const key of [knownId!, unknownId!]) {
      const exceptions = await waitForValue(() => crmExceptionsOf(node.jsm, 'customer', key), (found) => found.length > 0);
      expect(exceptions.map((exception) => exception.reason), key).toEqual(['crmResyncRequired']);
    }

    // The gap reached the ERP as nothing: one customer, written once.
    const documents = await readErpDocuments(erp.simulator.url);
    expect(documents.customers.map((customer) => customer.accountId)).toEqual([knownId]);
    const stats = (await erp.request('GET', '/stats')).body;
    expect(stats.calls.byOperation['customer.upsert']).toEqual({ created: 1 });
  });
});
