import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { pack } from 'msgpackr';
import { encodeKeyToken } from '../../src/keys.ts';
import { partitionOf } from '../../src/partition.ts';
import { startNatsServer, type TestNatsServer } from '../support/natsServer.ts';
import { startTestNode, type TestNodeHandle } from '../support/testNode.ts';
import { contextOf, publishRaw, readDeadLetters } from './rawInbox.ts';

type Ledger = { values: number[]; lastSeq: number };

describe('adversarial inbox input', () => {
  let server: TestNatsServer;
  let handle: TestNodeHandle;
  let nc: NatsConnection;
  let counter = 0;
  const id = () => `adv-${++counter}`;

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

  async function letterFor(msgId: string) {
    await handle.node.waitForIdle();
    return (await readDeadLetters(handle.node)).find((letter) => letter.originalMsgId === msgId);
  }

  it('body key disagreeing with the key header', async () => {
    const subjectKey = 'subject-key';
    const target = partitionOf('ledger', subjectKey, 8);
    let bodyKey = '';
    for (let i = 0; ; i++) {
      if (partitionOf('ledger', `body-key-${i}`, 8) === target) { bodyKey = `body-key-${i}`; break; }
    }
    const msgId = id();
    await publishRaw(nc, `ordo.in.ledger.${subjectKey}`, { entityType: 'ledger', key: bodyKey, event: { type: 'append', value: 1 } }, { 'Nats-Msg-Id': msgId, 'Ordo-Entity-Key': subjectKey });
    const letter = await letterFor(msgId);

    // The stored subject drops the key, so only the header can show that it names another
    // entity in the same partition; without the header such a message is applied to the body's entity.
    expect(handle.node.store.getEntity('ledger', bodyKey)).toBeUndefined();
    expect(letter?.code).toBe('ERR_MESSAGE_INVALID');
  });

  it('msgpack content type with parameters', async () => {
    await publishRaw(nc, 'ordo.in.ledger.mp', pack({ entityType: 'ledger', key: 'mp', event: { type: 'append', value: 7 } }), { 'Nats-Msg-Id': id(), 'Content-Type': 'application/msgpack; charset=x' });
    await handle.node.waitForIdle();
    expect(contextOf<Ledger>(handle.node, 'ledger', 'mp')?.values).toEqual([7]);
  });

  it('key of 256 multi-byte bytes applies, 257 is dead-lettered', async () => {
    const key256 = 'é'.repeat(128);
    const key257 = `a${'é'.repeat(128)}`;
    await publishRaw(nc, `ordo.in.ledger.${encodeKeyToken(key256)}`, { entityType: 'ledger', key: key256, event: { type: 'append', value: 1 } }, { 'Nats-Msg-Id': id() });
    const msgId = id();
    await publishRaw(nc, `ordo.in.ledger.a${encodeKeyToken('é'.repeat(128))}`, { entityType: 'ledger', key: key257, event: { type: 'append', value: 1 } }, { 'Nats-Msg-Id': msgId });
    const letter = await letterFor(msgId);
    expect(contextOf<Ledger>(handle.node, 'ledger', key256)?.values).toEqual([1]);
    expect(letter?.code).toBe('ERR_KEY_TOO_LONG');
  });

  it('key with tilde round-trips', async () => {
    const key = 'a~7E~b';
    await publishRaw(nc, `ordo.in.ledger.${encodeKeyToken(key)}`, { entityType: 'ledger', key, event: { type: 'append', value: 3 } }, { 'Nats-Msg-Id': id() });
    await handle.node.waitForIdle();
    expect(contextOf<Ledger>(handle.node, 'ledger', key)?.values).toEqual([3]);
  });

  it('subject with an empty token is refused', async () => {
    const outcome = await publishRaw(nc, 'ordo.in..x', { entityType: 'ledger', key: 'x', event: { type: 'append', value: 1 } }, { 'Nats-Msg-Id': id() }).then(
      (ack) => `stored at ${ack.seq}`,
      (error: Error) => `rejected: ${error.message}`,
    );
    expect(outcome).toMatch(/rejected/);
  });

  it('xstate event without the timer header is dead-lettered', async () => {
    const msgId = id();
    await publishRaw(nc, 'ordo.in.alarm.x1', { entityType: 'alarm', key: 'x1', event: { type: 'xstate.after.1000.alarm' } }, { 'Nats-Msg-Id': msgId });
    expect((await letterFor(msgId))?.code).toBe('ERR_MESSAGE_INVALID');
  });

  it.each([['@'], ['x@y'], ['ring'], ['ring@'], ['@1']])('malformed timer header %s changes nothing', async (header) => {
    const key = `t-${header}`;
    const subject = `ordo.in.alarm.${encodeKeyToken(key)}`;
    await publishRaw(nc, subject, { entityType: 'alarm', key, event: { type: 'arm', delayMs: 3_600_000 } }, { 'Nats-Msg-Id': id() });
    await publishRaw(nc, subject, { entityType: 'alarm', key, event: { type: 'ring' } }, { 'Nats-Msg-Id': id(), 'Ordo-Timer': header });
    await handle.node.waitForIdle();
    const record = handle.node.store.getEntity('alarm', key)!;
    expect(record.state).toBe('armed');
    expect(contextOf<{ rings: number }>(handle.node, 'alarm', key)?.rings).toBe(0);
  });

  it('forged timer header does not fire a timer early', async () => {
    const key = 'forged';
    const armAck = await publishRaw(nc, `ordo.in.alarm.${key}`, { entityType: 'alarm', key, event: { type: 'arm', delayMs: 3_600_000 } }, { 'Nats-Msg-Id': id() });
    await handle.node.waitForIdle();
    // The timer id is XState's delayed-event id ('ring'); its setSeq is the inbox sequence of the arm command.
    const [timer] = handle.node.store.timersOf('alarm', key);
    await publishRaw(nc, `ordo.in.alarm.${key}`, { entityType: 'alarm', key, event: { type: 'ring' } }, { 'Nats-Msg-Id': id(), 'Ordo-Timer': `${timer!.timerId}@${armAck.seq}` });
    await handle.node.waitForIdle();
    expect(contextOf<{ rings: number }>(handle.node, 'alarm', key)?.rings).toBe(0);
    expect(handle.node.store.getEntity('alarm', key)!.state).toBe('armed');
  });

  it('publisher meta is replaced by the host meta', async () => {
    const ack = await publishRaw(nc, 'ordo.in.ledger.meta', { entityType: 'ledger', key: 'meta', event: { type: 'append', value: 1, meta: { seq: 999_999, msgId: 'forged' } } }, { 'Nats-Msg-Id': id() });
    await handle.node.waitForIdle();
    expect(contextOf<Ledger>(handle.node, 'ledger', 'meta')?.lastSeq).toBe(ack.seq);
  });

  it('eventTime that is not ISO 8601 is dead-lettered', async () => {
    const msgId = id();
    // V8's Date.parse accepts "1" (the year 2001) and "March 7" among other non-ISO forms.
    await publishRaw(nc, 'ordo.in.ledger.nt', { entityType: 'ledger', key: 'nt', event: { type: 'append', value: 1 }, eventTime: '1' }, { 'Nats-Msg-Id': msgId });
    const letter = await letterFor(msgId);
    expect(handle.node.store.getEntity('ledger', 'nt')).toBeUndefined();
    expect(letter?.code).toBe('ERR_MESSAGE_INVALID');
  });

  it('eventTime at the end of the Date range with a timer', async () => {
    const key = 'far-future';
    const msgId = id();
    await publishRaw(nc, `ordo.in.alarm.${key}`, { entityType: 'alarm', key, event: { type: 'arm', delayMs: 1000 }, eventTime: '+275760-09-13T00:00:00.000Z' }, { 'Nats-Msg-Id': msgId });
    await handle.node.waitForIdle();
    // Either dead-lettered or stored with a timer whose due time can be shown.
    const record = handle.node.store.getEntity('alarm', key);
    const letter = (await readDeadLetters(handle.node)).find((candidate) => candidate.originalMsgId === msgId);
    expect(record === undefined ? letter?.code : 'stored').toBeDefined();
    if (record) {
      const timers = handle.node.store.timersOf('alarm', key);
      expect(() => timers.map((timer) => new Date(timer.dueMs).toISOString())).not.toThrow();
    }
  });

  it('eventTime far in the past fires the timer at once', async () => {
    const key = 'past';
    await publishRaw(nc, `ordo.in.alarm.${key}`, { entityType: 'alarm', key, event: { type: 'arm', delayMs: 1000 }, eventTime: '1970-01-01T00:00:00.000Z' }, { 'Nats-Msg-Id': id() });
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline && (contextOf<{ rings: number }>(handle.node, 'alarm', key)?.rings ?? 0) === 0) await new Promise((r) => setTimeout(r, 50));
    expect(contextOf<{ rings: number }>(handle.node, 'alarm', key)?.rings).toBe(1);
  });

  it('numeric key in JSON is dead-lettered', async () => {
    const msgId = id();
    await publishRaw(nc, 'ordo.in.ledger.123', { entityType: 'ledger', key: 123, event: { type: 'append', value: 1 } }, { 'Nats-Msg-Id': msgId });
    expect((await letterFor(msgId))?.code).toBe('ERR_KEY_INVALID');
    expect(handle.node.store.getEntity('ledger', '123')).toBeUndefined();
  });

  it('huge escaped header still reaches dead letters', async () => {
    // JetStream refuses headers over 64 KiB. Quotes double in size when the dead letter
    // stores the original headers as JSON, so 40 KiB of them fit the original but not the letter.
    const header = '"'.repeat(40 * 1024);
    const msgId = id();
    await publishRaw(nc, 'ordo.in.ledger.hugeheader', 'not json', { 'Nats-Msg-Id': msgId, 'X-Big': header });
    const deadline = Date.now() + 10_000;
    let letter;
    while (Date.now() < deadline && !(letter = (await readDeadLetters(handle.node)).find((candidate) => candidate.originalMsgId === msgId))) await new Promise((r) => setTimeout(r, 200));
    // A later bad message of the same partition, with no entity either, must still reach dead letters.
    const laterId = id();
    await publishRaw(nc, 'ordo.in.ledger.hugeheader', 'also not json', { 'Nats-Msg-Id': laterId });
    await new Promise((r) => setTimeout(r, 3_000));
    const later = (await readDeadLetters(handle.node)).find((candidate) => candidate.originalMsgId === laterId);
    expect.soft(letter?.code).toBe('ERR_MESSAGE_UNDECODABLE');
    expect.soft(later?.code).toBe('ERR_MESSAGE_UNDECODABLE');
    expect.soft(handle.node.store.outboxDepth()).toBe(0);
  });
});
