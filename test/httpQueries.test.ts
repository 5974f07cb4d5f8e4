import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import type { FastifyInstance } from 'fastify';
import { buildHttpApp } from '../src/http/startHttpServer.ts';
import { Publisher } from '../src/publisher.ts';
import { startNatsServer, type TestNatsServer } from './support/natsServer.ts';
import { startTestNode, type TestNodeHandle } from './support/testNode.ts';

const HOUR_MS = 3_600_000;

describe('query routes', () => {
  let server: TestNatsServer;
  let handle: TestNodeHandle;
  let nc: NatsConnection;
  let app: FastifyInstance;

  beforeAll(async () => {
    server = await startNatsServer();
    handle = await startTestNode(server.url);
    nc = await connect({ servers: server.url });
    app = await buildHttpApp(handle.node);

    // 30 alarms: 10 armed two hours ago, 10 armed now, 10 armed then disarmed now.
    const publisher = new Publisher(jetstream(nc));
    const twoHoursAgo = new Date(Date.now() - 2 * HOUR_MS).toISOString();
    for (let i = 0; i < 30; i++) {
      const eventTime = i < 10 ? twoHoursAgo : undefined;
      await publisher.sendToEntity({ entityType: 'alarm', key: `q${i}`, event: { type: 'arm', delayMs: 100 * HOUR_MS }, msgId: `arm-${i}`, eventTime });
      if (i >= 20) await publisher.sendToEntity({ entityType: 'alarm', key: `q${i}`, event: { type: 'disarm' }, msgId: `disarm-${i}` });
    }
    await handle.node.waitForIdle();
  });

  afterAll(async () => {
    await app?.close();
    await nc?.close();
    await handle?.dispose();
    await server?.stop();
  });

  const list = async (query: string) => (await app.inject({ url: `/v1/entities/alarm?${query}` })).json();

  it('lists one state', async () => {
    const body = await list('state=armed&limit=100');
    expect(body.items.map((item: { key: string }) => item.key).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `q${i}`).sort());
    expect(body.nextCursor).toBeUndefined();
  });

  it('filters by duration olderThan', async () => {
    const body = await list('state=armed&olderThan=1h');
    expect(body.items).toHaveLength(10);
    for (const item of body.items) expect(Date.parse(item.updatedAt)).toBeLessThan(Date.now() - HOUR_MS);
  });

  it('filters by ISO olderThan across states', async () => {
    const cutoff = new Date(Date.now() - HOUR_MS).toISOString();
    const body = await list(`olderThan=${encodeURIComponent(cutoff)}`);
    expect(body.items).toHaveLength(10);
    expect(new Set(body.items.map((item: { state: string }) => item.state))).toEqual(new Set(['armed']));
  });

  it('pages with a cursor', async () => {
    const keys: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 20; page++) {
      const body = await list(cursor === undefined ? 'limit=7' : `limit=7&cursor=${cursor}`);
      keys.push(...body.items.map((item: { key: string }) => item.key));
      cursor = body.nextCursor;
      if (cursor === undefined) break;
    }
    expect(keys).toHaveLength(30);
    expect(new Set(keys).size).toBe(30);
  });

  it('equals a scan of the entities', async () => {
    const scanned = [...handle.node.store.entities.getRange({ start: ['alarm', ''], end: ['alarm', '\uffff'] })]
      .map(({ value }) => `${value.key}=${value.state}`)
      .sort();
    const listed = (await list('limit=1000')).items.map((item: { key: string; state: string }) => `${item.key}=${item.state}`).sort();
    expect(listed).toEqual(scanned);
  });

  it('counts by state', async () => {
    const body = (await app.inject({ url: '/v1/entities/alarm/stats' })).json();
    expect(body).toEqual({ type: 'alarm', total: 30, states: { armed: 20, idle: 10 } });
  });

  it('rejects a malformed olderThan', async () => {
    const response = await app.inject({ url: '/v1/entities/alarm?olderThan=yesterday' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('ERR_BAD_REQUEST');
  });

  it('rejects a foreign cursor', async () => {
    const response = await app.inject({ url: '/v1/entities/alarm?state=idle&cursor=bm90LWEtY3Vyc29y' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('ERR_BAD_REQUEST');
  });

  it('rejects an unknown type', async () => {
    const response = await app.inject({ url: '/v1/entities/nosuch/stats' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('ERR_ENTITY_TYPE_UNKNOWN');
  });
});
