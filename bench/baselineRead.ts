import { nanos } from '@nats-io/transport-node';
import { AckPolicy, DeliverPolicy, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { STREAM, inboxStoredSubject } from '../src/subjects.ts';

/**
 * Reads the inbox back with the same consumer shape the node uses (one
 * ephemeral, unacknowledged pull consumer per partition, all partitions at
 * once) and does nothing with the messages: the ceiling for Ordo's apply rate.
 */
export async function readBaseline(js: JetStreamClient, jsm: JetStreamManager, options: { partitions: number; expected: number; batchSize: number }): Promise<number> {
  const startedAt = performance.now();
  let received = 0;

  await Promise.all(
    Array.from({ length: options.partitions }, async (_, partition) => {
      const subject = inboxStoredSubject(partition);
      const last = await jsm.streams.getMessage(STREAM.inbox, { last_by_subj: subject }).catch(() => null);
      if (!last) return;

      const info = await jsm.consumers.add(STREAM.inbox, {
        filter_subject: subject,
        deliver_policy: DeliverPolicy.All,
        ack_policy: AckPolicy.None,
        mem_storage: true,
        inactive_threshold: nanos(60_000),
      });
      const consumer = await js.consumers.get(STREAM.inbox, info.name);
      const messages = await consumer.consume({ max_messages: options.batchSize * 2 });
      for await (const message of messages) {
        received++;
        if (message.seq >= last.seq) break;
      }
      await jsm.consumers.delete(STREAM.inbox, info.name).catch(() => undefined);
    }),
  );

  if (received < options.expected) throw new Error(`baseline read ${received} of ${options.expected} messages`);
  return (performance.now() - startedAt) / 1000;
}
