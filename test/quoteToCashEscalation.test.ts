import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usd } from './support/erpFixtures.ts';
import { crmTime, publishGenericAccount, publishGenericOpportunity } from './support/quoteToCashCrm.ts';
import { startQuoteToCashHarness, type QuoteToCashHarness } from './support/quoteToCashHarness.ts';
import { crmExceptionsOf, waitForEntity, waitForValue } from './support/quoteToCashWait.ts';

// Orders take their timings from the node's settings, so a short escalation delay lets the
// durable timer fire within the test on the real runtime.
describe('quote-to-cash escalation of a rejected order', () => {
  let harness: QuoteToCashHarness;

  beforeAll(async () => {
    harness = await startQuoteToCashHarness({ orderTimings: { escalateAfterMs: 400 } });
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('escalates once after the delay and raises a second exception', async () => {
    const { js, node } = harness;
    await publishGenericAccount(js, { id: 'evt-acc-fr', occurredAt: crmTime(0) }, { accountId: 'ACC-FR', name: 'Paris Pedals', country: 'FR' });
    await publishGenericOpportunity(js, { id: 'evt-opp-fr', occurredAt: crmTime(1) }, {
      opportunityId: 'OPP-FR', accountId: 'ACC-FR', productCode: 'WIDGET', quantity: 1, amount: usd(10_000), stage: 'closed_won',
    });

    await waitForEntity(node, 'order', 'OPP-FR', 'rejected.waiting');
    expect(node.store.timersOf('order', 'OPP-FR')).toHaveLength(1);

    await waitForEntity(node, 'order', 'OPP-FR', 'rejected.escalated');
    expect(node.store.timersOf('order', 'OPP-FR')).toEqual([]);

    const exceptions = await waitForValue(() => crmExceptionsOf(node.jsm, 'order', 'OPP-FR'), (found) => found.length >= 2);
    expect(exceptions.map((exception) => exception.reason)).toEqual(['taxConfigMissing', 'rejectionUnresolved']);

    const timerRows = node.store.historyOf('order', 'OPP-FR', { limit: 10 }).filter((row) => row.eventType.startsWith('xstate.after'));
    expect(timerRows).toHaveLength(1);
    expect(timerRows[0]!.outcome).toBe('applied');
  });
});
