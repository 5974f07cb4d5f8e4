import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Publisher } from '../../src/publisher.ts';
import { OrdoStore } from '../../src/store/ordoStore.ts';
import { STREAM } from '../../src/subjects.ts';
import { startNatsServer, type TestNatsServer } from '../support/natsServer.ts';
import { spawnNodeProcess, type NodeProcess } from '../support/nodeProcess.ts';
import { makeTempDir, removeTempDir } from '../support/tempDir.ts';
import { lmdbPath } from '../support/testNode.ts';

const ENTITIES = 100;
const PER_CONNECTION = 6_000;

describe('exactly once under kills and a short duplicate window', () => {
  let server: TestNatsServer;
  let ncA: NatsConnection;
  let ncB: NatsConnection;
  let dataDir: string;
  let child: NodeProcess | undefined;

  beforeAll(async () => {
    server = await startNatsServer();
    ncA = await connect({ servers: server.url });
    ncB = await connect({ servers: server.url });
    dataDir = await makeTempDir('adv-crash');
  });

  afterAll(async () => {
    await child?.kill();
    await ncA?.close();
    await ncB?.close();
    await server?.stop();
    await removeTempDir(dataDir);
  });

  const env = () => ({ ORDO_NATS_URL: server.url, ORDO_DATA_DIR: dataDir, ORDO_DUPLICATE_WINDOW_MS: '1000', ORDO_BATCH_SIZE: '1000' });

  async function withStore<T>(read: (store: OrdoStore) => T): Promise<T> {
    const store = new OrdoStore(lmdbPath(dataDir), { historyLimit: 100 });
    try {
      return read(store);
    } finally {
      await store.close();
    }
  }

  const valuesOf = (store: OrdoStore, key: string) => (store.getEntity('ledger', key)?.snapshot as { context: { values: number[] } } | undefined)?.context.values ?? [];

  it('two publishers, bursts and kills at chosen moments', async () => {
    child = spawnNodeProcess(env());
    await child.ready;

    // Connection A publishes even values, B odd ones, to the same entities, each in its own order.
    const publishFrom = async (nc: NatsConnection, parity: number) => {
      const publisher = new Publisher(jetstream(nc));
      const pending: Array<Promise<unknown>> = [];
      for (let i = 0; i < PER_CONNECTION; i++) {
        const value = i * 2 + parity;
        pending.push(publisher.sendToEntity({ entityType: 'ledger', key: `e-${i % ENTITIES}`, event: { type: 'append', value }, msgId: `v-${value}` }));
        if (pending.length >= 2_000) await Promise.all(pending.splice(0));
      }
      await Promise.all(pending);
    };
    const publishing = Promise.all([publishFrom(ncA, 0), publishFrom(ncB, 1)]);

    // Kill points: right after ready, during the first burst's large batches, and again at once after a restart.
    for (const delayMs of [0, 40, 120, 5, 300, 15]) {
      if (child.child.exitCode !== null || child.child.signalCode !== null) {
        child = spawnNodeProcess(env());
        await child.ready;
      }
      await sleep(delayMs);
      await child.kill();
    }
    await publishing;
    child = spawnNodeProcess(env());
    await child.ready;

    const deadline = Date.now() + 90_000;
    let applied = 0;
    while (Date.now() < deadline) {
      applied = await withStore((store) => Array.from({ length: ENTITIES }, (_, i) => valuesOf(store, `e-${i}`).length).reduce((a, b) => a + b, 0));
      if (applied >= PER_CONNECTION * 2) break;
      await sleep(300);
    }
    await sleep(500);
    await child.stop();

    await withStore((store) => {
      let total = 0;
      for (let i = 0; i < ENTITIES; i++) {
        const values = valuesOf(store, `e-${i}`);
        total += values.length;
        const even = values.filter((value) => value % 2 === 0);
        const odd = values.filter((value) => value % 2 === 1);
        expect(new Set(values).size, `e-${i} has repeated values`).toBe(values.length);
        expect(even, `e-${i} even order`).toEqual([...even].sort((a, b) => a - b));
        expect(odd, `e-${i} odd order`).toEqual([...odd].sort((a, b) => a - b));
      }
      expect(total).toBe(PER_CONNECTION * 2);
    });
  });

  it('repeat after the duplicate window is recorded as duplicate', async () => {
    child = spawnNodeProcess(env());
    await child.ready;
    const publisher = new Publisher(jetstream(ncA));
    await publisher.sendToEntity({ entityType: 'ledger', key: 'dup', event: { type: 'append', value: 1 }, msgId: 'dup-1' });
    await sleep(1_500);
    const repeat = await publisher.sendToEntity({ entityType: 'ledger', key: 'dup', event: { type: 'append', value: 1 }, msgId: 'dup-1' });
    // Same command with a new id: a new command, applied again.
    await publisher.sendToEntity({ entityType: 'ledger', key: 'dup', event: { type: 'append', value: 1 }, msgId: 'dup-2' });
    await sleep(1_000);
    await child.stop();

    expect(repeat.duplicate).toBe(false);
    await withStore((store) => {
      expect(valuesOf(store, 'dup')).toEqual([1, 1]);
      expect(store.historyOf('ledger', 'dup', { limit: 10 }).map((row) => row.outcome).reverse()).toEqual(['applied', 'duplicate', 'applied']);
    });
  });

  // Beyond the duplicate window JetStream cannot drop the re-run publish, so effects are at
  // least once there; both copies carry the same effect id for consumers to drop the second.
  it('effect re-run after the window repeats its effect id', async () => {
    child = spawnNodeProcess({ ...env(), ORDO_TEST_CRASH: 'afterEffect' });
    await child.ready;
    const publisher = new Publisher(jetstream(ncA));
    await publisher.sendToEntity({ entityType: 'ledger', key: 'pinger', event: { type: 'ping', n: 1 }, msgId: 'ping-1' });
    await child.exited;
    await sleep(1_500);

    child = spawnNodeProcess(env());
    await child.ready;
    await sleep(1_500);
    await child.stop();

    const jsm = await jetstreamManager(ncA);
    const info = await jsm.streams.info(STREAM.events, { subjects_filter: 'ordo.events.ledger.pinged' });
    const copies = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
      const message = await jsm.streams.getMessage(STREAM.events, { seq }).catch(() => null);
      if (message?.subject === 'ordo.events.ledger.pinged') copies.push(message.json<{ effectId: string }>().effectId);
    }
    expect(copies.length).toBeGreaterThanOrEqual(1);
    expect(copies.length).toBeLessThanOrEqual(2);
    expect(new Set(copies).size).toBe(1);
  });
});
