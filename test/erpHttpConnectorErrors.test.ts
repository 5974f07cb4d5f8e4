import { afterEach, describe, expect, it } from 'vitest';
import { ErpFatalError, ErpRetryableError } from '../src/erp/erpErrors.ts';
import { HttpErpConnector } from '../src/erp/httpErpConnector.ts';
import { parseRetryAfterMs } from '../src/erp/retryAfter.ts';
import { startErpFixture, usd, type ErpFixture } from './support/erpFixtures.ts';

let fixture: ErpFixture | undefined;
afterEach(async () => {
  await fixture?.simulator.close();
  fixture = undefined;
});

const ACME = { accountId: 'acc-1', name: 'Acme', country: 'US' };

describe('HTTP ERP connector errors', () => {
  it('missing token is fatal authentication error', async () => {
    fixture = await startErpFixture({ token: 'secret' });
    const anonymous = new HttpErpConnector({ baseUrl: fixture.simulator.url });

    const error = await anonymous.upsertCustomer(ACME, { idempotencyKey: 'k' }).catch((e) => e);

    expect(error).toBeInstanceOf(ErpFatalError);
    expect(error.code).toBe('ERR_ERP_AUTHENTICATION');
    expect(error.status).toBe(401);
  });

  it('wrong token is fatal and right token works', async () => {
    fixture = await startErpFixture({ token: 'secret' });
    const wrong = new HttpErpConnector({ baseUrl: fixture.simulator.url, token: 'guess' });

    const error = await wrong.upsertCustomer(ACME, { idempotencyKey: 'k' }).catch((e) => e);
    const customer = await fixture.connector.upsertCustomer(ACME, { idempotencyKey: 'k' });

    expect(error).toBeInstanceOf(ErpFatalError);
    expect(error.code).toBe('ERR_ERP_AUTHENTICATION');
    expect(error.status).toBe(403);
    expect(customer.customerNumber).toBe('C-000001');
  });

  it('invalid request body is fatal validation error', async () => {
    fixture = await startErpFixture();
    const { connector } = fixture;
    const customer = await connector.upsertCustomer(ACME, { idempotencyKey: 'c' });

    const order = { orderKey: 'o', customerNumber: customer.customerNumber, productCode: 'WIDGET', quantity: 0, amount: usd(1) };
    const error = await connector.createSalesOrder(order, { idempotencyKey: 'so' }).catch((e) => e);

    expect(error).toBeInstanceOf(ErpFatalError);
    expect(error.code).toBe('ERR_ERP_VALIDATION');
    expect(error.message).toContain('quantity');
  });

  it('string amount is not coerced', async () => {
    fixture = await startErpFixture();
    const { connector } = fixture;

    const badRevenue = { ...ACME, annualRevenue: { amountMinor: '100' as unknown as number, currency: 'USD' } };
    const error = await connector.upsertCustomer(badRevenue, { idempotencyKey: 'c' }).catch((e) => e);

    expect(error).toBeInstanceOf(ErpFatalError);
    expect(error.code).toBe('ERR_ERP_VALIDATION');
  });

  it('refused connection is retryable', async () => {
    fixture = await startErpFixture();
    const url = fixture.simulator.url;
    await fixture.simulator.close();
    fixture = undefined;

    const connector = new HttpErpConnector({ baseUrl: url });
    const error = await connector.upsertCustomer(ACME, { idempotencyKey: 'k' }).catch((e) => e);

    expect(error).toBeInstanceOf(ErpRetryableError);
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('unknown route is fatal unexpected response', async () => {
    fixture = await startErpFixture();
    const misconfigured = new HttpErpConnector({ baseUrl: `${fixture.simulator.url}/v9` });

    const error = await misconfigured.upsertCustomer(ACME, { idempotencyKey: 'k' }).catch((e) => e);

    expect(error).toBeInstanceOf(ErpFatalError);
    expect(error.code).toBe('ERR_ERP_UNEXPECTED_RESPONSE');
    expect(error.status).toBe(404);
  });

  it('invalid base URL is rejected at construction', () => {
    expect(() => new HttpErpConnector({ baseUrl: 'not a url' })).toThrow(/not a valid URL/);
    expect(() => new HttpErpConnector({ baseUrl: 'http://127.0.0.1:1', timeoutMs: 0 })).toThrow(/timeoutMs/);
  });
});

describe('parseRetryAfterMs', () => {
  const nowMs = Date.parse('2025-03-01T12:00:00Z');

  it('reads delay in seconds', () => {
    expect(parseRetryAfterMs('120', nowMs)).toBe(120_000);
    expect(parseRetryAfterMs(' 0 ', nowMs)).toBe(0);
  });

  it('reads HTTP date relative to now', () => {
    expect(parseRetryAfterMs('Sat, 01 Mar 2025 12:00:30 GMT', nowMs)).toBe(30_000);
    expect(parseRetryAfterMs('Sat, 01 Mar 2025 11:00:00 GMT', nowMs)).toBe(0);
  });

  it('ignores absent or invalid header', () => {
    expect(parseRetryAfterMs(null, nowMs)).toBeUndefined();
    expect(parseRetryAfterMs('soon', nowMs)).toBeUndefined();
    expect(parseRetryAfterMs('-5', nowMs)).toBeUndefined();
  });
});
