import { afterEach, describe, expect, it } from 'vitest';
import type { ErpSalesOrderRequest } from '../src/erp/erpConnector.ts';
import { ErpBusinessRejection } from '../src/erp/erpErrors.ts';
import type { ErpSimulatorOptions } from '../src/erp/simulator/simulatorOptions.ts';
import { startErpFixture, usd, type ErpFixture } from './support/erpFixtures.ts';

let fixture: ErpFixture | undefined;
afterEach(async () => {
  await fixture?.simulator.close();
  fixture = undefined;
});

let keyCounter = 0;
const nextKey = (): { idempotencyKey: string } => ({ idempotencyKey: `key-${++keyCounter}` });

async function start(options: Partial<ErpSimulatorOptions> = {}): Promise<ErpFixture> {
  fixture = await startErpFixture(options);
  return fixture;
}

/** Creates a customer; `country: null` leaves the country out. */
async function customerNumberFor(accountId: string, country: string | null = 'US'): Promise<string> {
  const request = { accountId, name: `Customer ${accountId}`, country: country ?? undefined };
  const customer = await fixture!.connector.upsertCustomer(request, nextKey());
  return customer.customerNumber;
}

function widgetOrder(customerNumber: string, amountMinor = 10_000, quantity = 1): ErpSalesOrderRequest {
  return { orderKey: `opp-${keyCounter}`, customerNumber, productCode: 'WIDGET', quantity, amount: usd(amountMinor) };
}

async function rejectionOf(call: Promise<unknown>): Promise<ErpBusinessRejection> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ErpBusinessRejection);
  return error as ErpBusinessRejection;
}

