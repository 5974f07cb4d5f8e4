import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import { pack } from 'msgpackr';
import { HEADER, MSGPACK_CONTENT_TYPE } from '../src/headers.ts';
import { Publisher } from '../src/publisher.ts';
import { maxIngressMessageBytes } from '../src/streams.ts';
import { STREAM } from '../src/subjects.ts';
import { startNatsServer, type TestNatsServer } from './support/natsServer.ts';
import { startTestNode, type TestNodeHandle } from './support/testNode.ts';

const encoder = new TextEncoder();

interface BadCase {
  name: string;
  subject: string;
  data: Uint8Array;
  contentType?: string;
  code: string;
}

function envelope(entityType: string, key: string, event: Record<string, unknown>): Uint8Array {
  return encoder.encode(JSON.stringify({ entityType, key, event }));
}

describe('dead letters for bad input', () => {
  let server: TestNatsServer;
  let handle: TestNodeHandle;
  let nc: NatsConnection;
  let js: JetStreamClient;

  beforeAll(async () => {
    server = await startNatsServer();
    handle = await startTestNode(server.url);
    nc = await connect({ servers: server.url });
    js = jetstream(nc);
  });

  afterAll(async () => {
    await nc?.close();
    await handle?.dispose();
    await server?.stop();
  });

  it('sends each bad message to dead letters with its bytes while neighbours apply', async () => {
    const maxPayload = nc.info!.max_payload;
    const limit = maxIngressMessageBytes(maxPayload);
    const padding = 'x'.repeat(limit - 400);
    const cases: BadCase[] = [
      { name: 'invalid JSON', subject: 'ordo.in.ledger.bad-1', data: encoder.encode('{"entityType": "ledger",'), code: 'ERR_MESSAGE_UNDECODABLE' },
      { name: 'invalid MessagePack', subject: 'ordo.in.ledger.bad-2', data: new Uint8Array([0xc1, 0xc1, 0x00]), contentType: MSGPACK_CONTENT_TYPE, code: 'ERR_MESSAGE_UNDECODABLE' },
      { name: 'unknown entity type', subject: 'ordo.in.nope.bad-3', data: envelope('nope', 'bad-3', { type: 'append', value: 1 }), code: 'ERR_ENTITY_TYPE_UNKNOWN' },
      { name: 'empty key', subject: 'ordo.in.ledger.bad-4', data: envelope('ledger', '', { type: 'append', value: 1 }), code: 'ERR_KEY_EMPTY' },
      { name: 'schema-invalid payload', subject: 'ordo.in.ledger.bad-5', data: envelope('ledger', 'bad-5', { type: 'append', value: 'seven' }), code: 'ERR_MESSAGE_INVALID' },
      { name: 'payload at the size limit', subject: 'ordo.in.ledger.bad-6', data: envelope('ledger', 'bad-6', { type: 'append', value: padding }), code: 'ERR_MESSAGE_INVALID' },
      { name: 'machine that throws', subject: 'ordo.in.ledger.bad-7', data: envelope('ledger', 'bad-7', { type: 'boom' }), code: 'ERR_MACHINE_THREW' },
      { name: 'MessagePack envelope for another entity', subject: 'ordo.in.ledger.bad-8', data: pack({ entityType: 'ledger', key: 'someone-else', event: { type: 'append', value: 1 } }), contentType: MSGPACK_CONTENT_TYPE, code: 'ERR_MESSAGE_INVALID' },
    ];

    const publisher = new Publisher(js);
    for (const [index, badCase] of cases.entries()) {
      await publisher.sendToEntity({ entityType: 'ledger', key: 'neighbour', event: { type: 'append', value: index }, msgId: `ok-${index}` });
      const headers = natsHeaders();
      headers.set(HEADER.msgId, `bad-${index}`);
      if (badCase.contentType) headers.set(HEADER.contentType, badCase.contentType);
      await js.publish(badCase.subject, badCase.data, { headers, msgID: `bad-${index}` });
    }
    await publisher.sendToEntity({ entityType: 'ledger', key: 'neighbour', event: { type: 'append', value: 99 }, msgId: 'ok-last' });
    // A valid MessagePack command applies like JSON.
    const packed = natsHeaders();
    packed.set(HEADER.contentType, MSGPACK_CONTENT_TYPE);
    await js.publish('ordo.in.ledger.neighbour', pack({ entityType: 'ledger', key: 'neighbour', event: { type: 'append', value: 100 } }), { headers: packed, msgID: 'ok-msgpack' });
    await handle.node.waitForIdle();

    const neighbour = handle.node.store.getEntity('ledger', 'neighbour')!;
    expect((neighbour.snapshot as { context: { values: number[] } }).context.values).toEqual([...cases.keys(), 99, 100]);

    const letters = await readDeadLetters(nc);
    for (const [index, badCase] of cases.entries()) {
      const letter = letters.find((candidate) => candidate.headers[HEADER.originalHeaders]?.includes(`"bad-${index}"`));
      expect(letter, badCase.name).toBeDefined();
      expect(letter!.headers[HEADER.errorCode], badCase.name).toBe(badCase.code);
      expect(Buffer.from(letter!.data).equals(Buffer.from(badCase.data)), `${badCase.name} keeps its bytes`).toBe(true);
      expect(letter!.headers[HEADER.originalSubject], badCase.name).toMatch(/^ordo\.inp\.\d+$/);
    }
    expect(letters.length).toBe(cases.length);
  });

  it('rejects a publish larger than the inbox limit at the publisher', async () => {
    const limit = maxIngressMessageBytes(nc.info!.max_payload);
    const data = new Uint8Array(limit + 1);
    await expect(js.publish('ordo.in.ledger.too-big', data, { msgID: 'too-big' })).rejects.toThrow(/maximum message size|max.*size|message size exceeds/i);
  });

  it('creates no entity from a dead-lettered first command', () => {
    expect(handle.node.store.getEntity('ledger', 'bad-7')).toBeUndefined();
  });

  it('records a dead-lettered command in an existing entity history', async () => {
    const publisher = new Publisher(js);
    await publisher.sendToEntity({ entityType: 'ledger', key: 'existing', event: { type: 'append', value: 1 }, msgId: 'existing-1' });
    await publisher.sendToEntity({ entityType: 'ledger', key: 'existing', event: { type: 'boom' }, msgId: 'existing-2' });
    await handle.node.waitForIdle();

    const [latest, first] = handle.node.store.historyOf('ledger', 'existing', { limit: 10 });
    expect(first!.outcome).toBe('applied');
    expect(latest!.outcome).toBe('deadLettered');
    expect(latest!.notes[0]!.details!.code).toBe('ERR_MACHINE_THREW');
  });
});

async function readDeadLetters(nc: NatsConnection): Promise<Array<{ data: Uint8Array; headers: Record<string, string> }>> {
  const jsm = await jetstreamManager(nc);
  const info = await jsm.streams.info(STREAM.deadLetters);
  const letters = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    const message = await jsm.streams.getMessage(STREAM.deadLetters, { seq });
    const headers: Record<string, string> = {};
    for (const name of message!.header.keys()) headers[name] = message!.header.get(name);
    letters.push({ data: message!.data, headers });
  }
  return letters;
}
