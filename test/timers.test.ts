import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { Publisher } from '../src/publisher.ts';
import { startNatsServer, type TestNatsServer } from './support/natsServer.ts';
import { startTestNode } from './support/testNode.ts';
import { removeTempDir } from './support/tempDir.ts';

function rings(snapshot: unknown): number {
  return (snapshot as { context: { rings: number } }).context.rings;
}

describe('durable timers', () => {
  let server: TestNatsServer;
  let nc: NatsConnection;
  let publisher: Publisher;
  const dirs: string[] = [];

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
    publisher = new Publisher(jetstream(nc));
  });

  afterAll(async () => {
    await nc?.close();
    await server?.stop();
    for (const dir of dirs) await removeTempDir(dir);
  });

  it('fires once, no earlier than due', async () => {
    const handle = await startTestNode(server.url);
    dirs.push(handle.dataDir);
    const armedAt = Date.now();
    await publisher.sendToEntity({ entityType: 'alarm', key: 'soon', event: { type: 'arm', delayMs: 400 }, msgId: 'soon-arm', eventTime: new Date(armedAt).toISOString() });

    await handle.node.waitForIdle();
    expect(handle.node.store.timersOf('alarm', 'soon')).toHaveLength(1);
    if (Date.now() - armedAt < 350) expect(rings(handle.node.store.getEntity('alarm', 'soon')!.snapshot)).toBe(0);
    await waitFor(() => rings(handle.node.store.getEntity('alarm', 'soon')!.snapshot) === 1);
    const ring = handle.node.store.historyOf('alarm', 'soon', { limit: 1 })[0]!;

    expect(ring.eventType).toBe('ring');
    expect(ring.eventTimeMs).toBe(armedAt + 400);
    expect(ring.seq).toBeGreaterThan(0);
    expect(handle.node.store.timersOf('alarm', 'soon')).toEqual([]);
    await sleep(300);
    expect(rings(handle.node.store.getEntity('alarm', 'soon')!.snapshot)).toBe(1);
    await handle.stop();
  });

  it('survives a restart of the node', async () => {
    const handle = await startTestNode(server.url);
    dirs.push(handle.dataDir);
    await publisher.sendToEntity({ entityType: 'alarm', key: 'later', event: { type: 'arm', delayMs: 1_500 }, msgId: 'later-arm', eventTime: new Date().toISOString() });
    await handle.node.waitForIdle();
    await handle.stop();

    await sleep(1_600);
    const restarted = await startTestNode(server.url, { dataDir: handle.dataDir });
    await waitFor(() => rings(restarted.node.store.getEntity('alarm', 'later')!.snapshot) === 1);
    expect(restarted.node.store.getEntity('alarm', 'later')!.state).toBe('idle');
    await restarted.stop();
  });

  it('never fires a cancelled timer', async () => {
    const handle = await startTestNode(server.url);
    dirs.push(handle.dataDir);
    const now = Date.now();
    await publisher.sendToEntity({ entityType: 'alarm', key: 'cancelled', event: { type: 'arm', delayMs: 300 }, msgId: 'c-arm', eventTime: new Date(now).toISOString() });
    await publisher.sendToEntity({ entityType: 'alarm', key: 'cancelled', event: { type: 'disarm' }, msgId: 'c-disarm', eventTime: new Date(now + 10).toISOString() });
    await handle.node.waitForIdle();

    expect(handle.node.store.timersOf('alarm', 'cancelled')).toEqual([]);
    await sleep(700);
    await handle.node.fireDueTimers();
    await handle.node.waitForIdle();
    const record = handle.node.store.getEntity('alarm', 'cancelled')!;
    expect(rings(record.snapshot)).toBe(0);
    expect(handle.node.store.historyOf('alarm', 'cancelled', { limit: 10 }).map((row) => row.eventType)).toEqual(['disarm', 'arm']);
    await handle.stop();
  });

  it('treats a timer message that outlived its timer as stale', async () => {
    const handle = await startTestNode(server.url);
    dirs.push(handle.dataDir);
    await publisher.sendToEntity({ entityType: 'alarm', key: 'stale', event: { type: 'arm', delayMs: 60_000 }, msgId: 's-arm' });
    await handle.node.waitForIdle();
    // A forged timer message for a timer set by another sequence must not apply.
    await publisher.sendToEntity({ entityType: 'alarm', key: 'stale', event: { type: 'ring' }, msgId: 's-forged', extraHeaders: { 'Ordo-Timer': 'ring@1' } });
    await handle.node.waitForIdle();

    const [latest] = handle.node.store.historyOf('alarm', 'stale', { limit: 1 });
    expect(latest!.outcome).toBe('staleTimer');
    expect(rings(handle.node.store.getEntity('alarm', 'stale')!.snapshot)).toBe(0);
    await handle.stop();
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(50);
  }
}
