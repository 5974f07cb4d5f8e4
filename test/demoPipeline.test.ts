import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { nanos } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config.ts';
import { demoErpOptions } from '../src/demo/demoErpSetup.ts';
import { entityException } from '../src/demo/entityException.ts';
import { fetchErpListings, type ErpListings } from '../src/demo/erpListings.ts';
import { runDemoPipeline, type DemoReport } from '../src/demo/runDemoPipeline.ts';
import { createErpSimulator, type ErpSimulator } from '../src/erp/simulator/createErpSimulator.ts';
import { startQuoteToCashNode, type RunningQuoteToCashNode } from '../src/quoteToCashNode.ts';
import { readCrmSample } from '../src/replay/crmSample.ts';
import { sampleAccountId } from '../src/replay/sampleAccountId.ts';
import type { EntityRecord, HistoryRow } from '../src/store/records.ts';
import { STREAM } from '../src/subjects.ts';
import { startNatsServer, type TestNatsServer } from './support/natsServer.ts';
import { makeTempDir, removeTempDir } from './support/tempDir.ts';

const SAMPLE_DIR = new URL('../data/crm-sales-opportunities/', import.meta.url).pathname;
const LIMIT = 300;
// The window shrinks to this before the last replay, so its repeats reach the entities.
const SHORT_DUPLICATE_WINDOW_MS = 1_000;

const sample = readCrmSample(SAMPLE_DIR);
const slice = sample.opportunities.slice(0, LIMIT);
const catalogue = new Set(sample.products.map((product) => product.name));
const accountNames = new Set(sample.accounts.map((account) => account.name));
const untaxedAccounts = new Set(sample.accounts.filter((account) => account.officeLocation === 'Philipines').map((account) => account.name));
const wonValid = slice.filter((deal) => deal.dealStage === 'Won' && deal.account !== undefined && accountNames.has(deal.account) && catalogue.has(deal.product));
const wonGtxPro = slice.filter((deal) => deal.dealStage === 'Won' && deal.product === 'GTXPro');

let nats: TestNatsServer;
let erp: ErpSimulator;
let dataDir: string;
let running: RunningQuoteToCashNode;
let first: DemoReport;

beforeAll(async () => {
  nats = await startNatsServer();
  dataDir = await makeTempDir('demo-pipeline');
  erp = await createErpSimulator(demoErpOptions(sample, { stateFile: join(dataDir, 'erp-state.json') }));
  // recentIdsLimit 2: entities forget CRM message ids quickly, so a late repeat must be
  // stopped by the stale checks on source versions, not by the remembered ids.
  const config = resolveConfig({ natsUrl: nats.url, dataDir, partitions: 8, nodeId: 'demo-test', recentIdsLimit: 2 });
  running = await startQuoteToCashNode({ config, erpUrl: erp.url, http: false });
  first = await runDemoPipeline({ node: running.node, natsUrl: nats.url, erpUrl: erp.url, sample, limit: LIMIT, idleTimeoutMs: 120_000 });
}, 180_000);

afterAll(async () => {
  await running?.stop();
  await erp?.close();
  await nats?.stop();
  if (dataDir !== undefined) await removeTempDir(dataDir);
});

function order(key: string): EntityRecord {
  const record = running.node.store.getEntity('order', key);
  if (record === undefined) throw new Error(`order ${key} was not created`);
  return record;
}

async function shortenDuplicateWindows(): Promise<void> {
  for (const stream of [STREAM.crm, STREAM.inbox]) {
    const { config } = await running.node.jsm.streams.info(stream);
    await running.node.jsm.streams.update(stream, { ...config, duplicate_window: nanos(SHORT_DUPLICATE_WINDOW_MS) });
  }
}

function countByOrderKey(documents: Array<{ orderKey: string }>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const document of documents) counts.set(document.orderKey, (counts.get(document.orderKey) ?? 0) + 1);
  return counts;
}

