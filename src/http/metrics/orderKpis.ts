import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { OrdoStore } from '../../store/ordoStore.ts';
import type { HistoryRow } from '../../store/records.ts';
import { countByState } from '../stateIndex.ts';

/** Entity type of the quote-to-cash order machine. */
export const ORDER_TYPE = 'order';

/** Top-level order states that wait for a person; names the machine does not have simply count zero. */
export const MANUAL_WORK_STATES = ['rejected', 'needsReview', 'submitFailed', 'compensationFailed', 'needsAccount'] as const;

/** Top-level states of any entity type that count as an exception when entered. */
export const EXCEPTION_STATES = new Set([
  'rejected',
  'needsReview',
  'needsAccount',
  'needsResync',
  'submitTimedOut',
  'submitFailed',
  'invoiceFailed',
  'compensationFailed',
]);

const ORDER_WAITING = 'awaitingCustomer';
const ORDER_CONFIRMED = 'confirmed';
const ORDER_ENDED = new Set(['lost', 'cancelled', 'closed']);
const LATENCY_BUCKETS_S = [0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600, 14_400, 86_400];

/**
 * Business metrics of the quote-to-cash workflow, derived from committed
 * transitions. Order latency runs from an order's first transition into
 * `awaitingCustomer` (the deal was won) to its transition into `confirmed` (the
 * ERP created the sales order). Open orders are tracked in a map of at most
 * `maxOpenOrders` entries, which drops the oldest first. Orders that entered
 * `awaitingCustomer` before this node started are not measured.
 */
export class OrderKpis {
  readonly #latency: Histogram<'clock'>;
  readonly #exceptions: Counter<'entity_type' | 'reason'>;
  readonly #openOrders = new Map<string, { eventTimeMs: number; wallMs: number }>();
  readonly #maxOpenOrders: number;

  constructor(registry: Registry, store: OrdoStore, options: { maxOpenOrders?: number } = {}) {
    this.#maxOpenOrders = options.maxOpenOrders ?? 100_000;
    this.#latency = new Histogram({
      name: 'ordo_order_erp_latency_seconds',
      help: 'Time from an order entering awaitingCustomer (deal won) to entering confirmed (ERP order created); clock="event" uses event times, clock="wall" this node\'s commit times.',
      labelNames: ['clock'],
      buckets: LATENCY_BUCKETS_S,
      registers: [registry],
    });
    this.#exceptions = new Counter({
      name: 'ordo_exceptions_total',
      help: 'Transitions into an exception state; reason is a note\'s reason when the transition recorded one, else the state entered.',
      labelNames: ['entity_type', 'reason'],
      registers: [registry],
    });
    new Gauge({
      name: 'ordo_orders_manual_work',
      help: 'Orders waiting for a person, by top-level state (read from the by-state index on scrape).',
      labelNames: ['state'],
      registers: [registry],
      collect() {
        const counts = manualWorkCounts(store);
        this.reset();
        for (const [state, count] of counts) this.set({ state }, count);
      },
    });
  }

  /** Updates the metrics from one committed history row. */
  observe(entityType: string, key: string, row: HistoryRow, wallMs: number): void {
    if (row.outcome !== 'applied') return;
    const from = topLevelState(row.from);
    const to = topLevelState(row.to);
    if (from === to) return;

    if (to !== undefined && EXCEPTION_STATES.has(to)) {
      this.#exceptions.inc({ entity_type: entityType, reason: reasonOf(row) ?? to });
    }
    if (entityType === ORDER_TYPE && to !== undefined) this.#observeOrder(key, to, row, wallMs);
  }

  #observeOrder(key: string, to: string, row: HistoryRow, wallMs: number): void {
    if (to === ORDER_WAITING) {
      if (!this.#openOrders.has(key)) this.#remember(key, { eventTimeMs: row.eventTimeMs, wallMs });
      return;
    }

    const opened = this.#openOrders.get(key);
    if (to === ORDER_CONFIRMED && opened) {
      this.#latency.observe({ clock: 'event' }, Math.max(0, row.eventTimeMs - opened.eventTimeMs) / 1000);
      this.#latency.observe({ clock: 'wall' }, Math.max(0, wallMs - opened.wallMs) / 1000);
      this.#openOrders.delete(key);
    } else if (ORDER_ENDED.has(to)) {
      this.#openOrders.delete(key);
    }
  }

  #remember(key: string, opened: { eventTimeMs: number; wallMs: number }): void {
    if (this.#openOrders.size >= this.#maxOpenOrders) {
      const oldest = this.#openOrders.keys().next().value;
      if (oldest !== undefined) this.#openOrders.delete(oldest);
    }
    this.#openOrders.set(key, opened);
  }

  get openOrders(): number {
    return this.#openOrders.size;
  }
}

/** Counts orders in each manual-work state, summing nested states such as `rejected.waiting`. */
export function manualWorkCounts(store: OrdoStore): Map<string, number> {
  const counts = new Map<string, number>(MANUAL_WORK_STATES.map((state) => [state, 0]));
  for (const [state, count] of countByState(store, ORDER_TYPE)) {
    const top = topLevelState(state);
    if (top !== undefined && counts.has(top)) counts.set(top, counts.get(top)! + count);
  }
  return counts;
}

// State text is `a`, `a.b`, or JSON for parallel states, which have no single top-level state.
function topLevelState(state: string | null): string | undefined {
  if (state === null || state.startsWith('{')) return undefined;
  return state.split('.')[0];
}

function reasonOf(row: HistoryRow): string | undefined {
  for (const { details } of row.notes) {
    if (typeof details?.reason === 'string') return details.reason;
  }
  return undefined;
}
