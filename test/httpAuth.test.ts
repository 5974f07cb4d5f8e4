import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildHttpApp } from '../src/http/startHttpServer.ts';
import { startNatsServer, type TestNatsServer } from './support/natsServer.ts';
import { startTestNode, type TestNodeHandle } from './support/testNode.ts';
import { waitForReaders } from './support/waitForReaders.ts';

const TOKEN = 'test-token-1234';
const COMMAND = { type: 'append', value: 1 };

async function startApp(apiToken?: string): Promise<{ app: FastifyInstance; stop(): Promise<void> }> {
  const server: TestNatsServer = await startNatsServer();
  const handle: TestNodeHandle = await startTestNode(server.url, { config: { apiToken } });
  const app = await buildHttpApp(handle.node);
  await waitForReaders(handle.node);
  return {
    app,
    stop: async () => {
      await app.close();
      await handle.dispose();
      await server.stop();
    },
  };
}

describe('mutating routes with a token', () => {
  let subject: Awaited<ReturnType<typeof startApp>>;
  beforeAll(async () => {
    subject = await startApp(TOKEN);
  });
  afterAll(async () => {
    await subject?.stop();
  });

  const post = (url: string, headers: Record<string, string> = {}) => subject.app.inject({ method: 'POST', url, headers, payload: COMMAND });

  it('rejects a request without the token', async () => {
    const response = await post('/v1/entities/ledger/a1/events');
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('ERR_UNAUTHORIZED');
  });

  it('rejects a wrong token', async () => {
    const response = await post('/v1/entities/ledger/a1/events', { authorization: 'Bearer nope' });
    expect(response.statusCode).toBe(401);
  });

  it('rejects before validating the body', async () => {
    const response = await subject.app.inject({ method: 'POST', url: '/v1/entities/ledger/a1/events', payload: { notType: 1 } });
    expect(response.statusCode).toBe(401);
  });

  it('guards dead-letter replay and discard', async () => {
    expect((await post('/v1/dead-letters/1/replay')).statusCode).toBe(401);
    expect((await post('/v1/dead-letters/1/discard')).statusCode).toBe(401);
  });

  it('accepts the token from any address', async () => {
    const response = await subject.app.inject({
      method: 'POST',
      url: '/v1/entities/ledger/a1/events',
      headers: { authorization: `Bearer ${TOKEN}` },
      remoteAddress: '10.1.2.3',
      payload: COMMAND,
    });
    expect(response.statusCode).toBe(202);
  });

  it('serves reads without the token', async () => {
    expect((await subject.app.inject({ url: '/v1/entities/ledger/stats', remoteAddress: '10.1.2.3' })).statusCode).toBe(200);
  });
});

describe('mutating routes without a token', () => {
  let subject: Awaited<ReturnType<typeof startApp>>;
  beforeAll(async () => {
    subject = await startApp(undefined);
  });
  afterAll(async () => {
    await subject?.stop();
  });

  it('rejects a non-loopback client', async () => {
    const response = await subject.app.inject({ method: 'POST', url: '/v1/entities/ledger/a1/events', remoteAddress: '192.168.1.20', payload: COMMAND });
    expect(response.statusCode).toBe(401);
    expect(response.json().error.message).toContain('loopback');
  });

  it('serves a loopback client', async () => {
    for (const remoteAddress of ['127.0.0.1', '::1']) {
      const response = await subject.app.inject({ method: 'POST', url: '/v1/entities/ledger/a1/events', remoteAddress, payload: COMMAND });
      expect(response.statusCode, remoteAddress).toBe(202);
    }
  });
});
