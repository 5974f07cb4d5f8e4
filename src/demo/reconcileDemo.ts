import type { EntityRecord } from '../store/records.ts';
import { entityException } from './entityException.ts';
import type { ErpListings } from './erpListings.ts';
import type { WonDeals } from './wonDealsFromSample.ts';

/** Won deals in the CRM against documents in the ERP, for the replayed opportunities. */
export interface Reconciliation {
  wonValid: number;
  /** Replayed opportunities with at least one ERP sales order. */
  salesOrders: number;
  /** Replayed opportunities with at least one ERP invoice. */
  invoices: number;
  /** Order keys with more than one ERP sales order or invoice; must be empty. */
  duplicateSalesOrders: string[];
  duplicateInvoices: string[];
  /** Won, valid deals without an ERP order, counted by `<state> (<reason>)` of their order entity. */
  missingByState: Map<string, number>;
  /** Missing deals whose order is not in an exception state; must be empty. */
  missingUnexplained: string[];
  /** ERP sales orders for replayed deals that are not won and valid; must be empty. */
  unexpectedSalesOrders: string[];
  /** Won deals with an unknown product, and how many of them are in an exception state. */
  unknownProductWon: number;
  unknownProductInException: number;
  /** ERP documents of opportunities outside this replay (earlier runs with another limit). */
  outsideReplay: number;
}

/** Compares the won deals (computed from the CSV) with the ERP listings and the order entities. */
export function reconcileDemo(input: { won: WonDeals; replayedKeys: ReadonlySet<string>; erp: ErpListings; orders: ReadonlyMap<string, EntityRecord> }): Reconciliation {
  const { won, replayedKeys, erp, orders } = input;
  const salesOrdersByKey = countByKey(erp.salesOrders.map((order) => order.orderKey));
  const invoicesByKey = countByKey(erp.invoices.map((invoice) => invoice.orderKey));

  const missingByState = new Map<string, number>();
  const missingUnexplained: string[] = [];
  for (const key of won.valid) {
    if (salesOrdersByKey.has(key)) continue;
    const label = stateLabel(orders.get(key));
    missingByState.set(label.text, (missingByState.get(label.text) ?? 0) + 1);
    if (!label.exception) missingUnexplained.push(key);
  }

  const inReplay = (key: string) => replayedKeys.has(key);
  const unknownProductKeys = [...won.unknownProduct.keys()];
  return {
    wonValid: won.valid.size,
    salesOrders: [...salesOrdersByKey.keys()].filter(inReplay).length,
    invoices: [...invoicesByKey.keys()].filter(inReplay).length,
    duplicateSalesOrders: keysAbove(salesOrdersByKey, 1),
    duplicateInvoices: keysAbove(invoicesByKey, 1),
    missingByState,
    missingUnexplained,
    unexpectedSalesOrders: [...salesOrdersByKey.keys()].filter((key) => inReplay(key) && !won.valid.has(key)),
    unknownProductWon: unknownProductKeys.length,
    unknownProductInException: unknownProductKeys.filter((key) => stateLabel(orders.get(key)).exception).length,
    outsideReplay: [...salesOrdersByKey.keys(), ...invoicesByKey.keys()].filter((key) => !inReplay(key)).length,
  };
}

function stateLabel(record: EntityRecord | undefined): { text: string; exception: boolean } {
  if (record === undefined) return { text: 'no order entity', exception: false };
  const exception = entityException(record);
  return exception === undefined ? { text: record.state, exception: false } : { text: `${record.state} (${exception.reason})`, exception: true };
}

function countByKey(keys: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

function keysAbove(counts: ReadonlyMap<string, number>, limit: number): string[] {
  return [...counts].filter(([, count]) => count > limit).map(([key]) => key);
}
