import type { EntityRecord } from '../store/records.ts';

export interface LatencySummary {
  count: number;
  p50Ms: number;
  p95Ms: number;
}

/** How long closed-won deals took to become ERP sales orders. */
export interface OrderLatency {
  /**
   * Ordo event time: `wonAt` -> `confirmedAt` in the order's context, the times of the
   * inbox messages that made the deal won and that carried the ERP's order number.
   */
  eventTime: LatencySummary | undefined;
  /**
   * Wall clock: publishing the CRM closed-won event -> `confirmedAt`, for deals whose ERP
   * order this run created (an order confirmed before the publish is from an earlier run).
   */
  wallTime: LatencySummary | undefined;
}

interface OrderTimes {
  wonAt?: string;
  confirmedAt?: string;
}

/** Computes p50 and p95 over the orders that reached an ERP sales order. */
export function orderLatency(orders: Iterable<EntityRecord>, closedPublishedAtMs: ReadonlyMap<string, number>): OrderLatency {
  const eventTimes: number[] = [];
  const wallTimes: number[] = [];
  for (const record of orders) {
    const context = (record.snapshot as { context?: OrderTimes }).context;
    if (context?.confirmedAt === undefined) continue;

    const confirmedMs = Date.parse(context.confirmedAt);
    if (context.wonAt !== undefined) eventTimes.push(confirmedMs - Date.parse(context.wonAt));
    const publishedMs = closedPublishedAtMs.get(record.key);
    if (publishedMs !== undefined && confirmedMs >= publishedMs) wallTimes.push(confirmedMs - publishedMs);
  }
  return { eventTime: summarise(eventTimes), wallTime: summarise(wallTimes) };
}

/** Nearest-rank percentiles; undefined for no samples. */
export function summarise(samples: number[]): LatencySummary | undefined {
  if (samples.length === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
  return { count: sorted.length, p50Ms: rank(0.5), p95Ms: rank(0.95) };
}
