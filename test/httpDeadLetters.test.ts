import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import type { FastifyInstance } from 'fastify';
import { buildHttpApp } from '../src/http/startHttpServer.ts';
import { Publisher } from '../src/publisher.ts';
import { encodeKeyToken } from '../src/keys.ts';
import { startNatsServer, type TestNatsServer } from './support/natsServer.ts';
import { startTestNode, type TestNodeHandle } from './support/testNode.ts';

interface Summary {
  seq: number;
  origin: string;
  code: string | null;
  entity: { type: string; key: string | null } | null;
  original: { subject: string | null; msgId: string | null };
  replayOf: number | null;
  audit: { discardedSeq: number; discardedBy: string; reason: string | null } | null;
}

describe('dead letter routes', () => {
  let server: TestNatsServer;
  let handle: TestNodeHandle;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let app: FastifyInstance;

  beforeAll(async () => {
    server = await startNatsServer();
    handle = await startTestNode(server.url, {
      node: {
        crmMapper: () => {
          throw new Error('this test mapper maps nothing');
        },
      },
    });
    nc = await connect({ servers: server.url });
    js = jetstream(nc);
    app = await buildHttpApp(handle.node);
  });

  afterAll(async () => {
    await app?.close();
    await nc?.close();
    await handle?.dispose();
    await server?.stop();
  });

  const listAll = async (query = ''): Promise<Summary[]> => (await app.inject({ url: `/v1/dead-letters?limit=500${query}` })).json().items;
  const newest = async (): Promise<Summary> => (await listAll()).at(-1)!;
  // Without a payload the request has no body at all, as `curl -X POST` sends it.
  const replay = (seq: number, payload?: Record<string, unknown>) => app.inject({ method: 'POST', url: `/v1/dead-letters/${seq}/replay`, payload });

  it('lists and shows an invalid command with its original bytes', async () => {
    await new Publisher(js).sendToEntity({ entityType: 'ledger', key: 'dl 1/ü', event: { type: 'append', value: 'seven' }, msgId: 'bad-append-1' });
    await handle.node.waitForIdle();

    const letter = await newest();
    expect(letter.origin).toBe('inbox');
    expect(letter.code).toBe('ERR_MESSAGE_INVALID');
    expect(letter.entity).toMatchObject({ type: 'ledger', key: 'dl 1/ü' });
    expect(letter.original.msgId).toBe('bad-append-1');
    expect(letter.replayOf).toBeNull();

    const detail = (await app.inject({ url: `/v1/dead-letters/${letter.seq}` })).json();
    const body = JSON.parse(Buffer.from(detail.payloadBase64, 'base64').toString('utf8'));
    expect(body).toEqual({ entityType: 'ledger', key: 'dl 1/ü', event: { type: 'append', value: 'seven' } });
    expect(detail.payloadPreview).toContain('"seven"');
    expect(detail.originalHeaders['Nats-Msg-Id']).toBe('bad-append-1');
    expect(detail.message).toContain('append.value must be a number');
  });

  it('links a replay that fails again to the first letter', async () => {
    const first = await newest();

    const accepted = await replay(first.seq);
    expect(accepted.statusCode).toBe(202);
    expect(accepted.json().msgId).toMatch(new RegExp(`^replay:${first.seq}:`));
    expect(accepted.json().subject).toBe(`ordo.in.ledger.${encodeKeyToken('dl 1/ü')}`);
    await handle.node.waitForIdle();

    const second = await newest();
    expect(second.seq).toBeGreaterThan(first.seq);
    expect(second.replayOf).toBe(first.seq);
    expect(second.code).toBe('ERR_MESSAGE_INVALID');
    expect(second.original.msgId).toBe(accepted.json().msgId);

    expect((await replay(second.seq)).statusCode).toBe(202);
    await handle.node.waitForIdle();
    const third = await newest();
    expect(third.replayOf).toBe(second.seq);
  });

  it('needs the entity for a letter that does not name one', async () => {
    await js.publish('ordo.in.ledger.raw1', new TextEncoder().encode('not json'), { msgID: 'raw-1' });
    await handle.node.waitForIdle();
    const letter = await newest();
    expect(letter.code).toBe('ERR_MESSAGE_UNDECODABLE');
    expect(letter.entity).toBeNull();

    const rejected = await replay(letter.seq);
    expect(rejected.statusCode).toBe(400);
    expect(rejected.json().error.code).toBe('ERR_BAD_REQUEST');

    const accepted = await replay(letter.seq, { entityType: 'ledger', key: 'raw1' });
    expect(accepted.statusCode).toBe(202);
    await handle.node.waitForIdle();
    const again = await newest();
    expect(again.replayOf).toBe(letter.seq);
    expect(again.entity).toMatchObject({ type: 'ledger', key: 'raw1' });
  });

  it('replays a CRM letter to its CRM subject', async () => {
    const headers = natsHeaders();
    headers.set('Ordo-Object-Id', encodeKeyToken('001A'));
    await js.publish('crm.generic.account.001A', new TextEncoder().encode('{"id":"001A"}'), { msgID: 'crm-evt-1', headers });
    await handle.node.waitForIdle();
    const letter = await newest();
    expect(letter.origin).toBe('crm');
    expect(letter.code).toBe('ERR_CRM_MAPPING_FAILED');

    const accepted = await replay(letter.seq);
    expect(accepted.statusCode).toBe(202);
    expect(accepted.json().subject).toBe('crm.generic.account.001A');
    await handle.node.waitForIdle();
    const again = await newest();
    expect(again.origin).toBe('crm');
    expect(again.replayOf).toBe(letter.seq);
  });

  it('returns 404 for a missing letter', async () => {
    const response = await app.inject({ url: '/v1/dead-letters/99999' });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('ERR_DEAD_LETTER_NOT_FOUND');
  });

  it('discards a letter and keeps an audit record', async () => {
    const letter = (await listAll())[0]!;
    const response = await app.inject({
      method: 'POST',
      url: `/v1/dead-letters/${letter.seq}/discard`,
      headers: { 'x-ordo-sender': 'bob' },
      payload: { reason: 'fixed in the CRM' },
    });
    expect(response.statusCode).toBe(200);
    const { auditSeq } = response.json();

    expect((await app.inject({ url: `/v1/dead-letters/${letter.seq}` })).statusCode).toBe(404);
    expect((await listAll()).map((item) => item.seq)).not.toContain(letter.seq);
    expect((await listAll()).map((item) => item.seq)).not.toContain(auditSeq);

    const audit = (await listAll('&include=audit')).find((item) => item.seq === auditSeq)!;
    expect(audit.origin).toBe('audit');
    expect(audit.audit).toMatchObject({ discardedSeq: letter.seq, discardedBy: 'bob', reason: 'fixed in the CRM' });
    expect(audit.entity).toEqual(letter.entity);

    const again = await app.inject({ method: 'POST', url: `/v1/dead-letters/${auditSeq}/discard`, payload: {} });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('ERR_DEAD_LETTER_IS_AUDIT');
  });

  it('pages the listing with a cursor', async () => {
    const all = await listAll();
    const first = (await app.inject({ url: '/v1/dead-letters?limit=2' })).json();
    expect(first.items.map((item: Summary) => item.seq)).toEqual(all.slice(0, 2).map((item) => item.seq));
    const second = (await app.inject({ url: `/v1/dead-letters?limit=2&cursor=${first.nextCursor}` })).json();
    expect(second.items.map((item: Summary) => item.seq)).toEqual(all.slice(2, 4).map((item) => item.seq));
  });
});
