import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usd } from './support/erpFixtures.ts';
import { publishHubspotDelivery } from './support/quoteToCashCrm.ts';
import { startQuoteToCashHarness, type QuoteToCashHarness } from './support/quoteToCashHarness.ts';
import { contextOf, historyOf, waitForEntity } from './support/quoteToCashWait.ts';

const DEAL_ID = 9876543210;
const T0 = Date.UTC(2024, 5, 1, 12, 0, 0);

// Property changes of one deal, newest first, as HubSpot may deliver them.
const CHANGES = [
  { eventId: 4001, occurredAt: T0 + 50_000, propertyName: 'amount', propertyValue: '1500.10' },
  { eventId: 4002, occurredAt: T0 + 40_000, propertyName: 'dealstage', propertyValue: 'closedwon' },
  { eventId: 4003, occurredAt: T0 + 30_000, propertyName: 'amount', propertyValue: '1200' },
  { eventId: 4004, occurredAt: T0 + 20_000, propertyName: 'dealstage', propertyValue: 'contractsent' },
  { eventId: 4005, occurredAt: T0 + 10_000, propertyName: 'amount', propertyValue: '900' },
];

function propertyChange(change: (typeof CHANGES)[number]) {
  return {
    ...change,
    subscriptionId: 1859972,
    portalId: 27356661,
    appId: 1109808,
    subscriptionType: 'deal.propertyChange',
    attemptNumber: 0,
    objectId: DEAL_ID,
    changeSource: 'CRM_UI',
  };
}

describe('HubSpot property changes delivered newest first', () => {
  let harness: QuoteToCashHarness;

  beforeAll(async () => {
    harness = await startQuoteToCashHarness();
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('keeps newest values, records stale', async () => {
    const { js, node } = harness;
    for (const change of CHANGES) {
      await publishHubspotDelivery(js, 'deal', [propertyChange(change)], `hubspot-delivery-${change.eventId}`);
    }

    const key = String(DEAL_ID);
    const commandIds = CHANGES.map((change) => `hubspot:27356661:1859972:${change.eventId}:0`);
    await waitForEntity(node, 'order', key, () => commandIds.every((id) => historyOf(node, 'order', key).some((row) => row.msgId === id)));
    await node.waitForIdle({ timeoutMs: 20_000 });

    const order = contextOf(node, 'order', key);
    expect(order.opportunity).toMatchObject({ amount: usd(150_010), stage: 'closed_won' });
    expect(order.stamps.amount.eventId).toBe('4001');
    expect(order.stamps.stage.eventId).toBe('4002');
    // Won without an account: the deal waits for one and nothing reaches the ERP.
    expect(node.store.getEntity('order', key)?.state).toBe('needsAccount');

    const rows = historyOf(node, 'order', key).filter((row) => commandIds.includes(row.msgId));
    expect(rows.map((row) => row.msgId)).toEqual(commandIds);
    const staleFields = rows.map((row) => row.notes.filter((note) => note.note === 'stale').flatMap((note) => note.details?.fields as string[]));
    expect(staleFields[0]).toEqual([]);
    expect(staleFields[1]).not.toContain('stage');
    expect(staleFields[2]).toContain('amount');
    expect(staleFields[3]).toContain('stage');
    expect(staleFields[4]).toContain('amount');
    const staleEventIds = rows.flatMap((row) => row.notes.filter((note) => note.note === 'stale').map((note) => note.details?.eventId));
    expect(staleEventIds).toEqual(expect.arrayContaining(['4003', '4004', '4005']));
    expect(staleEventIds).not.toContain('4001');
  });
});
