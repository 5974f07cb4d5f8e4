import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { rm } from 'node:fs/promises';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import type { FastifyInstance } from 'fastify';
import { buildHttpApp } from '../../src/http/startHttpServer.ts';
import { Publisher } from '../../src/publisher.ts';
import { startNatsServer, waitForJetStream, type TestNatsServer } from '../support/natsServer.ts';
import { lmdbPath, startTestNode, type TestNodeHandle } from '../support/testNode.ts';
import { makeTempDir, removeTempDir } from '../support/tempDir.ts';
import { contextOf } from './rawInbox.ts';

const ENTITIES = 50;

describe('node across a nats-server crash and an LMDB loss', () => {
  let server: TestNatsServer;
  let nc: NatsConnection;
  let dataDir: string;
  let handle: TestNodeHandle | undefined;
  let app: FastifyInstance | undefined;
  const expected = new Map<string, number[]>();
  let nextValue = 0;

  beforeAll(async () => {
    server = await startNatsServer();
    dataDir = await makeTempDir('adv-outage');
    handle = await startTestNode(server.url, { dataDir });
    app = await buildHttpApp(handle.node);
    nc = await connect({ servers: server.url, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
  });

  afterAll(async () => {
    await app?.close();
    await handle?.stop();
    await nc?.close();
    await server?.stop();
    await removeTempDir(dataDir);
  });

  async function publishRound(count: number): Promise<void> {
    const publisher = new Publisher(jetstream(nc));
    const pending = [];
    for (let i = 0; i < count; i++) {
      const value = nextValue++;
      const key = `o-${value % ENTITIES}`;
      expected.set(key, [...(expected.get(key) ?? []), value]);
      pending.push(publisher.sendToEntity({ entityType: 'ledger', key, event: { type: 'append', value }, msgId: `o-${value}` }));
    }
    await Promise.all(pending);
  }

  function mismatches(): string[] {
    return [...expected].filter(([key, values]) => JSON.stringify(contextOf<{ values: number[] }>(handle!.node, 'ledger', key)?.values) !== JSON.stringify(values)).map(([key]) => key);
  }

  it('readyz fails while nats-server is down and the node resumes after restart', async () => {
    await publishRound(2_000);
    await handle!.node.waitForIdle();

    await server.kill();
    const down = await app!.inject({ method: 'GET', url: '/readyz' });
    expect(down.statusCode).toBe(503);

    await sleep(1_500);
    await server.restart();
    await waitForJetStream(server.url);
    // The test's own connection reconnects on its own schedule; publish once it replies to a ping.
    while (await nc.rtt().then(() => false, () => true)) await sleep(100);
    await publishRound(2_000);

    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && mismatches().length > 0) await sleep(200);
    expect(mismatches()).toEqual([]);

    const up = await app!.inject({ method: 'GET', url: '/readyz' });
    expect(up.statusCode).toBe(200);
  });

  it('rebuilds identical records after its LMDB folder is deleted', async () => {
    await handle!.node.waitForIdle();
    const before = [...expected.keys()].map((key) => handle!.node.store.getEntity('ledger', key));
    await app!.close();
    app = undefined;
    await handle!.stop();

    await rm(lmdbPath(dataDir), { recursive: true, force: true });
    handle = await startTestNode(server.url, { dataDir });
    await handle.node.waitForIdle();

    const after = [...expected.keys()].map((key) => handle!.node.store.getEntity('ledger', key));
    expect(after).toEqual(before);
  });
});
