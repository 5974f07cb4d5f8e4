import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import type { FastifyInstance } from 'fastify';
import { buildHttpApp } from '../src/http/startHttpServer.ts';
import { Publisher } from '../src/publisher.ts';
import { startNatsServer, type TestNatsServer } from './support/natsServer.ts';
import { startTestNode, type TestNodeHandle } from './support/testNode.ts';

describe('health and metrics routes', () => {
  let server: TestNatsServer;
  let handle: TestNodeHandle;
  let nc: NatsConnection;
  let app: FastifyInstance;
  let breaker = 'closed';

  beforeAll(async () => {
    server = await startNatsServer();
    handle = await startTestNode(server.url);
    nc = await connect({ servers: server.url });
    app = await buildHttpApp(handle.node, { breakers: { erp: () => breaker } });
  });

  afterAll(async () => {
    await app?.close();
    await nc?.close();
    await handle?.dispose();
    await server?.stop();
  });

  it('answers liveness', async () => {
    const response = await app.inject({ url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', nodeId: 'test-node' });
  });

  it('reports ready when caught up', async () => {
    const response = await app.inject({ url: '/readyz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ready', ownedPartitions: 8, maxLag: 0 });
  });

  it('reports lag above the threshold', async () => {
    const strict = await buildHttpApp(handle.node, { lagThreshold: 1 });
    try {
      // The stream's head moves past the watermark while the node is stopped from applying:
      // a threshold of 1 fails as soon as one message waits.
      await handle.node.ownership.stop();
      await new Publisher(jetstream(nc)).sendToEntity({ entityType: 'ledger', key: 'lagging', event: { type: 'append', value: 1 }, msgId: 'lag-1' });
      const response = await strict.inject({ url: '/readyz' });
      expect(response.statusCode).toBe(503);
      const body = response.json();
      expect(body.error.code).toBe('ERR_NOT_READY');
      expect(body.error.details.reasons.join(' ')).toMatch(/lags 1 messages/);
    } finally {
      await strict.close();
    }
  });

  it('reports a closed NATS connection', async () => {
    await handle.node.nc.close();
    const response = await app.inject({ url: '/readyz' });
    expect(response.statusCode).toBe(503);
    expect(response.json().error.details.natsConnected).toBe(false);
  });

  it('exports the metric names', async () => {
    const response = await app.inject({ url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    const text = response.body;
    for (const name of [
      'ordo_messages_applied_total',
      'ordo_apply_seconds_per_message',
      'ordo_publish_to_commit_seconds',
      'ordo_partition_lag',
      'ordo_outbox_depth',
      'ordo_effect_retries_total',
      'ordo_effects_parked_total',
      'ordo_dead_letters_total',
      'ordo_circuit_breaker_state',
      'ordo_entities',
      'ordo_order_erp_latency_seconds',
      'ordo_exceptions_total',
      'ordo_orders_manual_work',
    ]) {
      expect(text, name).toContain(`# TYPE ${name} `);
    }
    expect(text).toContain('ordo_circuit_breaker_state{connector="erp",state="closed",node="test-node"} 1');
    breaker = 'open';
    expect((await app.inject({ url: '/metrics' })).body).toContain('ordo_circuit_breaker_state{connector="erp",state="open",node="test-node"} 1');
  });
});
