// Compares the ERP simulator's document listings with the documents a test expects, so a
// duplicate, a missing or an unexpected document shows up as one named problem.

export interface ErpCustomerListing {
  customerNumber: string;
  accountId: string;
  name: string;
  country?: string;
  idempotencyKey: string;
}

export interface ErpSalesOrderListing {
  orderNumber: string;
  orderKey: string;
  customerNumber: string;
  productCode: string;
  quantity: number;
  amount: { amountMinor: number; currency: string };
  status: 'open' | 'cancelled';
  idempotencyKey: string;
}

export interface ErpInvoiceListing {
  invoiceNumber: string;
  orderKey: string;
  orderNumber: string;
  status: 'issued' | 'voided';
  idempotencyKey: string;
}

export interface ErpDocuments {
  customers: ErpCustomerListing[];
  salesOrders: ErpSalesOrderListing[];
  invoices: ErpInvoiceListing[];
}

export interface ExpectedDocuments {
  /** CRM account ids that must each have exactly one ERP customer. */
  accountIds: Iterable<string>;
  /** Order keys that must each have exactly one sales order and one invoice. */
  orderKeys: Iterable<string>;
}

/** Reads the three document listings from the simulator's reconciliation routes. */
export async function readErpDocuments(erpUrl: string): Promise<ErpDocuments> {
  const [customers, salesOrders, invoices] = await Promise.all(['/customers', '/sales-orders', '/invoices'].map((path) => listing(erpUrl, path)));
  return { customers, salesOrders, invoices } as ErpDocuments;
}

/** Returns one line per mismatch between the ERP listings and the expected set; empty when they agree exactly. */
export function reconcileErpDocuments(documents: ErpDocuments, expected: ExpectedDocuments): string[] {
  const orderKeys = new Set(expected.orderKeys);
  const problems = [
    ...compareCounts('customer', countBy(documents.customers, (customer) => customer.accountId), new Set(expected.accountIds)),
    ...compareCounts('sales order', countBy(documents.salesOrders, (order) => order.orderKey), orderKeys),
    ...compareCounts('invoice', countBy(documents.invoices, (invoice) => invoice.orderKey), orderKeys),
  ];

  // An invoice must belong to the one sales order of its key, or it was made from a lost duplicate.
  const orderNumbers = new Map(documents.salesOrders.map((order) => [order.orderKey, order.orderNumber]));
  for (const invoice of documents.invoices) {
    const orderNumber = orderNumbers.get(invoice.orderKey);
    if (orderNumber !== undefined && orderNumber !== invoice.orderNumber) {
      problems.push(`invoice ${invoice.invoiceNumber} of ${invoice.orderKey} names sales order ${invoice.orderNumber}, expected ${orderNumber}`);
    }
  }
  return problems;
}

function compareCounts(documentType: string, counts: Map<string, number>, expected: Set<string>): string[] {
  const problems: string[] = [];
  for (const key of expected) {
    const count = counts.get(key) ?? 0;
    if (count !== 1) problems.push(`${documentType} for ${key}: ${count} documents, expected 1`);
  }
  for (const [key, count] of counts) {
    if (!expected.has(key)) problems.push(`${documentType} for ${key}: ${count} documents, expected none`);
  }
  return problems;
}

function countBy<T>(items: T[], keyOf: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(keyOf(item), (counts.get(keyOf(item)) ?? 0) + 1);
  return counts;
}

async function listing(erpUrl: string, path: string): Promise<unknown[]> {
  const response = await fetch(`${erpUrl}${path}`);
  if (!response.ok) throw new Error(`GET ${path} on the ERP simulator returned ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { items: unknown[] }).items;
}
