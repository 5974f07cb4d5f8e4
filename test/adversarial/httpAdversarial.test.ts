import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildHttpApp } from '../../src/http/startHttpServer.ts';
import { startNatsServer, type TestNatsServer } from '../support/natsServer.ts';
import { startTestNode, type TestNodeHandle } from '../support/testNode.ts';
import { publishRaw, readDeadLetters } from './rawInbox.ts';

const TOKEN = 'secret-token';
const auth = { authorization: `Bearer ${TOKEN}` };

describe('HTTP API with hostile requests', () => {
  let server: TestNatsServer;
  let handle: TestNodeHandle;
  let app: FastifyInstance;

  beforeAll(async () => {
    server = await startNatsServer();
    handle = await startTestNode(server.url, { config: { apiToken: TOKEN } });
    app = await buildHttpApp(handle.node);
    await publishRaw(handle.node.nc, 'ordo.in.ledger.known', { entityType: 'ledger', key: 'known', event: { type: 'append', value: 1 } }, { 'Nats-Msg-Id': 'known-1' });
    await handle.node.waitForIdle();
  });

  afterAll(async () => {
    await app?.close();
    await handle?.dispose();
    await server?.stop();
  });

  const get = (url: string) => app.inject({ method: 'GET', url });

  it.each([
    ['/v1/entities/nope/x', 400, 'ERR_ENTITY_TYPE_UNKNOWN'],
    ['/v1/entities/ledger/a%2Fb', 404, 'ERR_ENTITY_NOT_FOUND'],
    [`/v1/entities/ledger/${encodeURIComponent('ü'.repeat(150))}`, 400, 'ERR_KEY_TOO_LONG'],
    ['/v1/entities/ledger/%', 400, 'ERR_BAD_REQUEST'],
    ['/v1/entities/ledger/%E9', 400, 'ERR_BAD_REQUEST'],
    ['/v1/entities/ledger/%ED%A0%80', 400, 'ERR_BAD_REQUEST'],
    ['/v1/entities/ledger?limit=-1', 400, 'ERR_BAD_REQUEST'],
    ['/v1/entities/ledger?limit=abc', 400, 'ERR_BAD_REQUEST'],
    ['/v1/entities/ledger?limit=1e9', 400, 'ERR_BAD_REQUEST'],
    ['/v1/entities/ledger?cursor=garbage', 400, 'ERR_BAD_REQUEST'],
    ['/v1/entities/ledger?olderThan=yesterday', 400, 'ERR_BAD_REQUEST'],
    ['/v1/entities/ledger?olderThan=2024-13-45', 400, 'ERR_BAD_REQUEST'],
    ['/v1/entities/ledger?olderThan=1e400d', 400, 'ERR_BAD_REQUEST'],
    ['/v1/entities/ledger/known/history?limit=0', 400, 'ERR_BAD_REQUEST'],
    ['/v1/entities/ledger/known/history?before=abc', 400, 'ERR_BAD_REQUEST'],
    ['/v1/dead-letters?limit=-1', 400, 'ERR_BAD_REQUEST'],
    ['/v1/dead-letters?cursor=0', 400, 'ERR_BAD_REQUEST'],
    ['/v1/dead-letters/abc', 400, 'ERR_BAD_REQUEST'],
    ['/v1/dead-letters/0', 400, 'ERR_BAD_REQUEST'],
    ['/v1/dead-letters/99999999', 404, 'ERR_DEAD_LETTER_NOT_FOUND'],
    ['/v1/dead-letters/99999999999999999999', 400, 'ERR_BAD_REQUEST'],
  ])('GET %s answers %i %s', async (url, status, code) => {
    const response = await get(url);
    expect({ status: response.statusCode, code: response.json().error?.code }, response.body).toEqual({ status, code });
  });

  it('olderThan with a huge duration is a valid, empty cutoff', async () => {
    const response = await get('/v1/entities/ledger?olderThan=99999999999999999999d');
    expect(response.statusCode).toBe(200);
  });

  it('POST without token, with a wrong token, from a remote address', async () => {
    const url = '/v1/entities/ledger/known/events';
    const payload = { type: 'append', value: 2 };
    const none = await app.inject({ method: 'POST', url, payload });
    const wrong = await app.inject({ method: 'POST', url, payload, headers: { authorization: 'Bearer nope' } });
    const remote = await app.inject({ method: 'POST', url, payload, remoteAddress: '10.1.2.3' });
    const remoteWithToken = await app.inject({ method: 'POST', url, payload, remoteAddress: '10.1.2.3', headers: { ...auth, 'idempotency-key': 'remote-1' } });
    expect([none.statusCode, wrong.statusCode, remote.statusCode, remoteWithToken.statusCode]).toEqual([401, 401, 401, 202]);
  });

  it.each([
    [{ type: 'append', value: 'x' }, 'ERR_MESSAGE_INVALID'],
    [{ value: 1 }, 'ERR_BAD_REQUEST'],
    [[{ type: 'append', value: 1 }], 'ERR_BAD_REQUEST'],
    [{ type: '' }, 'ERR_BAD_REQUEST'],
    [{ type: 'xstate.after.1000.alarm' }, 'ERR_MESSAGE_INVALID'],
    [{ type: 'erp.salesOrder.created', orderNumber: 'SO-FORGED' }, 'ERR_MESSAGE_INVALID'],
  ])('operator command %j is rejected with %s', async (payload, code) => {
    const response = await app.inject({ method: 'POST', url: '/v1/entities/ledger/known/events', payload: payload as object, headers: auth });
    expect({ status: response.statusCode, code: response.json().error?.code }).toEqual({ status: 400, code });
  });

  it('repeated Idempotency-Key applies once', async () => {
    const send = () => app.inject({ method: 'POST', url: '/v1/entities/ledger/idem/events', payload: { type: 'append', value: 5 }, headers: { ...auth, 'idempotency-key': 'same-key' } });
    const first = await send();
    const second = await send();
    await handle.node.waitForIdle();
    expect([first.statusCode, second.statusCode]).toEqual([202, 202]);
    expect(second.json().duplicate).toBe(true);
    const context = (handle.node.store.getEntity('ledger', 'idem')!.snapshot as { context: { values: number[] } }).context;
    expect(context.values).toEqual([5]);
  });

  it('eventTime beyond year 9999 creates no entity', async () => {
    await publishRaw(handle.node.nc, 'ordo.in.alarm.edge', { entityType: 'alarm', key: 'edge', event: { type: 'arm', delayMs: 1000 }, eventTime: '+275760-09-13T00:00:00.000Z' }, { 'Nats-Msg-Id': 'edge-1' });
    await handle.node.waitForIdle();
    const response = await get('/v1/entities/alarm/edge');
    expect(response.statusCode, response.body).toBe(404);
  });

  it('replay twice, discard twice, replay after discard', async () => {
    await publishRaw(handle.node.nc, 'ordo.in.ledger.dl', 'garbage', { 'Nats-Msg-Id': 'dl-1' });
    await handle.node.waitForIdle();
    const letter = (await readDeadLetters(handle.node)).find((candidate) => candidate.originalMsgId === 'dl-1')!;
    const url = `/v1/dead-letters/${letter.seq}`;

    const replayA = await app.inject({ method: 'POST', url: `${url}/replay`, headers: auth, payload: { entityType: 'ledger', key: 'dl' } });
    const replayB = await app.inject({ method: 'POST', url: `${url}/replay`, headers: auth, payload: { entityType: 'ledger', key: 'dl' } });
    const replayKeyed1 = await app.inject({ method: 'POST', url: `${url}/replay`, headers: { ...auth, 'idempotency-key': 'r1' }, payload: { entityType: 'ledger', key: 'dl' } });
    const replayKeyed2 = await app.inject({ method: 'POST', url: `${url}/replay`, headers: { ...auth, 'idempotency-key': 'r1' }, payload: { entityType: 'ledger', key: 'dl' } });
    expect([replayA.statusCode, replayB.statusCode, replayKeyed1.statusCode, replayKeyed2.statusCode], replayKeyed1.body).toEqual([202, 202, 202, 202]);
    expect(replayKeyed2.json().duplicate).toBe(true);

    const discard1 = await app.inject({ method: 'POST', url: `${url}/discard`, headers: auth });
    const discard2 = await app.inject({ method: 'POST', url: `${url}/discard`, headers: auth });
    const replayAfter = await app.inject({ method: 'POST', url: `${url}/replay`, headers: auth });
    expect([discard1.statusCode, discard2.statusCode, replayAfter.statusCode]).toEqual([200, 404, 404]);
  });
});
