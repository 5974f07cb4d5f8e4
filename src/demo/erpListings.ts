import type { CustomerRecord, InvoiceRecord, SalesOrderRecord } from '../erp/simulator/simulatorStore.ts';

/** Every document the ERP simulator holds, from its listing routes. */
export interface ErpListings {
  customers: CustomerRecord[];
  salesOrders: SalesOrderRecord[];
  invoices: InvoiceRecord[];
}

/** Reads the simulator's `GET /customers`, `/sales-orders` and `/invoices` listings. */
export async function fetchErpListings(erpUrl: string): Promise<ErpListings> {
  const [customers, salesOrders, invoices] = await Promise.all([
    fetchItems<CustomerRecord>(erpUrl, '/customers'),
    fetchItems<SalesOrderRecord>(erpUrl, '/sales-orders'),
    fetchItems<InvoiceRecord>(erpUrl, '/invoices'),
  ]);
  return { customers, salesOrders, invoices };
}

async function fetchItems<T>(erpUrl: string, path: string): Promise<T[]> {
  const response = await fetch(new URL(path, erpUrl));
  if (!response.ok) {
    throw new Error(`ERP listing GET ${path} at ${erpUrl} failed with HTTP ${response.status}; check that the ERP simulator is running`);
  }
  return ((await response.json()) as { items: T[] }).items;
}
