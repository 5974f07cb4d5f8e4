import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { Publisher } from '../src/publisher.ts';
import type { OrdoStore } from '../src/store/ordoStore.ts';
import { startNatsServer, type TestNatsServer } from './support/natsServer.ts';
import { startTestNode } from './support/testNode.ts';
import { removeTempDir } from './support/tempDir.ts';

describe('determinism', () => {
  let server: TestNatsServer;
  let nc: NatsConnection;
  const dirs: string[] = [];

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
  });

  afterAll(async () => {
    await nc?.close();
    await server?.stop();
    for (const dir of dirs) await removeTempDir(dir);
  });

  it('rebuilds identical snapshots and history from the inbox into a fresh LMDB', async () => {
    const first = await startTestNode(server.url);
    dirs.push(first.dataDir);
    const publisher = new Publisher(jetstream(nc));
    const sends: Array<Promise<unknown>> = [];
    for (let n = 0; n < 600; n++) {
      const key = `k${n % 30}`;
      sends.push(publisher.sendToEntity({ entityType: 'ledger', key, event: n % 7 === 0 ? { type: 'ping', n } : { type: 'append', value: n }, msgId: `d-${n}` }));
    }
    for (let n = 0; n < 10; n++) {
      sends.push(publisher.sendToEntity({ entityType: 'alarm', key: `a${n}`, event: { type: 'arm', delayMs: 50 }, msgId: `arm-${n}`, eventTime: '2020-01-01T00:00:00.000Z' }));
    }
    await Promise.all(sends);
    await first.node.fireDueTimers();
    await first.node.waitForIdle();
    const original = dump(first.node.store);
    await first.stop();

    const rebuilt = await startTestNode(server.url);
    dirs.push(rebuilt.dataDir);
    await rebuilt.node.waitForIdle();
    const copy = dump(rebuilt.node.store);
    await rebuilt.stop();

    expect(Object.keys(original).length).toBe(40);
    expect(copy).toEqual(original);
  });
});

/** Every entity record and its history, keyed by type and key. */
function dump(store: OrdoStore): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const { key, value } of store.entities.getRange({})) {
    const [entityType, entityKey] = key;
    result[`${entityType}/${entityKey}`] = { record: value, history: store.historyOf(entityType, entityKey, { limit: 1000 }) };
  }
  return result;
}
