import type { JetStreamClient } from '@nats-io/jetstream';
import { buildCrmChanges, type CrmChangeSet } from './buildCrmChanges.ts';
import type { CrmSample } from './crmSample.ts';
import { toCrmMessage, type ReplaySource } from './crmMessage.ts';
import { publishCrmMessages, type ScheduledMessage } from './publishCrmMessages.ts';
import { ReplayProgress, type ProgressStream } from './replayProgress.ts';
import { historicalTimeline, speedUpTimeline } from './replayTimeline.ts';

export interface ReplayOptions {
  js: JetStreamClient;
  sample: CrmSample;
  /** CRM wire format. Default `generic`. */
  source?: ReplaySource;
  /** First `limit` opportunities of the pipeline, with the accounts they name. Default: all. */
  limit?: number;
  /** Maximum CRM events per second. Default: unlimited. */
  ratePerSecond?: number;
  /** Replays the data's history this many times faster than it happened; see `speedUpTimeline`. Default: no pacing, historical dates. */
  speedUp?: number;
  /** Publishes awaiting their ack at once. Default 256. */
  window?: number;
  /** Output stream for progress. Default: none. */
  progress?: ProgressStream;
}

export interface ReplayResult {
  changes: CrmChangeSet;
  published: number;
  /** Events JetStream dropped as repeats within its duplicate window. */
  duplicates: number;
  elapsedMs: number;
  /** Wall-clock time each opportunity's closing event was published, by opportunity id; repeats JetStream dropped are left out. */
  closedPublishedAtMs: Map<string, number>;
}

/** Publishes the sample as CRM events in time order; see `buildCrmChanges` for what is sent. */
export async function replayCrmSample(options: ReplayOptions): Promise<ReplayResult> {
  const changes = buildCrmChanges(options.sample, { limit: options.limit });
  const source = options.source ?? 'generic';
  const timeline = options.speedUp === undefined
    ? historicalTimeline()
    : speedUpTimeline({ speedUp: options.speedUp, dataStartMs: changes.dataStartMs, wallStartMs: Date.now() });

  const scheduled: ScheduledMessage[] = changes.changes.map((change) => {
    const time = timeline(change.dataTimeMs);
    return { message: toCrmMessage(change, source, time.occurredAtMs), publishAtMs: time.publishAtMs };
  });

  const closedEventIds = new Set(changes.changes.filter((change) => change.kind === 'opportunityClosed').map((change) => change.eventId));
  const closedPublishedAtMs = new Map<string, number>();
  const progress = options.progress === undefined ? undefined : new ReplayProgress({ stream: options.progress, total: scheduled.length });

  const result = await publishCrmMessages(options.js, scheduled, {
    window: options.window,
    ratePerSecond: options.ratePerSecond,
    onProgress: (done) => progress?.update(done),
    onAcknowledged: (message, ack) => {
      if (!ack.duplicate && closedEventIds.has(message.msgId)) closedPublishedAtMs.set(message.objectId, ack.publishedAtMs);
    },
  });
  progress?.finish(result.published);

  return { changes, published: result.published, duplicates: result.duplicates, elapsedMs: result.elapsedMs, closedPublishedAtMs };
}
