// Compares the consumer shapes a node could use to read the partitions it owns, on one
// server and one stream, reading without processing. The node uses the first shape.
// Usage: node --import tsx bench/consumerShapes.ts [--messages 200000] [--series latest|2.10] [--limit-seconds 60]
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { connect, nanos } from '@nats-io/transport-node';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type ConsumerConfig, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { findNatsServer, type NatsServerSeries } from '../src/natsBinary.ts';
import { launchNatsServer } from '../src/natsLauncher.ts';
import { ensureStreams } from '../src/streams.ts';
import { STREAM, inboxStoredSubject } from '../src/subjects.ts';
import { makeTempDir, removeTempDir } from '../test/support/tempDir.ts';
import { formatRate } from './benchStats.ts';
import { publishWorkload } from './benchWorkload.ts';

const PARTITIONS = 64;
const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '200000' },
    entities: { type: 'string', default: '20000' },
    series: { type: 'string', default: 'latest' },
    'limit-seconds': { type: 'string', default: '60' },
  },
});
const messages = Number(values.messages);
const limitMs = Number(values['limit-seconds']) * 1000;
const workDir = await makeTempDir('ordo-shapes-');

try {
  const binary = await findNatsServer({ series: values.series as NatsServerSeries });
  const server = await launchNatsServer({ binary: binary.path, storeDir: join(workDir, 'nats') });
  const nc = await connect({ servers: server.url });
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  await ensureStreams(jsm, { partitions: PARTITIONS, replicas: 1, duplicateWindowMs: 120_000, maxPayload: nc.info!.max_payload });
  await publishWorkload(js, { messages, entities: Number(values.entities), runId: 'shapes' });

  const quarter = Array.from({ length: PARTITIONS / 4 }, (_, i) => inboxStoredSubject(i * 4));
  const all = Array.from({ length: PARTITIONS }, (_, i) => inboxStoredSubject(i));
  const shapes: Array<[string, Array<Partial<ConsumerConfig>>]> = [
    ['one literal-filter consumer per partition, all 64 (Ordo)', all.map((subject) => ({ filter_subject: subject }))],
    ['one literal-filter consumer per partition, 16 of 64', quarter.map((subject) => ({ filter_subject: subject }))],
    ['one consumer with 16 of 64 filters', [{ filter_subjects: quarter }]],
    ['one consumer with all 64 filters', [{ filter_subjects: all }]],
  ];

  process.stdout.write(`\nnats-server ${binary.version}, ${messages.toLocaleString('en-US')} messages over ${PARTITIONS} partitions\n\n| consumer shape | read rate |\n| --- | --- |\n`);
  const stored = (await jsm.streams.info(STREAM.inbox, { subjects_filter: 'ordo.inp.>' })).state.subjects ?? {};
  for (const [name, configs] of shapes) {
    const subjects = configs.flatMap((config) => config.filter_subjects ?? [config.filter_subject!]);
    const expected = subjects.reduce((sum, subject) => sum + (stored[subject] ?? 0), 0);
    const result = await timeRead(js, jsm, configs, expected);
    process.stdout.write(`| ${name} | ${result} |\n`);
  }

  await nc.close();
  await server.stop();
} finally {
  await removeTempDir(workDir);
}

/** Reads with the given consumers until about `expected` messages arrived or the time limit passed. */
async function timeRead(js: JetStreamClient, jsm: JetStreamManager, configs: Array<Partial<ConsumerConfig>>, expected: number): Promise<string> {
  const startedAt = performance.now();
  let received = 0;
  const stops: Array<() => void> = [];
  const names: string[] = [];

  const reads = configs.map(async (config) => {
    const info = await jsm.consumers.add(STREAM.inbox, { ...config, deliver_policy: DeliverPolicy.All, ack_policy: AckPolicy.None, mem_storage: true, inactive_threshold: nanos(60_000) });
    names.push(info.name);
    const consumer = await js.consumers.get(STREAM.inbox, info.name);
    const iterator = await consumer.consume({ max_messages: 512 });
    stops.push(() => iterator.stop());
    for await (const _ of iterator) {
      received++;
      if (received >= expected) {
        // Every consumer is done once the total has arrived; idle ones would wait forever.
        for (const stop of stops) stop();
        break;
      }
    }
  });

  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), limitMs));
  const outcome = await Promise.race([Promise.all(reads).then(() => 'done' as const), timeout]);
  for (const stop of stops) stop();
  for (const name of names) await jsm.consumers.delete(STREAM.inbox, name).catch(() => undefined);

  const seconds = (performance.now() - startedAt) / 1000;
  return outcome === 'timeout' ? `${received.toLocaleString('en-US')} of ${expected.toLocaleString('en-US')} in ${limitMs / 1000} s (did not finish)` : formatRate(received / seconds);
}
