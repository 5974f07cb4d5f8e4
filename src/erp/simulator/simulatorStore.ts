import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { ErpMoney } from '../erpConnector.ts';

export interface CustomerRecord {
  customerNumber: string;
  accountId: string;
  name: string;
  country?: string;
  taxRegion?: string;
  sector?: string;
  annualRevenue?: ErpMoney;
  parentAccountId?: string;
  /** Key of the call that last wrote the record. */
  idempotencyKey: string;
}

export interface SalesOrderRecord {
  orderNumber: string;
  orderKey: string;
  customerNumber: string;
  productCode: string;
  quantity: number;
  amount: ErpMoney;
  status: 'open' | 'cancelled';
  cancelReason?: string;
  idempotencyKey: string;
}

export interface InvoiceRecord {
  invoiceNumber: string;
  orderKey: string;
  orderNumber: string;
  customerNumber: string;
  productCode: string;
  quantity: number;
  amount: ErpMoney;
  status: 'issued' | 'voided';
  voidReason?: string;
  idempotencyKey: string;
}

/** The first response to an idempotency key, replayed for repeats of the same request. */
export interface IdempotencyRecord {
  fingerprint: string;
  status: number;
  body: unknown;
}

type DocumentKind = 'customer' | 'salesOrder' | 'invoice';

const NUMBER_PREFIXES: Record<DocumentKind, string> = { customer: 'C', salesOrder: 'SO', invoice: 'INV' };

interface PersistedState {
  version: 1;
  counters: Record<DocumentKind, number>;
  customers: CustomerRecord[];
  salesOrders: SalesOrderRecord[];
  invoices: InvoiceRecord[];
  idempotency: Array<[string, IdempotencyRecord]>;
}

const SAVE_DELAY_MS = 250;

/** The simulator's documents and idempotency records, in memory and optionally in a JSON file. */
export class SimulatorStore {
  readonly customers = new Map<string, CustomerRecord>();
  readonly salesOrders = new Map<string, SalesOrderRecord>();
  readonly invoices = new Map<string, InvoiceRecord>();
  readonly idempotency = new Map<string, IdempotencyRecord>();
  readonly #counters: Record<DocumentKind, number> = { customer: 0, salesOrder: 0, invoice: 0 };
  readonly #stateFile: string | undefined;
  #saveTimer: NodeJS.Timeout | undefined;

  /** Loads `stateFile` when it exists; later `save()` calls write to it. */
  constructor(stateFile?: string) {
    this.#stateFile = stateFile;
    if (stateFile !== undefined && existsSync(stateFile)) this.#load(stateFile);
  }

  /** Allocates the next document number, for example `SO-000042`. */
  nextNumber(kind: DocumentKind): string {
    this.#counters[kind] += 1;
    return `${NUMBER_PREFIXES[kind]}-${String(this.#counters[kind]).padStart(6, '0')}`;
  }

  findCustomerByAccountId(accountId: string): CustomerRecord | undefined {
    for (const customer of this.customers.values()) {
      if (customer.accountId === accountId) return customer;
    }
    return undefined;
  }

  /**
   * Schedules a save within `SAVE_DELAY_MS`. Saving writes the whole state, so saving after
   * every call would cost more with every document; a simulator killed in that window
   * loses the calls of its last fraction of a second.
   */
  saveSoon(): void {
    if (this.#stateFile === undefined || this.#saveTimer !== undefined) return;
    this.#saveTimer = setTimeout(() => this.save(), SAVE_DELAY_MS);
  }

  /** Writes the whole state to `stateFile` now, atomically by rename; does nothing without a file. */
  save(): void {
    clearTimeout(this.#saveTimer);
    this.#saveTimer = undefined;
    if (this.#stateFile === undefined) return;

    const state: PersistedState = {
      version: 1,
      counters: this.#counters,
      customers: [...this.customers.values()],
      salesOrders: [...this.salesOrders.values()],
      invoices: [...this.invoices.values()],
      idempotency: [...this.idempotency.entries()],
    };
    const temporaryFile = `${this.#stateFile}.tmp`;
    writeFileSync(temporaryFile, JSON.stringify(state));
    renameSync(temporaryFile, this.#stateFile);
  }

  #load(stateFile: string): void {
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as PersistedState;
    if (state.version !== 1) {
      throw new Error(`ERP simulator state file ${stateFile} has unsupported version ${JSON.stringify(state.version)}; delete it to start empty`);
    }

    Object.assign(this.#counters, state.counters);
    for (const customer of state.customers) this.customers.set(customer.customerNumber, customer);
    for (const order of state.salesOrders) this.salesOrders.set(order.orderNumber, order);
    for (const invoice of state.invoices) this.invoices.set(invoice.invoiceNumber, invoice);
    for (const [key, record] of state.idempotency) this.idempotency.set(key, record);
  }
}