describe('ERP simulator business rejections', () => {
  it('customer without country is accepted but not taxed', async () => {
    const { connector, request } = await start();
    const customerNumber = await customerNumberFor('acc-none', null);

    const rejection = await rejectionOf(connector.createSalesOrder(widgetOrder(customerNumber), nextKey()));

    expect(rejection.reason).toBe('taxConfigMissing');
    expect(rejection.message).toContain('no country');
    const listing = await request('GET', '/customers');
    expect(listing.body.items[0].taxConfigured).toBe(false);
  });

  it('unconfigured country rejects until tax is configured', async () => {
    const { connector, request } = await start();
    const customerNumber = await customerNumberFor('acc-de', 'DE');

    const rejection = await rejectionOf(connector.createSalesOrder(widgetOrder(customerNumber), nextKey()));
    const configure = await request('PUT', '/admin/tax-countries/DE');
    const order = await connector.createSalesOrder(widgetOrder(customerNumber), nextKey());

    expect(rejection.reason).toBe('taxConfigMissing');
    expect(rejection.message).toContain('"DE"');
    expect(configure.status).toBe(200);
    expect(order.status).toBe('open');
  });

  it('invoice for untaxed customer is rejected', async () => {
    const { connector, request } = await start({ taxCountries: ['US', 'CA'] });
    const customerNumber = await customerNumberFor('acc-ca', 'CA');
    const order = await connector.createSalesOrder(widgetOrder(customerNumber), nextKey());
    await request('DELETE', '/admin/tax-countries/CA');

    const invoice = { orderKey: 'opp-ca', orderNumber: order.orderNumber, customerNumber, productCode: 'WIDGET', quantity: 1, amount: usd(10_000) };
    const rejection = await rejectionOf(connector.createInvoice(invoice, nextKey()));

    expect(rejection.reason).toBe('taxConfigMissing');
  });

  it('order over the credit limit is on credit hold', async () => {
    const { connector, request } = await start({ creditLimits: { 'acc-credit': 15_000 } });
    const customerNumber = await customerNumberFor('acc-credit');
    const first = await connector.createSalesOrder(widgetOrder(customerNumber), nextKey());

    const rejection = await rejectionOf(connector.createSalesOrder(widgetOrder(customerNumber), nextKey()));
    await connector.cancelSalesOrder({ orderNumber: first.orderNumber }, nextKey());
    const afterCancel = await connector.createSalesOrder(widgetOrder(customerNumber), nextKey());
    const raise = await request('PUT', '/admin/credit-limits/acc-credit', { body: { amountMinor: 20_000 } });
    const afterRaise = await connector.createSalesOrder(widgetOrder(customerNumber), nextKey());

    expect(rejection.reason).toBe('creditHold');
    expect(rejection.message).toContain('15000');
    expect(afterCancel.status).toBe('open');
    expect(raise.status).toBe(200);
    expect(afterRaise.status).toBe('open');
  });

  it('default credit limit applies to unlisted accounts', async () => {
    const { connector } = await start({ defaultCreditLimitMinor: 5_000, creditLimits: { 'acc-big': 1_000_000 } });
    const small = await customerNumberFor('acc-small');
    const big = await customerNumberFor('acc-big');

    const rejection = await rejectionOf(connector.createSalesOrder(widgetOrder(small), nextKey()));
    const order = await connector.createSalesOrder(widgetOrder(big), nextKey());

    expect(rejection.reason).toBe('creditHold');
    expect(order.status).toBe('open');
  });

  it('product outside the catalogue is unknown', async () => {
    const { connector } = await start();
    const customerNumber = await customerNumberFor('acc-1');

    const order = { ...widgetOrder(customerNumber), productCode: 'SPROCKET' };
    const rejection = await rejectionOf(connector.createSalesOrder(order, nextKey()));

    expect(rejection.reason).toBe('unknownProduct');
    expect(rejection.message).toContain('"SPROCKET"');
  });

  it('pricing check is off by default', async () => {
    const { connector } = await start();
    const customerNumber = await customerNumberFor('acc-1');

    const order = await connector.createSalesOrder(widgetOrder(customerNumber, 1), nextKey());

    expect(order.status).toBe('open');
  });

  it('pricing tolerance rejects amounts too far from list', async () => {
    const { connector } = await start({ pricingTolerance: 0.1 });
    const customerNumber = await customerNumberFor('acc-1');

    const withinTolerance = await connector.createSalesOrder(widgetOrder(customerNumber, 18_000, 2), nextKey());
    const tooLow = await rejectionOf(connector.createSalesOrder(widgetOrder(customerNumber, 17_999, 2), nextKey()));
    const otherCurrency = { ...widgetOrder(customerNumber), amount: { amountMinor: 10_000, currency: 'EUR' } };
    const wrongCurrency = await rejectionOf(connector.createSalesOrder(otherCurrency, nextKey()));

    expect(withinTolerance.status).toBe('open');
    expect(tooLow.reason).toBe('pricingMismatch');
    expect(wrongCurrency.reason).toBe('pricingMismatch');
  });

  it('same normalised name on another account is a duplicate', async () => {
    const { connector, request } = await start();
    await connector.upsertCustomer({ accountId: 'acc-1', name: 'Acme, Inc.', country: 'US' }, nextKey());

    const rejection = await rejectionOf(connector.upsertCustomer({ accountId: 'acc-2', name: '  ACME inc ', country: 'US' }, nextKey()));
    const renamedSameAccount = await connector.upsertCustomer({ accountId: 'acc-1', name: 'ACME Inc', country: 'US' }, nextKey());

    expect(rejection.reason).toBe('duplicate');
    expect(rejection.message).toContain('acc-1');
    expect(renamedSameAccount.customerNumber).toBe('C-000001');
    const listing = await request('GET', '/customers');
    expect(listing.body.items).toHaveLength(1);
  });

  it('unknown documents are not found', async () => {
    const { connector } = await start();

    const cancel = await rejectionOf(connector.cancelSalesOrder({ orderNumber: 'SO-999999' }, nextKey()));
    const voided = await rejectionOf(connector.voidInvoice({ invoiceNumber: 'INV-999999' }, nextKey()));
    const order = await rejectionOf(connector.createSalesOrder(widgetOrder('C-999999'), nextKey()));

    expect(cancel.reason).toBe('notFound');
    expect(voided.reason).toBe('notFound');
    expect(order.reason).toBe('notFound');
  });

  it('cancelled order cannot be invoiced', async () => {
    const { connector } = await start();
    const customerNumber = await customerNumberFor('acc-1');
    const order = await connector.createSalesOrder(widgetOrder(customerNumber), nextKey());
    await connector.cancelSalesOrder({ orderNumber: order.orderNumber }, nextKey());

    const invoice = { orderKey: 'opp', orderNumber: order.orderNumber, customerNumber, productCode: 'WIDGET', quantity: 1, amount: usd(10_000) };
    const rejection = await rejectionOf(connector.createInvoice(invoice, nextKey()));

    expect(rejection.reason).toBe('invalidState');
  });

  it('cancel and void change status once', async () => {
    const { connector, request } = await start();
    const customerNumber = await customerNumberFor('acc-1');
    const order = await connector.createSalesOrder(widgetOrder(customerNumber), nextKey());
    const invoiceRequest = { orderKey: 'opp', orderNumber: order.orderNumber, customerNumber, productCode: 'WIDGET', quantity: 1, amount: usd(10_000) };
    const invoice = await connector.createInvoice(invoiceRequest, nextKey());

    const voided = await connector.voidInvoice({ invoiceNumber: invoice.invoiceNumber, reason: 'deal lost' }, nextKey());
    const voidedAgain = await connector.voidInvoice({ invoiceNumber: invoice.invoiceNumber }, nextKey());
    const cancelled = await connector.cancelSalesOrder({ orderNumber: order.orderNumber }, nextKey());
    const cancelledAgain = await connector.cancelSalesOrder({ orderNumber: order.orderNumber }, nextKey());

    expect(invoice.status).toBe('issued');
    expect(voided.status).toBe('voided');
    expect(voidedAgain.status).toBe('voided');
    expect(cancelled.status).toBe('cancelled');
    expect(cancelledAgain.status).toBe('cancelled');
    const invoices = await request('GET', '/invoices');
    expect(invoices.body.items[0].voidReason).toBe('deal lost');
    const stats = await request('GET', '/stats');
    expect(stats.body.calls.byOperation['invoice.void']).toEqual({ voided: 1, unchanged: 1 });
    expect(stats.body.documents.salesOrders).toEqual({ total: 1, cancelled: 1 });
  });
});
