import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { OrdoNode } from '../ordoNode.ts';
import type { ReplaySource } from '../replay/crmMessage.ts';
import type { CrmSample } from '../replay/crmSample.ts';
import type { ProgressStream } from '../replay/replayProgress.ts';
import { replayCrmSample, type ReplayResult } from '../replay/replayCrmSample.ts';
import type { HistoryOutcome } from '../store/records.ts';
import { compareRuns, type RunComparison } from './compareRuns.ts';
import { takeEntityCensus, type EntityCensus } from './entityCensus.ts';
import { fetchErpListings, type ErpListings } from './erpListings.ts';
import { orderLatency, type OrderLatency } from './orderLatency.ts';
import { reconcileDemo, type Reconciliation } from './reconcileDemo.ts';
import { wonDealsFromSample } from './wonDealsFromSample.ts';

export interface DemoPipelineOptions {
  node: OrdoNode;
  natsUrl: string;
  erpUrl: string;
  sample: CrmSample;
  source?: ReplaySource;
  limit?: number;
  progress?: ProgressStream;
  /** How long to wait for the node to finish the replayed work. Default 10 minutes. */
  idleTimeoutMs?: number;
}

export interface DemoThroughput {
  crmEvents: number;
  /** CRM events JetStream dropped because their id was in the duplicate window. */
  crmDuplicatesDropped: number;
  inboxMessagesApplied: number;
  /** Inbox messages by history outcome: `applied`, `ignored` (stale or no-op), `duplicate`, ... */
  outcomes: Record<HistoryOutcome, number>;
  publishMs: number;
  /** From the first publish until the node was idle. */
  elapsedMs: number;
}

export interface DemoReport {
  census: EntityCensus;
  reconciliation: Reconciliation;
  latency: OrderLatency;
  comparison: RunComparison;
  throughput: DemoThroughput;
  erp: ErpListings;
  replay: ReplayResult;
}

const DEFAULT_IDLE_TIMEOUT_MS = 10 * 60_000;

/**
 * Replays the sample into a running quote-to-cash node, waits until every partition is
 * idle and the outbox is empty, and builds the report: entities by state, exceptions,
 * reconciliation against the ERP, latency, throughput and what this run changed.
 */
export async function runDemoPipeline(options: DemoPipelineOptions): Promise<DemoReport> {
  const { node } = options;
  const before = { fingerprints: takeEntityCensus(node.store).fingerprints, erp: await fetchErpListings(options.erpUrl) };
  const counter = countAppliedMessages(node);

  const startedAt = performance.now();
  const replay = await replayWithConnection(options);
  await node.waitForIdle({ timeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS });
  const elapsedMs = performance.now() - startedAt;
  counter.stop();

  const census = takeEntityCensus(node.store);
  const erp = await fetchErpListings(options.erpUrl);
  const replayedKeys = new Set(replay.changes.changes.filter((change) => change.kind !== 'account').map((change) => change.objectId));

  return {
    census,
    reconciliation: reconcileDemo({ won: wonDealsFromSample(options.sample, options.limit), replayedKeys, erp, orders: census.orders }),
    latency: orderLatency(census.orders.values(), replay.closedPublishedAtMs),
    comparison: compareRuns(before, { fingerprints: census.fingerprints, erp }),
    throughput: {
      crmEvents: replay.published,
      crmDuplicatesDropped: replay.duplicates,
      inboxMessagesApplied: counter.messages,
      outcomes: counter.outcomes,
      publishMs: replay.elapsedMs,
      elapsedMs,
    },
    erp,
    replay,
  };
}

// A separate connection, as a CRM bridge would use.
async function replayWithConnection(options: DemoPipelineOptions): Promise<ReplayResult> {
  const nc = await connect({ servers: options.natsUrl, name: 'ordo-demo-replay' });
  try {
    return await replayCrmSample({ js: jetstream(nc), sample: options.sample, source: options.source, limit: options.limit, progress: options.progress });
  } finally {
    await nc.drain();
  }
}

function countAppliedMessages(node: OrdoNode) {
  const outcomes: Record<HistoryOutcome, number> = { applied: 0, ignored: 0, duplicate: 0, staleTimer: 0, deadLettered: 0 };
  const counter = { messages: 0, outcomes, stop: () => {} };
  const onBatch = ({ messages }: { messages: number }) => {
    counter.messages += messages;
  };
  const onRow = ({ row }: { row: { outcome: HistoryOutcome } }) => {
    outcomes[row.outcome] += 1;
  };
  node.events.on('batchCommitted', onBatch);
  node.events.on('entityTransitioned', onRow);
  counter.stop = () => {
    node.events.off('batchCommitted', onBatch);
    node.events.off('entityTransitioned', onRow);
  };
  return counter;
}
