import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { resolveConfig, type OrdoOptions } from '../../src/config.ts';
import type { ErpSimulatorOptions } from '../../src/erp/simulator/simulatorOptions.ts';
import type { OrdoNode } from '../../src/ordoNode.ts';
import { startQuoteToCashNode, type QuoteToCashNodeOptions, type RunningQuoteToCashNode } from '../../src/quoteToCashNode.ts';
import { startErpFixture, type ErpFixture } from './erpFixtures.ts';
import { startNatsServer, type TestNatsServer } from './natsServer.ts';
import { makeTempDir, removeTempDir } from './tempDir.ts';

export interface QuoteToCashHarnessOptions {
  /** Node options over the harness defaults (8 partitions, 50 ms timer poll). */
  config?: OrdoOptions;
  /** Simulator options over the fixture defaults (WIDGET and GADGET, tax for US). */
  erp?: Partial<ErpSimulatorOptions>;
  /** Passed to `startQuoteToCashNode`. Default: the connector's own timeout. */
  erpTimeoutMs?: number;
  /** Passed to `startQuoteToCashNode`, to shorten the order's timers. */
  orderTimings?: QuoteToCashNodeOptions['orderTimings'];
}

/** A real nats-server, an ERP simulator over HTTP and a quote-to-cash node, plus a client connection for the test. */
export interface QuoteToCashHarness {
  nats: TestNatsServer;
  erp: ErpFixture;
  running: RunningQuoteToCashNode;
  node: OrdoNode;
  /** The test's own connection, for publishing CRM events as a bridge would. */
  nc: NatsConnection;
  js: JetStreamClient;
  dataDir: string;
  /** Stops the node, the simulator and the server, and deletes the temp folders. Safe to call twice. */
  close(): Promise<void>;
}

/** Starts everything a quote-to-cash end-to-end test needs; `close()` undoes it. */
export async function startQuoteToCashHarness(options: QuoteToCashHarnessOptions = {}): Promise<QuoteToCashHarness> {
  const cleanups: Array<() => Promise<unknown>> = [];
  const closeAll = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  };

  try {
    const nats = await startNatsServer();
    cleanups.push(() => nats.stop());
    const erp = await startErpFixture(options.erp);
    cleanups.push(() => erp.simulator.close());
    const dataDir = await makeTempDir('q2c');
    cleanups.push(() => removeTempDir(dataDir));

    const config = resolveConfig({ natsUrl: nats.url, dataDir, nodeId: 'q2c-test', partitions: 8, timerPollMs: 50, ...options.config });
    const running = await startQuoteToCashNode({ config, erpUrl: erp.simulator.url, erpTimeoutMs: options.erpTimeoutMs, orderTimings: options.orderTimings, http: false });
    cleanups.push(() => running.stop());
    const nc = await connect({ servers: nats.url });
    cleanups.push(() => nc.close());

    return { nats, erp, running, node: running.node, nc, js: jetstream(nc), dataDir, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
