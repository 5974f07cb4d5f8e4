// Benchmark: Ordo's apply rate against a raw JetStream read of the same messages
// with the same consumer shape, measured in one run on one server.
// Usage: npm run bench -- [--messages 1000000] [--entities 100000] [--series latest|2.10] [--sync always|default]
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { resolveConfig } from '../src/config.ts';
import { findNatsServer, type NatsServerSeries } from '../src/natsBinary.ts';
import { launchNatsServer } from '../src/natsLauncher.ts';
import { OrdoNode } from '../src/ordoNode.ts';
import { ensureStreams } from '../src/streams.ts';
import { makeTempDir, removeTempDir } from '../test/support/tempDir.ts';
import { readBaseline } from './baselineRead.ts';
import { counterDefinition } from './benchMachine.ts';
import { formatMiB, formatRate, quantile, trackPeakMemory } from './benchStats.ts';
import { publishWorkload } from './benchWorkload.ts';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '1000000' },
    entities: { type: 'string', default: '100000' },
    series: { type: 'string', default: 'latest' },
    sync: { type: 'string', default: 'always' },
    partitions: { type: 'string', default: '64' },
    batch: { type: 'string', default: '256' },
    'latency-messages': { type: 'string', default: '20000' },
    'latency-rate': { type: 'string', default: '2000' },
  },
});

const messages = Number(values.messages);
const entities = Number(values.entities);
const partitions = Number(values.partitions);
const batchSize = Number(values.batch);
const workDir = await makeTempDir('ordo-bench-');

try {
  const binary = await findNatsServer({ series: values.series as NatsServerSeries });
  const server = await launchNatsServer({
    binary: binary.path,
    configFile: values.sync === 'always' ? 'nats.conf' : undefined,
    storeDir: join(workDir, 'nats'),
  });
  const nc = await connect({ servers: server.url });
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  await ensureStreams(jsm, { partitions, replicas: 1, duplicateWindowMs: 120_000, maxPayload: nc.info!.max_payload });
  log(`nats-server ${binary.version}, sync ${values.sync}, ${messages.toLocaleString('en-US')} messages over ${entities.toLocaleString('en-US')} entities, ${partitions} partitions`);

  const publishSeconds = await publishWorkload(js, { messages, entities, runId: 'bench' });
  log(`publish: ${formatRate(messages / publishSeconds)}`);

  const baselineSeconds = await readBaseline(js, jsm, { partitions, expected: messages, batchSize });
  const baselineRate = messages / baselineSeconds;
  log(`raw JetStream read (same consumer shape, no processing): ${formatRate(baselineRate)}`);

  const config = resolveConfig({ natsUrl: server.url, dataDir: join(workDir, 'node'), nodeId: 'bench', partitions, batchSize });
  const memory = trackPeakMemory();
  const startedAt = performance.now();
  const node = await OrdoNode.start({ config, entities: [counterDefinition] });
  await node.waitForIdle({ timeoutMs: 3_600_000 });
  const applySeconds = (performance.now() - startedAt) / 1000;
  const applyRate = messages / applySeconds;
  const peak = memory.stop();
  log(`ordo apply (decode, transition, LMDB commit): ${formatRate(applyRate)}, peak RSS ${formatMiB(peak.rss)}, peak heap ${formatMiB(peak.heapUsed)}`);

  const latencies = await measureLatency(node, js, Number(values['latency-messages']), Number(values['latency-rate']), entities);
  await node.stop();
  await nc.close();
  await server.stop();

  process.stdout.write(
    [
      '',
      `| nats-server | sync | messages | entities | raw read | ordo apply | ratio | p50 publish-to-commit | p99 | peak RSS | peak heap |`,
      `| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |`,
      `| ${binary.version} | ${values.sync} | ${messages} | ${entities} | ${formatRate(baselineRate)} | ${formatRate(applyRate)} | ${(applyRate / baselineRate).toFixed(2)} | ${quantile(latencies, 0.5).toFixed(1)} ms | ${quantile(latencies, 0.99).toFixed(1)} ms | ${formatMiB(peak.rss)} | ${formatMiB(peak.heapUsed)} |`,
      '',
    ].join('\n'),
  );
} finally {
  await removeTempDir(workDir);
}

/** Publishes at a steady rate to a caught-up node and collects publish-to-commit latencies. */
async function measureLatency(node: OrdoNode, js: ReturnType<typeof jetstream>, count: number, ratePerSecond: number, entityCount: number): Promise<number[]> {
  const latencies: number[] = [];
  const listener = (event: { latenciesMs: number[] }) => latencies.push(...event.latenciesMs);
  node.events.on('batchCommitted', listener);

  const perTick = Math.max(1, Math.round(ratePerSecond / 100));
  for (let sent = 0; sent < count; sent += perTick) {
    await publishWorkload(js, { messages: Math.min(perTick, count - sent), entities: entityCount, runId: `latency-${sent}` });
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await node.waitForIdle({ timeoutMs: 600_000 });
  node.events.off('batchCommitted', listener);
  return latencies;
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}
