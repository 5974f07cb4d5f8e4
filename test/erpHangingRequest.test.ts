import { afterEach, describe, expect, it } from 'vitest';
import { ErpRetryableError } from '../src/erp/erpErrors.ts';
import { startErpFixture, type ErpFixture } from './support/erpFixtures.ts';

let fixture: ErpFixture | undefined;
afterEach(async () => {
  await fixture?.simulator.close();
  fixture = undefined;
});

const ACME = { accountId: 'acc-1', name: 'Acme', country: 'US' };

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('ERP hanging request', () => {
  it('times out as retryable and retry creates one document', async () => {
    fixture = await startErpFixture({ faults: { seed: 3, hangRate: 1, hangMs: 1_000 } }, { timeoutMs: 200 });
    const { connector, request } = fixture;

    const startedAt = performance.now();
    const error = await connector.upsertCustomer(ACME, { idempotencyKey: 'c-hang' }).catch((e) => e);
    const elapsedMs = performance.now() - startedAt;
    await request('DELETE', '/admin/faults');
    const retried = await connector.upsertCustomer(ACME, { idempotencyKey: 'c-hang' });
    // The held call is processed after 1 s and must find the retry's record.
    await waitFor(async () => (await request('GET', '/stats')).body.calls.total === 2, 5_000);

    expect(error).toBeInstanceOf(ErpRetryableError);
    expect(error.message).toContain('timed out after 200 ms');
    expect(elapsedMs).toBeLessThan(900);
    expect(retried.customerNumber).toBe('C-000001');
    const stats = await request('GET', '/stats');
    expect(stats.body.calls.hangs).toBe(1);
    expect(stats.body.calls.byOutcome).toEqual({ created: 1, replayed: 1 });
    const listing = await request('GET', '/customers');
    expect(listing.body.items).toHaveLength(1);
  });

  it('held call that commits first is replayed to the retry', async () => {
    fixture = await startErpFixture({ faults: { seed: 3, hangRate: 1, hangMs: 300 } }, { timeoutMs: 100 });
    const { connector, request } = fixture;

    const error = await connector.upsertCustomer(ACME, { idempotencyKey: 'c-slow' }).catch((e) => e);
    await waitFor(async () => (await request('GET', '/stats')).body.documents.customers === 1, 5_000);
    await request('DELETE', '/admin/faults');
    const retried = await connector.upsertCustomer(ACME, { idempotencyKey: 'c-slow' });

    expect(error).toBeInstanceOf(ErpRetryableError);
    expect(retried.customerNumber).toBe('C-000001');
    const stats = await request('GET', '/stats');
    expect(stats.body.calls.byOutcome).toEqual({ created: 1, replayed: 1 });
  });

  it('caller abort ends the call as retryable', async () => {
    fixture = await startErpFixture({ faults: { seed: 3, hangRate: 1, hangMs: 60_000 } });
    const controller = new AbortController();

    const call = fixture.connector.upsertCustomer(ACME, { idempotencyKey: 'c-abort', signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const error = await call.catch((e) => e);

    expect(error).toBeInstanceOf(ErpRetryableError);
    expect(error.message).toContain('aborted by the caller');
  });

  it('close ends held calls quickly', async () => {
    fixture = await startErpFixture({ faults: { seed: 3, hangRate: 1, hangMs: 60_000 } });
    const { simulator } = fixture;
    const call = fixture.connector.upsertCustomer(ACME, { idempotencyKey: 'c-close' }).catch((e) => e);
    await new Promise((resolve) => setTimeout(resolve, 100));

    const startedAt = performance.now();
    await simulator.close();
    fixture = undefined;
    const error = await call;

    expect(performance.now() - startedAt).toBeLessThan(2_000);
    expect(error).toBeInstanceOf(ErpRetryableError);
    expect(error.status).toBe(503);
  });
});
