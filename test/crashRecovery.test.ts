import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { mulberry32 } from '../src/erp/simulator/faultProfile.ts';
import { Publisher } from '../src/publisher.ts';
import { OrdoStore } from '../src/store/ordoStore.ts';
import { startNatsServer, type TestNatsServer } from './support/natsServer.ts';
import { spawnNodeProcess, type NodeProcess } from './support/nodeProcess.ts';
import { makeTempDir, removeTempDir } from './support/tempDir.ts';
import { lmdbPath } from './support/testNode.ts';

const MESSAGES = 20_000;
const ENTITIES = 400;
const KILLS = 6;

// Publishing is paced (200 messages per 100 ms) so that every kill lands while messages still arrive.
describe('crash recovery', () => {
  let server: TestNatsServer;
  let nc: NatsConnection;
  let dataDir: string;
  let child: NodeProcess | undefined;

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
    dataDir = await makeTempDir('ordo-crash-');
  });

  afterAll(async () => {
    await child?.kill();
    await nc?.close();
    await server?.stop();
    await removeTempDir(dataDir);
  });

  it('applies every message exactly once across repeated SIGKILLs', async () => {
    const seed = Number(process.env.ORDO_TEST_SEED ?? Date.now() % 1_000_000);
    // Seeded, so a failing run can be repeated with ORDO_TEST_SEED.
    const random = mulberry32(seed);
    const env = { ORDO_NATS_URL: server.url, ORDO_DATA_DIR: dataDir, ORDO_BATCH_SIZE: '64' };
    const publisher = new Publisher(jetstream(nc));
    const expected = new Map<string, number[]>();

    // The first node creates the streams; publishing starts once it is up.
    child = spawnNodeProcess(env);
    await child.ready;
    let published = 0;
    const publishing = (async () => {
      const pending: Array<Promise<unknown>> = [];
      for (let value = 0; value < MESSAGES; value++) {
        const key = `entity-${value % ENTITIES}`;
        expected.set(key, [...(expected.get(key) ?? []), value]);
        pending.push(publisher.sendToEntity({ entityType: 'ledger', key, event: { type: 'append', value }, msgId: `crash-${value}` }));
        if (pending.length >= 200) {
          await Promise.all(pending.splice(0));
          published = value;
          await sleep(100);
        }
      }
      await Promise.all(pending);
    })();

    let killsMidStream = 0;
    for (let kill = 0; kill < KILLS; kill++) {
      if (kill > 0) {
        child = spawnNodeProcess(env);
        await child.ready;
      }
      await sleep(150 + Math.floor(random() * 700));
      if (published < MESSAGES - 200) killsMidStream++;
      await child.kill();
    }
    // The kills must land while messages are still arriving, or the test proves nothing.
    expect(killsMidStream).toBeGreaterThanOrEqual(5);

    await publishing;
    child = spawnNodeProcess(env);
    await child.ready;
    await waitUntilApplied(dataDir, expected, 90_000);
    await child.stop();

    const store = new OrdoStore(lmdbPath(dataDir), { historyLimit: 100 });
    try {
      for (const [key, values] of expected) {
        const context = (store.getEntity('ledger', key)!.snapshot as { context: { values: number[] } }).context;
        expect(context.values, `entity ${key} (seed ${seed})`).toEqual(values);
      }
    } finally {
      await store.close();
    }
  });
});

async function waitUntilApplied(dataDir: string, expected: Map<string, number[]>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const store = new OrdoStore(lmdbPath(dataDir), { historyLimit: 100 });
    try {
      const done = [...expected].every(([key, values]) => {
        const record = store.getEntity('ledger', key);
        return (record?.snapshot as { context: { values: number[] } } | undefined)?.context.values.length === values.length;
      });
      if (done) return;
    } finally {
      await store.close();
    }
    await sleep(250);
  }
}
