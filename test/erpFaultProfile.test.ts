import { afterEach, describe, expect, it } from 'vitest';
import { ErpRetryableError } from '../src/erp/erpErrors.ts';
import type { FaultProfile } from '../src/erp/simulator/faultProfile.ts';
import { startErpFixture, type ErpFixture } from './support/erpFixtures.ts';

const fixtures: ErpFixture[] = [];
afterEach(async () => {
  await Promise.all(fixtures.splice(0).map((fixture) => fixture.simulator.close()));
});

async function start(faults: FaultProfile): Promise<ErpFixture> {
  const fixture = await startErpFixture({ faults });
  fixtures.push(fixture);
  return fixture;
}

/** Sends `count` customer upserts one after another and returns their HTTP statuses. */
async function statusSequence(fixture: ErpFixture, count: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) {
    const body = { accountId: `acc-${i}`, name: `Customer ${i}`, country: 'US' };
    const response = await fixture.request('POST', '/customers', { body, headers: { 'idempotency-key': `k-${i}` } });
    statuses.push(response.status);
  }
  return statuses;
}

describe('ERP simulator fault profile', () => {
  it('same seed gives same statuses over 50 calls', async () => {
    const profile = { seed: 42, rate503: 0.2, rate429: 0.2 };
    const first = await statusSequence(await start(profile), 50);
    const second = await statusSequence(await start(profile), 50);

    expect(second).toEqual(first);
    expect(first).toContain(503);
    expect(first).toContain(429);
    expect(first).toContain(201);
  });

  it('different seed gives different statuses', async () => {
    const first = await statusSequence(await start({ seed: 1, rate503: 0.3, rate429: 0.3 }), 50);
    const second = await statusSequence(await start({ seed: 2, rate503: 0.3, rate429: 0.3 }), 50);

    expect(second).not.toEqual(first);
  });

  it('faulted calls create nothing', async () => {
    const fixture = await start({ seed: 7, rate503: 0.3, rate429: 0.3 });

    const statuses = await statusSequence(fixture, 40);

    const listing = await fixture.request('GET', '/customers');
    expect(listing.body.items).toHaveLength(statuses.filter((status) => status === 201).length);
    const stats = await fixture.request('GET', '/stats');
    expect(stats.body.calls.byOutcome.fault503).toBe(statuses.filter((status) => status === 503).length);
    expect(stats.body.calls.byOutcome.fault429).toBe(statuses.filter((status) => status === 429).length);
  });

  it('503 is retryable without delay hint', async () => {
    const { connector } = await start({ seed: 1, rate503: 1 });

    const error = await connector.upsertCustomer({ accountId: 'a', name: 'A' }, { idempotencyKey: 'k' }).catch((e) => e);

    expect(error).toBeInstanceOf(ErpRetryableError);
    expect(error.status).toBe(503);
    expect(error.retryAfterMs).toBeUndefined();
  });

  it('429 carries Retry-After in milliseconds', async () => {
    const { connector } = await start({ seed: 1, rate429: 1, retryAfterSeconds: 7 });

    const error = await connector.upsertCustomer({ accountId: 'a', name: 'A' }, { idempotencyKey: 'k' }).catch((e) => e);

    expect(error).toBeInstanceOf(ErpRetryableError);
    expect(error.status).toBe(429);
    expect(error.retryAfterMs).toBe(7_000);
  });

  it('failFirstN fails first calls of each operation', async () => {
    const fixture = await start({ seed: 1, failFirstN: 2 });

    const customerStatuses = await statusSequence(fixture, 3);
    const cancelStatuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await fixture.request('POST', '/sales-orders/SO-1/cancel', { body: {}, headers: { 'idempotency-key': `c-${i}` } });
      cancelStatuses.push(response.status);
    }

    expect(customerStatuses).toEqual([503, 503, 201]);
    expect(cancelStatuses).toEqual([503, 503, 422]);
  });

  it('latency delays each call', async () => {
    const { connector } = await start({ seed: 1, latencyMs: [150, 150] });

    const startedAt = performance.now();
    await connector.upsertCustomer({ accountId: 'a', name: 'A' }, { idempotencyKey: 'k' });

    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(145);
  });

  it('admin route replaces the profile and restarts it', async () => {
    const fixture = await start({ seed: 9, rate503: 0.5 });
    const before = await statusSequence(fixture, 20);

    const replaced = await fixture.request('POST', '/admin/faults', { body: { seed: 9, rate503: 0.5 } });
    const after = await statusSequence(fixture, 20);
    const invalid = await fixture.request('POST', '/admin/faults', { body: { seed: 9, rate503: 0.7, rate429: 0.7 } });

    expect(replaced.status).toBe(200);
    // Same keys and bodies: calls that passed before are replayed with their first status.
    expect(after).toEqual(before);
    expect(invalid.status).toBe(400);
    expect(invalid.body.message).toContain('1.4');
  });
});
