import type {
  ErpCancelSalesOrderRequest,
  ErpCustomerRequest,
  ErpInvoiceRequest,
  ErpSalesOrderRequest,
  ErpVoidInvoiceRequest,
} from '../erpConnector.ts';
import {
  creditRejection,
  duplicateCustomerRejection,
  isTaxConfigured,
  pricingRejection,
  taxRejection,
  unknownProductRejection,
  type Rejection,
} from './businessRules.ts';
import type { CatalogueProduct } from './simulatorOptions.ts';
import type { CustomerRecord, InvoiceRecord, SalesOrderRecord, SimulatorStore } from './simulatorStore.ts';

/** Business data the rules read. The admin routes change it while the simulator runs. */
export interface LedgerRules {
  catalogue: Map<string, CatalogueProduct>;
  /** Upper-case country codes. */
  taxCountries: Set<string>;
  creditLimits: Map<string, number>;
  defaultCreditLimitMinor: number | undefined;
  pricingTolerance: number | undefined;
}

export type LedgerResult = 'created' | 'updated' | 'cancelled' | 'voided' | 'unchanged' | 'rejected';

/** An HTTP response for a document call, stored whole for idempotent replays. */
export interface LedgerOutcome {
  status: number;
  body: unknown;
  result: LedgerResult;
}

/** Executes document operations against the store, applying the business rules. */
export class ErpLedger {
  readonly store: SimulatorStore;
  readonly rules: LedgerRules;

  constructor(store: SimulatorStore, rules: LedgerRules) {
    this.store = store;
    this.rules = rules;
  }

  upsertCustomer(request: ErpCustomerRequest, idempotencyKey: string): LedgerOutcome {
    const existing = this.store.findCustomerByAccountId(request.accountId);

    const duplicate = duplicateCustomerRejection(request.accountId, request.name, this.store.customers.values());
    if (duplicate !== undefined) return rejected(duplicate);

    const customerNumber = existing?.customerNumber ?? this.store.nextNumber('customer');
    const customer: CustomerRecord = { customerNumber, ...customerFields(request), idempotencyKey };
    this.store.customers.set(customerNumber, customer);

    const status = existing === undefined ? 201 : 200;
    return { status, body: this.customerView(customer), result: existing === undefined ? 'created' : 'updated' };
  }

  createSalesOrder(request: ErpSalesOrderRequest, idempotencyKey: string): LedgerOutcome {
    const customer = this.store.customers.get(request.customerNumber);
    if (customer === undefined) return rejected(notFound('Customer', request.customerNumber));

    const rejection = this.#salesOrderRejection(customer, request);
    if (rejection !== undefined) return rejected(rejection);

    const orderNumber = this.store.nextNumber('salesOrder');
    const { orderKey, customerNumber, productCode, quantity, amount } = request;
    const order: SalesOrderRecord = { orderNumber, orderKey, customerNumber, productCode, quantity, amount, status: 'open', idempotencyKey };
    this.store.salesOrders.set(orderNumber, order);
    return { status: 201, body: order, result: 'created' };
  }

  cancelSalesOrder(request: ErpCancelSalesOrderRequest): LedgerOutcome {
    const order = this.store.salesOrders.get(request.orderNumber);
    if (order === undefined) return rejected(notFound('Sales order', request.orderNumber));
    if (order.status === 'cancelled') return { status: 200, body: order, result: 'unchanged' };

    order.status = 'cancelled';
    if (request.reason !== undefined) order.cancelReason = request.reason;
    return { status: 200, body: order, result: 'cancelled' };
  }