describe('demo pipeline on the first 300 opportunities', () => {
  it('orders and invoices each won valid deal once, or names its exception', () => {
    const salesOrders = countByOrderKey(first.erp.salesOrders);
    const invoices = countByOrderKey(first.erp.invoices);
    const withoutOrder = wonValid.filter((deal) => !salesOrders.has(deal.opportunityId));

    expect(wonValid.length).toBeGreaterThan(100);
    for (const deal of wonValid) {
      const record = order(deal.opportunityId);
      if (salesOrders.has(deal.opportunityId)) {
        expect(salesOrders.get(deal.opportunityId), deal.opportunityId).toBe(1);
        expect(invoices.get(deal.opportunityId), deal.opportunityId).toBe(1);
        expect(record.state, deal.opportunityId).toBe('invoiced');
      } else {
        expect(record.state, deal.opportunityId).toMatch(/^rejected\./);
        expect(['creditHold', 'taxConfigMissing'], deal.opportunityId).toContain(entityException(record)?.reason);
      }
    }
    expect(first.erp.salesOrders).toHaveLength(wonValid.length - withoutOrder.length);
  });

  it('rejects every won deal of the untaxed country with taxConfigMissing', () => {
    const untaxedDeals = wonValid.filter((deal) => untaxedAccounts.has(deal.account!));

    expect(untaxedDeals.length).toBeGreaterThan(0);
    for (const deal of untaxedDeals) expect(entityException(order(deal.opportunityId))?.reason, deal.opportunityId).toBe('taxConfigMissing');
  });

  it('rejects every won GTXPro deal with unknownProduct', () => {
    expect(wonGtxPro.length).toBeGreaterThan(0);
    for (const deal of wonGtxPro) {
      const record = order(deal.opportunityId);
      expect(record.state, deal.opportunityId).toMatch(/^rejected\./);
      expect(entityException(record)?.reason, deal.opportunityId).toBe('unknownProduct');
    }
  });

  it('creates no sales order for lost, open or invalid deals', () => {
    const validKeys = new Set(wonValid.map((deal) => deal.opportunityId));
    expect(first.erp.salesOrders.filter((salesOrder) => !validKeys.has(salesOrder.orderKey))).toEqual([]);
  });

  it('reports a clean reconciliation', () => {
    const { reconciliation } = first;

    expect(reconciliation.wonValid).toBe(wonValid.length);
    expect(reconciliation.salesOrders).toBe(first.erp.salesOrders.length);
    expect(reconciliation.duplicateSalesOrders).toEqual([]);
    expect(reconciliation.duplicateInvoices).toEqual([]);
    expect(reconciliation.missingUnexplained).toEqual([]);
    expect(reconciliation.unexpectedSalesOrders).toEqual([]);
    expect(reconciliation.unknownProductInException).toBe(wonGtxPro.length);
  });

  it('syncs one ERP customer per replayed account', () => {
    const accountIds = new Set(slice.flatMap((deal) => (deal.account === undefined ? [] : [sampleAccountId(deal.account)])));
    expect(first.erp.customers.map((customer) => customer.accountId).sort()).toEqual([...accountIds].sort());
  });

  it('reports latency and throughput of the run', () => {
    expect(first.latency.eventTime?.count).toBe(first.erp.salesOrders.length);
    expect(first.latency.wallTime?.count).toBe(first.erp.salesOrders.length);
    expect(first.throughput.crmEvents).toBe(first.replay.changes.changes.length);
    expect(first.throughput.inboxMessagesApplied).toBeGreaterThan(first.throughput.crmEvents);
    expect(first.comparison.entitiesBefore).toBe(0);
  });
});

describe('replaying the same slice again', () => {
  let listingsBefore: ErpListings;
  let again: DemoReport;
  let late: DemoReport;
  const lateRows: HistoryRow[] = [];

  beforeAll(async () => {
    listingsBefore = await fetchErpListings(erp.url);
    again = await runDemoPipeline({ node: running.node, natsUrl: nats.url, erpUrl: erp.url, sample, limit: LIMIT, idleTimeoutMs: 60_000 });
    await shortenDuplicateWindows();
    await sleep(SHORT_DUPLICATE_WINDOW_MS * 2);
    const onRow = ({ row }: { row: HistoryRow }) => lateRows.push(row);
    running.node.events.on('entityTransitioned', onRow);
    late = await runDemoPipeline({ node: running.node, natsUrl: nats.url, erpUrl: erp.url, sample, limit: LIMIT, idleTimeoutMs: 60_000 });
    running.node.events.off('entityTransitioned', onRow);
  }, 180_000);

  it('is dropped by JetStream inside the duplicate window', () => {
    expect(again.throughput.crmDuplicatesDropped).toBe(again.throughput.crmEvents);
    expect(again.comparison.newErpDocuments).toBe(0);
    expect(again.comparison.newEntities).toBe(0);
    expect(again.comparison.changedEntities).toBe(0);
  });

  it('changes no entity and no ERP document after the window', async () => {
    expect(late.throughput.crmDuplicatesDropped).toBe(0);
    expect(late.throughput.inboxMessagesApplied).toBeGreaterThan(0);
    expect(lateRows.length).toBeGreaterThan(0);
    expect(lateRows.filter((row) => row.from !== row.to)).toEqual([]);
    expect(lateRows.filter((row) => row.effects.length > 0)).toEqual([]);
    expect(late.comparison.newEntities).toBe(0);
    expect(late.comparison.changedEntities).toBe(0);
    expect(late.comparison.newErpDocuments).toBe(0);
    expect(await fetchErpListings(erp.url)).toEqual(listingsBefore);
  });
});
