import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CircuitState } from '../src/effects/circuitBreaker.ts';
import { usd } from './support/erpFixtures.ts';
import { crmTime, publishGenericAccount, publishGenericOpportunity } from './support/quoteToCashCrm.ts';
import { startQuoteToCashHarness, type QuoteToCashHarness } from './support/quoteToCashHarness.ts';
import { readErpDocuments, reconcileErpDocuments } from './support/quoteToCashReconcile.ts';
import { contextOf, waitForEntity, waitForValue } from './support/quoteToCashWait.ts';

const KEYS = ['1', '2', '3', '4', '5'];
const CONNECTOR_TIMEOUT_MS = 300;

// This seed gives, for the calls in arrival order: the first succeeds (the breaker's probe),
// the third hangs, and 503s and 429s follow with at most two failures in a row, so the
// breaker closes and stays closed. The test checks these counts, so a change to the
// simulator's fault draws shows up as a failure here, not as a silently weaker test.
const RANDOM_FAULTS = { seed: 194, rate503: 0.2, rate429: 0.15, retryAfterSeconds: 1, hangRate: 0.05, hangMs: 1_500 };

/** Records every breaker state the handler reports, polled every 10 ms. */
function watchBreaker(read: () => CircuitState): { states: CircuitState[]; stop(): void } {
  const states: CircuitState[] = [read()];
  const timer = setInterval(() => {
    const state = read();
    if (state !== states.at(-1)) states.push(state);
  }, 10);
  return { states, stop: () => clearInterval(timer) };
}

describe('quote-to-cash with a failing ERP', () => {
  let harness: QuoteToCashHarness;

  beforeAll(async () => {
    harness = await startQuoteToCashHarness({ erpTimeoutMs: CONNECTOR_TIMEOUT_MS });
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('retries through 503, 429 and a hang', { timeout: 60_000 }, async () => {
    const { js, node, erp, running } = harness;
    const breaker = watchBreaker(() => running.erp.breakerState);

    try {
      // Every call fails until the breaker opens (5 failures in a row).
      expect((await erp.request('POST', '/admin/faults', { body: { seed: 1, failFirstN: 1_000 } })).status).toBe(200);
      for (const key of KEYS) {
        await publishGenericAccount(js, { id: `evt-acc-f${key}`, occurredAt: crmTime(0) }, { accountId: `ACC-F${key}`, name: `Faulty Customer ${key}`, country: 'US' });
        await publishGenericOpportunity(js, { id: `evt-opp-f${key}`, occurredAt: crmTime(1) }, {
          opportunityId: `OPP-F${key}`, accountId: `ACC-F${key}`, productCode: 'WIDGET', quantity: 1, amount: usd(10_000), stage: 'closed_won',
        });
      }
      await waitForValue(async () => breaker.states, (states) => states.includes('open'));
      expect(breaker.states).toEqual(['closed', 'open']);

      // While open, no call reaches the ERP, so the probe is the first call of the new profile.
      expect((await erp.request('POST', '/admin/faults', { body: RANDOM_FAULTS })).status).toBe(200);
      for (const key of KEYS) await waitForEntity(node, 'order', `OPP-F${key}`, 'invoiced', 45_000);
      await node.waitForIdle({ timeoutMs: 30_000 });
    } finally {
      breaker.stop();
    }

    expect(breaker.states.slice(0, 2)).toEqual(['closed', 'open']);
    expect(breaker.states.at(-1)).toBe('closed');

    // The simulator processes the hung call after the connector has given up. Whichever of
    // the hung call and its retry comes second finds the first one's result and is a replay.
    const stats = await waitForValue(async () => (await erp.request('GET', '/stats')).body, (body) => body.calls.byOutcome.replayed >= 1, 5_000);
    expect(stats.calls.hangs).toBe(1);
    expect(stats.calls.byOutcome.fault503).toBeGreaterThanOrEqual(5 + 3);
    expect(stats.calls.byOutcome.fault429).toBeGreaterThanOrEqual(1);
    expect(stats.calls.byOutcome.replayed).toBeGreaterThanOrEqual(1);
    expect(stats.calls.byOutcome.idempotencyConflict).toBeUndefined();

    const accountIds = KEYS.map((key) => `ACC-F${key}`);
    const orderKeys = KEYS.map((key) => `OPP-F${key}`);
    const documents = await readErpDocuments(erp.simulator.url);
    expect(reconcileErpDocuments(documents, { accountIds, orderKeys })).toEqual([]);
    // Every document came from the first request of its business step, retried under one key.
    expect(documents.customers.map((customer) => customer.idempotencyKey).sort()).toEqual(accountIds.map((id) => `customer:${id}:upsert:1`));
    expect(documents.salesOrders.map((order) => order.idempotencyKey).sort()).toEqual(orderKeys.map((key) => `order:${key}:salesOrder.create:1`));
    expect(documents.invoices.map((invoice) => invoice.idempotencyKey).sort()).toEqual(orderKeys.map((key) => `invoice:${key}:create`));
    for (const key of orderKeys) expect(contextOf(node, 'order', key).submitTries).toBe(1);
  });
});
