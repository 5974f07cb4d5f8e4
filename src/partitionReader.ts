import { setTimeout as sleep } from 'node:timers/promises';
import { nanos } from '@nats-io/transport-node';
import { AckPolicy, DeliverPolicy, type ConsumerMessages, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { StreamMessage } from './inboxMessage.ts';
import type { Logger } from './log.ts';
import { streamMessageFromJs } from './streamMessageFromJs.ts';

export interface PartitionReaderOptions {
  js: JetStreamClient;
  jsm: JetStreamManager;
  stream: string;
  /** A literal stored subject (or one `>` tail) selecting one partition. */
  filterSubject: string;
  partition: number;
  /** The last sequence already applied; reading resumes after it. */
  watermark: () => number;
  batchSize: number;
  /** Applies and commits a batch in stream order; a throw restarts reading from the watermark. */
  process: (messages: StreamMessage[]) => Promise<void>;
  log: Logger;
}

const RESTART_DELAY_MS = 500;

/**
 * Reads one partition of a stream in order and hands batches to `process`.
 * The consumer is ephemeral with no acknowledgements: the LMDB watermark, not
 * the server, records progress, so after any failure the reader starts a new
 * consumer at the watermark. Messages arriving while a batch commits are
 * gathered into the next batch (group commit).
 */
export class PartitionReader {
  readonly #options: PartitionReaderOptions;
  #running = false;
  #messages: ConsumerMessages | undefined;
  #loop: Promise<void> | undefined;
  #buffer: StreamMessage[] = [];
  #flushing: Promise<void> | undefined;
  #lastHandedSeq = 0;
  #failure: unknown;

  constructor(options: PartitionReaderOptions) {
    this.#options = options;
  }

  get partition(): number {
    return this.#options.partition;
  }

  start(): void {
    this.#running = true;
    this.#loop = this.#run();
  }

  /** Stops reading and waits until the batch being committed (if any) is done. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#messages?.stop();
    await this.#loop;
  }

  async #run(): Promise<void> {
    while (this.#running) {
      try {
        await this.#readFromWatermark();
      } catch (error) {
        if (!this.#running) break;
        this.#options.log.error({ err: error, partition: this.#options.partition, stream: this.#options.stream }, 'partition reader failed, restarting from watermark');
        await sleep(RESTART_DELAY_MS);
      }
    }
  }

  async #readFromWatermark(): Promise<void> {
    const { js, jsm, stream, filterSubject, batchSize } = this.#options;
    this.#buffer = [];
    this.#failure = undefined;
    this.#lastHandedSeq = this.#options.watermark();

    const info = await jsm.consumers.add(stream, {
      filter_subject: filterSubject,
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: this.#lastHandedSeq + 1,
      ack_policy: AckPolicy.None,
      mem_storage: true,
      num_replicas: 1,
      inactive_threshold: nanos(60_000),
    });
    const consumer = await js.consumers.get(stream, info.name);
    const messages = await consumer.consume({ max_messages: batchSize * 2, abort_on_missing_resource: true });
    this.#messages = messages;
    // stop() may have run while the consumer was being created, before there was anything to stop.
    if (!this.#running) messages.stop();

    try {
      for await (const message of messages) {
        if (!this.#running) break;
        this.#buffer.push(streamMessageFromJs(stream, message));
        this.#scheduleFlush();
        if (this.#buffer.length >= batchSize * 4) await this.#flushing;
        if (this.#failure) throw this.#failure;
      }
    } finally {
      messages.stop();
      await this.#flushing;
      await jsm.consumers.delete(stream, info.name).catch(() => undefined);
    }
    if (this.#failure) throw this.#failure;
    if (this.#running) throw new Error(`consumer ${info.name} on ${stream} ended unexpectedly`);
  }

  #scheduleFlush(): void {
    if (this.#flushing) return;
    // Waiting one macrotask lets the client hand over every message it already has, so they share one commit.
    this.#flushing = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.#flushAll())
      .catch((error) => {
        this.#failure = error;
        this.#messages?.stop();
      })
      .finally(() => {
        this.#flushing = undefined;
      });
  }

  async #flushAll(): Promise<void> {
    while (this.#buffer.length > 0 && !this.#failure) {
      const batch = this.#buffer.splice(0, this.#options.batchSize).filter((message) => message.seq > this.#lastHandedSeq);
      if (batch.length === 0) continue;

      await this.#options.process(batch);
      this.#lastHandedSeq = batch[batch.length - 1]!.seq;
    }
  }
}
