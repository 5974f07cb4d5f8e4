import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { OrderKpis } from '../src/http/metrics/orderKpis.ts';
import { OrdoStore } from '../src/store/ordoStore.ts';
import type { HistoryRow } from '../src/store/records.ts';
import { makeTempDir, removeTempDir } from './support/tempDir.ts';

function row(from: string | null, to: string, eventTimeMs: number, notes: HistoryRow['notes'] = []): HistoryRow {
  return { seq: 1, msgId: 'm', eventType: 'e', from, to, outcome: 'applied', effects: [], notes, eventTimeMs };
}

describe('order KPIs', () => {
  let dir: string;
  let store: OrdoStore;
  let registry: Registry;
  let kpis: OrderKpis;

  beforeAll(async () => {
    dir = await makeTempDir('kpis');
    store = new OrdoStore(dir, { historyLimit: 10 });
    registry = new Registry();
    kpis = new OrderKpis(registry, store, { maxOpenOrders: 2 });
  });

  afterAll(async () => {
    await store.close();
    await removeTempDir(dir);
  });

  const metricValues = async (name: string) => (await registry.getSingleMetric(name)!.get()).values;

  it('measures won to confirmed in both clocks', async () => {
    kpis.observe('order', 'o1', row('draft', 'awaitingCustomer', 1_000), 10_000);
    kpis.observe('order', 'o1', row('awaitingCustomer', 'submitting', 2_000), 11_000);
    kpis.observe('order', 'o1', row('submitting', 'confirmed', 4_000), 16_000);

    const sums = (await metricValues('ordo_order_erp_latency_seconds')).filter((value) => (value as { metricName?: string }).metricName === 'ordo_order_erp_latency_seconds_sum');
    expect(sums.find((value) => value.labels.clock === 'event')?.value).toBe(3);
    expect(sums.find((value) => value.labels.clock === 'wall')?.value).toBe(6);
    expect(kpis.openOrders).toBe(0);
  });

  it('counts exceptions by note reason or state', async () => {
    kpis.observe('order', 'o2', row('submitting', 'rejected.waiting', 1, [{ note: 'erpRejected', details: { reason: 'creditHold' } }]), 1);
    kpis.observe('customer', 'c1', row('syncing', 'needsReview', 1), 1);
    kpis.observe('order', 'o2', row('rejected.waiting', 'rejected.escalated', 2), 2);
    kpis.observe('order', 'o3', row('draft', 'someFutureState', 1), 1);

    const values = await metricValues('ordo_exceptions_total');
    expect(values).toHaveLength(2);
    expect(values).toContainEqual(expect.objectContaining({ labels: { entity_type: 'order', reason: 'creditHold' }, value: 1 }));
    expect(values).toContainEqual(expect.objectContaining({ labels: { entity_type: 'customer', reason: 'needsReview' }, value: 1 }));
  });

  it('bounds the open orders', () => {
    for (const key of ['a', 'b', 'c']) kpis.observe('order', key, row('draft', 'awaitingCustomer', 1), 1);
    expect(kpis.openOrders).toBe(2);
  });

  it('reports manual work states at zero', async () => {
    const values = await metricValues('ordo_orders_manual_work');
    expect(values.map((value) => value.labels.state).sort()).toEqual(['compensationFailed', 'needsAccount', 'needsReview', 'rejected', 'submitFailed']);
    expect(values.every((value) => value.value === 0)).toBe(true);
  });
});
