import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config.ts';
import { mulberry32 } from '../src/erp/simulator/faultProfile.ts';
import { startQuoteToCashNode, type RunningQuoteToCashNode } from '../src/quoteToCashNode.ts';
import { startErpFixture, usd, type ErpFixture } from './support/erpFixtures.ts';
import { startNatsServer, type TestNatsServer } from './support/natsServer.ts';
import { spawnNodeProcess, type NodeProcess } from './support/nodeProcess.ts';
import { crmTime, publishGenericAccount, publishGenericOpportunity } from './support/quoteToCashCrm.ts';
import { readErpDocuments, reconcileErpDocuments } from './support/quoteToCashReconcile.ts';
import { describeEntity } from './support/quoteToCashWait.ts';
import { makeTempDir, removeTempDir } from './support/tempDir.ts';

const ACCOUNTS = 10;
const OPPORTUNITIES = 60;
const KILLS = 4;
const CHILD_SCRIPT = fileURLToPath(new URL('./support/quoteToCashChild.ts', import.meta.url));

/** Counts HTTP requests the simulator has received and not yet responded to. */
function trackInFlight(erp: ErpFixture): () => number {
  let inFlight = 0;
  erp.simulator.app.server.on('request', (_request, response) => {
    inFlight += 1;
    response.once('close', () => {
      inFlight -= 1;
    });
  });
  return () => inFlight;
}

describe('quote-to-cash node killed mid-effect', () => {
  let server: TestNatsServer;
  let erp: ErpFixture;
  let nc: NatsConnection;
  let dataDir: string;
  let child: NodeProcess | undefined;
  let final: RunningQuoteToCashNode | undefined;

  beforeAll(async () => {
    server = await startNatsServer();
    // Latency on every call keeps ERP requests open long enough for kills to land inside them.
    erp = await startErpFixture({ faults: { seed: 42, latencyMs: [30, 150] } });
    nc = await connect({ servers: server.url });
    dataDir = await makeTempDir('q2c-crash');
  });

  afterAll(async () => {
    await child?.kill();
    await final?.stop();
    await nc?.close();
    await erp?.simulator.close();
    await server?.stop();
    if (dataDir) await removeTempDir(dataDir);
  });

  it('leaves no duplicate ERP document', { timeout: 180_000 }, async () => {
    const seed = Number(process.env.ORDO_TEST_SEED ?? Date.now() % 1_000_000);
    const random = mulberry32(seed);
    const erpInFlight = trackInFlight(erp);
    const env = { ORDO_NATS_URL: server.url, ORDO_DATA_DIR: dataDir, ORDO_ERP_URL: erp.simulator.url };
    const js = jetstream(nc);

    child = spawnNodeProcess(env, CHILD_SCRIPT);
    await child.ready;

    const accountIds = Array.from({ length: ACCOUNTS }, (_, index) => `ACC-K${index}`);
    const orderKeys = Array.from({ length: OPPORTUNITIES }, (_, index) => `OPP-K${index}`);
    const publishing = (async () => {
      for (const accountId of accountIds) {
        await publishGenericAccount(js, { id: `evt-${accountId}`, occurredAt: crmTime(0) }, { accountId, name: `Crash Customer ${accountId}`, country: 'US' });
      }
      for (const [index, opportunityId] of orderKeys.entries()) {
        await publishGenericOpportunity(js, { id: `evt-${opportunityId}`, occurredAt: crmTime(1) }, {
          opportunityId, accountId: accountIds[index % ACCOUNTS], productCode: 'GADGET', quantity: 2, amount: usd(5_000), stage: 'closed_won',
        });
        if (index % 6 === 5) await sleep(200);
      }
    })();

    let killsWithCallsInFlight = 0;
    for (let kill = 0; kill < KILLS; kill++) {
      if (kill > 0) {
        child = spawnNodeProcess(env, CHILD_SCRIPT);
        await child.ready;
      }
      await sleep(200 + Math.floor(random() * 600));
      // Waits briefly for an ERP call to be open, so the kill cuts into an effect.
      for (let waited = 0; erpInFlight() === 0 && waited < 2_000; waited += 5) await sleep(5);
      if (erpInFlight() > 0) killsWithCallsInFlight += 1;
      await child.kill();
    }
    child = undefined;
    await publishing;
    expect(killsWithCallsInFlight, `seed ${seed}`).toBeGreaterThanOrEqual(3);

    // The restart runs in this process, so the test can read its store.
    const config = resolveConfig({ natsUrl: server.url, dataDir, nodeId: 'q2c-child', partitions: 8, timerPollMs: 50 });
    final = await startQuoteToCashNode({ config, erpUrl: erp.simulator.url, http: false });
    await final.node.waitForIdle({ timeoutMs: 90_000 });

    const notInvoiced = orderKeys.filter((key) => final!.node.store.getEntity('order', key)?.state !== 'invoiced');
    expect(notInvoiced.map((key) => `${key} ${describeEntity(final!.node, 'order', key)}`), `seed ${seed}`).toEqual([]);

    const documents = await readErpDocuments(erp.simulator.url);
    expect(reconcileErpDocuments(documents, { accountIds, orderKeys }), `seed ${seed}`).toEqual([]);
    expect(documents.salesOrders.every((order) => order.status === 'open')).toBe(true);
    expect(documents.invoices.every((invoice) => invoice.status === 'issued')).toBe(true);

    const stats = (await erp.request('GET', '/stats')).body;
    expect(stats.calls.byOutcome.idempotencyConflict).toBeUndefined();
    // The ERP still processes calls whose client was killed, so their re-run after restart is a replay.
    expect(stats.calls.byOutcome.replayed, `seed ${seed}`).toBeGreaterThanOrEqual(1);
  });
});
