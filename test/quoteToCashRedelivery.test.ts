import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STREAM } from '../src/subjects.ts';
import { usd } from './support/erpFixtures.ts';
import { crmTime, publishGenericAccount, publishGenericOpportunity, type OpportunityData } from './support/quoteToCashCrm.ts';
import { startQuoteToCashHarness, type QuoteToCashHarness } from './support/quoteToCashHarness.ts';
import { readErpDocuments, reconcileErpDocuments } from './support/quoteToCashReconcile.ts';
import { historyOf, waitForEntity } from './support/quoteToCashWait.ts';

const WON: OpportunityData = { opportunityId: 'OPP-R', accountId: 'ACC-R', productCode: 'WIDGET', quantity: 1, amount: usd(10_000), stage: 'closed_won' };
const WON_EVENT = { id: 'evt-opp-r-won', occurredAt: crmTime(1) };
const COMMAND_ID = 'generic:evt-opp-r-won:0';

async function publishAccount(harness: QuoteToCashHarness): Promise<void> {
  await publishGenericAccount(harness.js, { id: 'evt-acc-r', occurredAt: crmTime(0) }, { accountId: 'ACC-R', name: 'Repeat Robotics', country: 'US' });
}

async function expectOneErpOrder(harness: QuoteToCashHarness): Promise<void> {
  const documents = await readErpDocuments(harness.erp.simulator.url);
  expect(reconcileErpDocuments(documents, { accountIds: ['ACC-R'], orderKeys: ['OPP-R'] })).toEqual([]);
}

describe('CRM event redelivered inside the duplicate window', () => {
  let harness: QuoteToCashHarness;

  beforeAll(async () => {
    harness = await startQuoteToCashHarness();
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('creates one ERP order from three deliveries', async () => {
    const { js, node, erp } = harness;
    await publishAccount(harness);

    // A bridge that lost its acknowledgements sends the same CRM event under new delivery ids.
    for (const delivery of ['delivery-1', 'delivery-2', 'delivery-3']) {
      const ack = await publishGenericOpportunity(js, { ...WON_EVENT, msgId: delivery }, WON);
      expect(ack.duplicate).toBe(false);
      await sleep(600);
    }
    await waitForEntity(node, 'order', 'OPP-R', 'invoiced');
    await node.waitForIdle({ timeoutMs: 20_000 });

    expect((await node.jsm.streams.info(STREAM.crm)).state.messages).toBe(4);
    const commandRows = historyOf(node, 'order', 'OPP-R').filter((row) => row.msgId === COMMAND_ID);
    expect(commandRows.map((row) => row.outcome)).toEqual(['applied']);
    await expectOneErpOrder(harness);

    const stats = (await erp.request('GET', '/stats')).body;
    expect(stats.calls.byOperation['salesOrder.create']).toEqual({ created: 1 });
  });
});

describe('CRM event republished after the duplicate window', () => {
  let harness: QuoteToCashHarness;

  beforeAll(async () => {
    harness = await startQuoteToCashHarness({ config: { duplicateWindowMs: 1_000 } });
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('still creates one ERP order', async () => {
    const { js, node } = harness;
    await publishAccount(harness);
    await publishGenericOpportunity(js, { ...WON_EVENT, msgId: 'delivery-1' }, WON);
    await waitForEntity(node, 'order', 'OPP-R', 'invoiced');

    // Past the 1 s window neither stream remembers the ids, so both repeats reach the order.
    await sleep(2_500);
    expect((await publishGenericOpportunity(js, { ...WON_EVENT, msgId: 'delivery-2' }, WON)).duplicate).toBe(false);
    await sleep(2_500);
    expect((await publishGenericOpportunity(js, { ...WON_EVENT, msgId: 'delivery-1' }, WON)).duplicate).toBe(false);

    const order = await waitForEntity(node, 'order', 'OPP-R', () => historyOf(node, 'order', 'OPP-R').filter((row) => row.msgId === COMMAND_ID).length === 3);
    expect(order.state).toBe('invoiced');
    await node.waitForIdle({ timeoutMs: 20_000 });

    const commandRows = historyOf(node, 'order', 'OPP-R').filter((row) => row.msgId === COMMAND_ID);
    expect(commandRows.map((row) => row.outcome)).toEqual(['applied', 'duplicate', 'duplicate']);
    await expectOneErpOrder(harness);
  });
});
