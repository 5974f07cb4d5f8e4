import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { partitionOf, partitionOfToken } from '../src/partition.ts';
import { Publisher } from '../src/publisher.ts';
import { recordPartitionCount } from '../src/partitionCountRecord.ts';
import { ensureStreams } from '../src/streams.ts';
import { STREAM, crmPublishSubject } from '../src/subjects.ts';
import { isOrdoError } from '../src/errors.ts';
import { hasNatsServer, startNatsServer, type TestNatsServer } from './support/natsServer.ts';

const PARTITIONS = 16;

for (const series of ['latest', '2.10'] as const) {
  describe.runIf(await hasNatsServer(series))(`partitioning on nats-server ${series}`, () => {
    let server: TestNatsServer;
    let nc: NatsConnection;

    beforeAll(async () => {
      server = await startNatsServer({ series });
      nc = await connect({ servers: server.url });
      await ensureStreams(await jetstreamManager(nc), { partitions: PARTITIONS, replicas: 1, duplicateWindowMs: 60_000, maxPayload: nc.info!.max_payload });
    });

    afterAll(async () => {
      await nc?.close();
      await server?.stop();
    });

    it('files inbox messages where partitionOf says, under subjects without keys', async () => {
      const publisher = new Publisher(jetstream(nc));
      const jsm = await jetstreamManager(nc);
      const keys = ['a', 'a.b', 'x y', '*>', 'ünï/ç', '0061x00000AbCdE', ...Array.from({ length: 100 }, (_, i) => `key-${i}`)];
      for (const key of keys) {
        const ack = await publisher.sendToEntity({ entityType: 'order', key, event: { type: 'noop' }, msgId: `p-${key}` });
        const stored = await jsm.streams.getMessage(STREAM.inbox, { seq: ack.seq });
        expect(stored!.subject, key).toBe(`ordo.inp.${partitionOf('order', key, PARTITIONS)}`);
      }
    });

    it('files CRM messages by object id, keeping source and object', async () => {
      const js = jetstream(nc);
      const jsm = await jetstreamManager(nc);
      for (const id of ['006A', '0011x000003DGb2AAG', 'deal.7', '12345']) {
        const subject = crmPublishSubject('salesforce', 'opportunity', id);
        const ack = await js.publish(subject, '{}', { msgID: `crm-${id}` });
        const stored = await jsm.streams.getMessage(STREAM.crm, { seq: ack.seq });
        expect(stored!.subject).toBe(`ordo.crmp.${partitionOfToken(subject.split('.')[3]!, PARTITIONS)}.salesforce.opportunity`);
      }
    });

    it('updates existing streams idempotently', async () => {
      const jsm = await jetstreamManager(nc);
      await ensureStreams(jsm, { partitions: PARTITIONS, replicas: 1, duplicateWindowMs: 60_000, maxPayload: nc.info!.max_payload });
      const names = [];
      for await (const info of jsm.streams.list()) names.push(info.config.name);
      expect(names.sort()).toEqual([STREAM.crm, STREAM.deadLetters, STREAM.events, STREAM.inbox].sort());
    });

    it('rejects a node started with another partition count', async () => {
      await recordPartitionCount(nc, PARTITIONS, 1);
      await recordPartitionCount(nc, PARTITIONS, 1);
      const attempt = recordPartitionCount(nc, 32, 1);
      await expect(attempt).rejects.toThrow(/started with 32 partitions but JetStream records 16/);
      await attempt.catch((error) => expect(isOrdoError(error, 'ERR_PARTITION_COUNT_MISMATCH')).toBe(true));
    });
  });
}
