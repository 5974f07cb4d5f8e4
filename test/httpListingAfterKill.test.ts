import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildHttpApp } from '../src/http/startHttpServer.ts';
import { Publisher } from '../src/publisher.ts';
import { freePort } from './support/freePort.ts';
import { startNatsServer, type TestNatsServer } from './support/natsServer.ts';
import { spawnNodeProcess, type NodeProcess } from './support/nodeProcess.ts';
import { makeTempDir, removeTempDir } from './support/tempDir.ts';
import { startTestNode, type TestNodeHandle } from './support/testNode.ts';

const CHILD = fileURLToPath(new URL('./support/httpNodeChild.ts', import.meta.url));
const ENTITIES = 400;
const MESSAGES = 8_000;

/** Returns `key=state` of every entity of one type from a scan of the records, sorted. */
function scanStates(handle: TestNodeHandle, entityType: string): string[] {
  const rows: string[] = [];
  for (const { value } of handle.node.store.entities.getRange({ start: [entityType, ''], end: [entityType, '\uffff'] })) {
    rows.push(`${value.key}=${value.state}`);
  }
  return rows.sort();
}

async function listStates(app: FastifyInstance, entityType: string): Promise<string[]> {
  const rows: string[] = [];
  let cursor: string | undefined;
  do {
    const query = cursor === undefined ? 'limit=97' : `limit=97&cursor=${cursor}`;
    const body = (await app.inject({ url: `/v1/entities/${entityType}?${query}` })).json();
    rows.push(...body.items.map((item: { key: string; state: string }) => `${item.key}=${item.state}`));
    cursor = body.nextCursor;
  } while (cursor !== undefined);
  return rows.sort();
}

describe('by-state listing after SIGKILL', () => {
  let server: TestNatsServer;
  let nc: NatsConnection;
  let dataDir: string;
  let child: NodeProcess | undefined;
  let handle: TestNodeHandle | undefined;
  let app: FastifyInstance | undefined;

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
    dataDir = await makeTempDir('http-kill');
  });

  afterAll(async () => {
    await app?.close();
    await child?.kill();
    await handle?.stop();
    await nc?.close();
    await server?.stop();
    await removeTempDir(dataDir);
  });

  it('matches a scan of the entities after a crash', async () => {
    const httpPort = await freePort();
    child = spawnNodeProcess({ ORDO_NATS_URL: server.url, ORDO_DATA_DIR: dataDir, ORDO_HTTP_PORT: String(httpPort) }, CHILD);
    await child.ready;

    // Alternate arm and disarm so entities move between states while the node dies.
    const publishing = publishAll(new Publisher(jetstream(nc)));
    const applied = await waitForApplied(`http://127.0.0.1:${httpPort}`, 1_000);
    await child.kill();
    await publishing;
    expect(applied).toBeLessThan(MESSAGES);

    handle = await startTestNode(server.url, { dataDir, config: { nodeId: 'child-node' } });
    await handle.node.waitForIdle({ timeoutMs: 90_000 });
    app = await buildHttpApp(handle.node);

    const scanned = scanStates(handle, 'alarm');
    expect(scanned).toHaveLength(ENTITIES);
    expect(await listStates(app, 'alarm')).toEqual(scanned);

    const stats = (await app.inject({ url: '/v1/entities/alarm/stats' })).json();
    expect(stats.total).toBe(ENTITIES);
  });
});

async function publishAll(publisher: Publisher): Promise<void> {
  const pending: Array<Promise<unknown>> = [];
  for (let i = 0; i < MESSAGES; i++) {
    const event = i % (ENTITIES * 2) < ENTITIES ? { type: 'arm', delayMs: 86_400_000 } : { type: 'disarm' };
    pending.push(publisher.sendToEntity({ entityType: 'alarm', key: `alarm ${i % ENTITIES}/x`, event, msgId: `kill-${i}` }));
    if (pending.length >= 200) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
}

/** Polls the child's metrics until it has applied at least `minimum` messages; returns the count. */
async function waitForApplied(url: string, minimum: number): Promise<number> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const text = await (await fetch(`${url}/metrics`)).text();
    const match = /^ordo_messages_applied_total\{[^}]*\} (\d+)/m.exec(text);
    const applied = Number(match?.[1] ?? 0);
    if (applied >= minimum) return applied;
    await sleep(5);
  }
  throw new Error(`The child node at ${url} did not apply ${minimum} messages within 30 s.`);
}
