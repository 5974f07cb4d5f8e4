import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { Publisher } from '../src/publisher.ts';
import { startNatsServer, type TestNatsServer } from './support/natsServer.ts';
import { startTestNode, type TestNodeHandle } from './support/testNode.ts';

const ENTITIES = 500;
const MESSAGES = 10_000;

describe('per-entity order', () => {
  let server: TestNatsServer;
  let handle: TestNodeHandle;
  let nc: NatsConnection;

  beforeAll(async () => {
    server = await startNatsServer();
    handle = await startTestNode(server.url);
    nc = await connect({ servers: server.url });
  });

  afterAll(async () => {
    await nc?.close();
    await handle?.dispose();
    await server?.stop();
  });

  it('applies interleaved messages in publish order per entity', async () => {
    const publisher = new Publisher(jetstream(nc));
    const expected = new Map<string, number[]>();

    // Entity i gets values i, i+ENTITIES, ... interleaved with every other entity's.
    const pending: Array<Promise<unknown>> = [];
    for (let value = 0; value < MESSAGES; value++) {
      const key = `acct.${value % ENTITIES} *>/ü`;
      expected.set(key, [...(expected.get(key) ?? []), value]);
      pending.push(publisher.sendToEntity({ entityType: 'ledger', key, event: { type: 'append', value }, msgId: `m-${value}` }));
      if (pending.length >= 500) await Promise.all(pending.splice(0));
    }
    await Promise.all(pending);
    await handle.node.waitForIdle({ timeoutMs: 90_000 });

    for (const [key, values] of expected) {
      const record = handle.node.store.getEntity('ledger', key);
      expect(record, key).toBeDefined();
      expect((record!.snapshot as { context: { values: number[] } }).context.values).toEqual(values);
    }
  });

  it('records history rows in sequence order', () => {
    const rows = handle.node.store.historyOf('ledger', 'acct.7 *>/ü', { limit: 100 });
    const seqs = rows.map((row) => row.seq);
    expect(seqs.length).toBe(MESSAGES / ENTITIES);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
  });
});