  createInvoice(request: ErpInvoiceRequest, idempotencyKey: string): LedgerOutcome {
    const order = this.store.salesOrders.get(request.orderNumber);
    if (order === undefined) return rejected(notFound('Sales order', request.orderNumber));

    if (order.status !== 'open') {
      return rejected({ reason: 'invalidState', message: `Sales order ${order.orderNumber} is ${order.status}; it cannot be invoiced` });
    }
    if (order.customerNumber !== request.customerNumber) {
      const message = `Invoice names customer ${request.customerNumber} but sales order ${order.orderNumber} belongs to ${order.customerNumber}`;
      return rejected({ reason: 'invalidState', message });
    }

    const customer = this.store.customers.get(order.customerNumber);
    if (customer === undefined) return rejected(notFound('Customer', order.customerNumber));
    const tax = taxRejection(customer, this.rules.taxCountries);
    if (tax !== undefined) return rejected(tax);

    const invoiceNumber = this.store.nextNumber('invoice');
    const { orderKey, orderNumber, customerNumber, productCode, quantity, amount } = request;
    const invoice: InvoiceRecord = {
      invoiceNumber, orderKey, orderNumber, customerNumber, productCode, quantity, amount, status: 'issued', idempotencyKey,
    };
    this.store.invoices.set(invoiceNumber, invoice);
    return { status: 201, body: invoice, result: 'created' };
  }

  voidInvoice(request: ErpVoidInvoiceRequest): LedgerOutcome {
    const invoice = this.store.invoices.get(request.invoiceNumber);
    if (invoice === undefined) return rejected(notFound('Invoice', request.invoiceNumber));
    if (invoice.status === 'voided') return { status: 200, body: invoice, result: 'unchanged' };

    invoice.status = 'voided';
    if (request.reason !== undefined) invoice.voidReason = request.reason;
    return { status: 200, body: invoice, result: 'voided' };
  }

  /** Builds the customer's API view, adding its tax status under the current configuration. */
  customerView(customer: CustomerRecord): CustomerRecord & { taxConfigured: boolean } {
    return { ...customer, taxConfigured: isTaxConfigured(customer, this.rules.taxCountries) };
  }

  #salesOrderRejection(customer: CustomerRecord, request: ErpSalesOrderRequest): Rejection | undefined {
    const tax = taxRejection(customer, this.rules.taxCountries);
    if (tax !== undefined) return tax;

    const unknownProduct = unknownProductRejection(request.productCode, this.rules.catalogue);
    if (unknownProduct !== undefined) return unknownProduct;

    const product = this.rules.catalogue.get(request.productCode)!;
    const pricing = pricingRejection(product, request.quantity, request.amount, this.rules.pricingTolerance);
    if (pricing !== undefined) return pricing;

    const limitMinor = this.rules.creditLimits.get(customer.accountId) ?? this.rules.defaultCreditLimitMinor;
    return creditRejection(customer, this.#openOrdersMinor(customer.customerNumber), request.amount.amountMinor, limitMinor);
  }

  // NOTE: sums minor units across currencies, which is right only while the canonical model has USD alone.
  #openOrdersMinor(customerNumber: string): number {
    let totalMinor = 0;
    for (const order of this.store.salesOrders.values()) {
      if (order.customerNumber === customerNumber && order.status === 'open') totalMinor += order.amount.amountMinor;
    }
    return totalMinor;
  }
}

function rejected(rejection: Rejection): LedgerOutcome {
  return { status: 422, body: { error: 'rejected', ...rejection }, result: 'rejected' };
}

function notFound(documentType: string, number: string): Rejection {
  return { reason: 'notFound', message: `${documentType} ${JSON.stringify(number)} does not exist in the ERP` };
}

// Copies only the account fields the ERP stores and ignores extra request fields.
function customerFields(request: ErpCustomerRequest): Omit<CustomerRecord, 'customerNumber' | 'idempotencyKey'> {
  const { accountId, name, country, taxRegion, sector, annualRevenue, parentAccountId } = request;
  const optional = { country, taxRegion, sector, annualRevenue, parentAccountId };
  const present = Object.entries(optional).filter(([, value]) => value !== undefined);
  return { accountId, name, ...Object.fromEntries(present) };
}
