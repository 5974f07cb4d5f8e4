import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { Publisher } from '../../src/publisher.ts';
import { startNatsServer, type TestNatsServer } from '../support/natsServer.ts';
import { startTestNode, type TestNodeHandle } from '../support/testNode.ts';
import { makeTempDir, removeTempDir } from '../support/tempDir.ts';
import { contextOf } from './rawInbox.ts';

const TIMERS = 1_000;

describe('timers under pressure', () => {
  let server: TestNatsServer;
  let nc: NatsConnection;
  let publisher: Publisher;
  let dataDir: string;
  let handle: TestNodeHandle | undefined;

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
    publisher = new Publisher(jetstream(nc));
    dataDir = await makeTempDir('adv-timers');
  });

  afterAll(async () => {
    await handle?.stop();
    await nc?.close();
    await server?.stop();
    await removeTempDir(dataDir);
  });

  async function ringsOf(prefix: string, count: number): Promise<number[]> {
    return Array.from({ length: count }, (_, i) => contextOf<{ rings: number }>(handle!.node, 'alarm', `${prefix}-${i}`)?.rings ?? -1);
  }

  it('1000 timers due at once fire once each across a restart before due', async () => {
    handle = await startTestNode(server.url, { dataDir });
    const eventTime = new Date(Date.now()).toISOString();
    const sends = [];
    for (let i = 0; i < TIMERS; i++) {
      sends.push(publisher.sendToEntity({ entityType: 'alarm', key: `bulk-${i}`, event: { type: 'arm', delayMs: 4_000 }, msgId: `bulk-arm-${i}`, eventTime }));
    }
    await Promise.all(sends);
    await handle.node.waitForIdle();
    await handle.stop();

    handle = await startTestNode(server.url, { dataDir });
    await sleep(4_500);
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && (await ringsOf('bulk', TIMERS)).some((rings) => rings !== 1)) await sleep(200);
    await handle.node.waitForIdle();

    const rings = await ringsOf('bulk', TIMERS);
    expect(rings.filter((count) => count !== 1)).toEqual([]);
    const leftover = Array.from({ length: TIMERS }, (_, i) => handle!.node.store.timersOf('alarm', `bulk-${i}`).length).reduce((a, b) => a + b, 0);
    expect(leftover).toBe(0);
    // Every fired timer is one applied history row; a repeat would show as staleTimer or duplicate.
    const outcomes = new Map<string, number>();
    for (let i = 0; i < TIMERS; i++) {
      for (const row of handle.node.store.historyOf('alarm', `bulk-${i}`, { limit: 10 })) {
        if (row.eventType === 'ring') outcomes.set(row.outcome, (outcomes.get(row.outcome) ?? 0) + 1);
      }
    }
    expect(Object.fromEntries(outcomes)).toEqual({ applied: TIMERS });
  });

  it('timer due while the node is down fires once after restart', async () => {
    const eventTime = new Date(Date.now()).toISOString();
    await publisher.sendToEntity({ entityType: 'alarm', key: 'late', event: { type: 'arm', delayMs: 500 }, msgId: 'late-arm', eventTime });
    await handle!.node.waitForIdle();
    await handle!.stop();
    await sleep(1_500);
    handle = await startTestNode(server.url, { dataDir });
    await sleep(1_000);
    await handle.node.waitForIdle();
    expect(contextOf<{ rings: number }>(handle.node, 'alarm', 'late')?.rings).toBe(1);
  });

  it('cancel racing the fire leaves one outcome per alarm', async () => {
    const count = 300;
    const eventTime = new Date(Date.now()).toISOString();
    await Promise.all(Array.from({ length: count }, (_, i) => publisher.sendToEntity({ entityType: 'alarm', key: `race-${i}`, event: { type: 'arm', delayMs: 1_000 }, msgId: `race-arm-${i}`, eventTime })));
    await handle!.node.waitForIdle();
    await sleep(950);
    await Promise.all(Array.from({ length: count }, (_, i) => publisher.sendToEntity({ entityType: 'alarm', key: `race-${i}`, event: { type: 'disarm' }, msgId: `race-disarm-${i}` })));
    await sleep(1_500);
    await handle!.node.waitForIdle();

    for (let i = 0; i < count; i++) {
      const record = handle!.node.store.getEntity('alarm', `race-${i}`)!;
      const rings = contextOf<{ rings: number }>(handle!.node, 'alarm', `race-${i}`)!.rings;
      expect(record.state).toBe('idle');
      expect(rings === 0 || rings === 1).toBe(true);
      expect(handle!.node.store.timersOf('alarm', `race-${i}`)).toEqual([]);
    }
  });
});
