import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { StaticOwnership, type PartitionOwnership } from '../cluster/partitionOwnership.ts';
import { systemClock, type Clock } from './clock.ts';
import type { OrdoConfig } from './config.ts';
import { processCrmBatch, type CrmMapper } from './crmIngress.ts';
import { DEAD_LETTER_ACTION, type DeadLetterParams } from './deadLetter.ts';
import { CoreEffectHandler } from './effects/coreEffectHandler.ts';
import { EffectExecutor } from './effects/effectExecutor.ts';
import type { EffectContext, EffectHandler } from './effects/effectHandler.ts';
import type { FatalEffectError } from './effects/effectErrors.ts';
import type { OutboxEntry } from './effects/outboxEntry.ts';
import { EntityRegistry, type EntityDefinition } from './entityDefinition.ts';
import { InboxApplier } from './inboxApplier.ts';
import type { StreamMessage } from './inboxMessage.ts';
import { silentLogger, type Logger } from './log.ts';
import { NodeEvents } from './nodeEvents.ts';
import { findNatsServer } from './natsBinary.ts';
import { launchNatsServer, type LaunchedNatsServer } from './natsLauncher.ts';
import { PartitionReader } from './partitionReader.ts';
import { recordPartitionCount } from './partitionCountRecord.ts';
import { Publisher } from './publisher.ts';
import { SnapshotCache } from './snapshotCache.ts';
import { ensureStreams } from './streams.ts';
import { CommitBatch } from './store/commitBatch.ts';
import { OrdoStore } from './store/ordoStore.ts';
import { STREAM, crmStoredPrefix, inboxStoredSubject } from './subjects.ts';
import { TimerService } from './timerService.ts';
import { waitForIdle } from './waitForIdle.ts';

/** The repository this module belongs to, so `ordo start` finds `nats.conf` from any folder. */
const CHECKOUT_ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface OrdoNodeOptions {
  config: OrdoConfig;
  entities: readonly EntityDefinition[];
  /** Handlers for effects beyond NATS publishes, for example the ERP handler. */
  effectHandlers?: readonly EffectHandler[];
  /** Maps CRM events to commands; without one, CRM partitions are not read. */
  crmMapper?: CrmMapper;
  ownership?: PartitionOwnership;
  clock?: Clock;
  log?: Logger;
  /** Repository root holding `nats.conf`, for the embedded server. Default: this checkout's root. */
  projectRoot?: string;
}

/**
 * One Ordo node: connects to NATS (or launches the embedded server), makes sure
 * the streams exist, and for each partition it owns reads the inbox and CRM
 * streams, applies messages into LMDB and runs the committed effects.
 */
export class OrdoNode {
  readonly config: OrdoConfig;
  readonly registry: EntityRegistry;
  readonly store: OrdoStore;
  readonly log: Logger;
  readonly clock: Clock;
  readonly ownership: PartitionOwnership;
  /** Typed stream of what the node does, for metrics and logs. */
  readonly events = new NodeEvents();
  nc!: NatsConnection;
  js!: JetStreamClient;
  jsm!: JetStreamManager;
  publisher!: Publisher;
  executor!: EffectExecutor;
  embeddedNats: LaunchedNatsServer | undefined;
  readonly #options: OrdoNodeOptions;
  readonly #cache: SnapshotCache;
  readonly #readers = new Map<number, PartitionReader[]>();
  #applier!: InboxApplier;
  #timers!: TimerService;
  #stopped = false;

  private constructor(options: OrdoNodeOptions) {
    this.#options = options;
    this.config = options.config;
    this.log = options.log ?? silentLogger();
    this.clock = options.clock ?? systemClock;
    this.registry = new EntityRegistry(options.entities);
    this.ownership = options.ownership ?? new StaticOwnership(options.config.partitions);
    this.store = new OrdoStore(join(options.config.dataDir, 'lmdb'), { historyLimit: options.config.historyLimit });
    this.#cache = new SnapshotCache(options.config.snapshotCacheSize);
  }

  static async start(options: OrdoNodeOptions): Promise<OrdoNode> {
    const node = new OrdoNode(options);
    try {
      await node.#start();
    } catch (error) {
      await node.stop().catch(() => undefined);
      throw error;
    }
    return node;
  }

  async #start(): Promise<void> {
    const { config } = this;
    this.nc = await this.#connect();
    this.js = jetstream(this.nc);
    this.jsm = await jetstreamManager(this.nc);

    await recordPartitionCount(this.nc, config.partitions, config.replicas);
    await ensureStreams(this.jsm, { ...config, maxPayload: this.nc.info?.max_payload ?? 1024 * 1024 });

    this.publisher = new Publisher(this.js);
    this.#applier = new InboxApplier({ registry: this.registry, store: this.store, cache: this.#cache, partitions: config.partitions, recentIdsLimit: config.recentIdsLimit });
    this.executor = this.#createExecutor();
    this.#timers = new TimerService({ store: this.store, publisher: this.publisher, clock: this.clock, pollMs: config.timerPollMs, ownsPartition: (p) => this.ownership.owns(p), log: this.log });

    await this.ownership.start({ acquire: (p) => this.#acquire(p), release: (p) => this.#release(p) });
    this.#timers.start();
    this.log.info({ partitions: config.partitions, owned: this.ownership.owned().length, dataDir: config.dataDir }, 'node started');
  }

  async #connect(): Promise<NatsConnection> {
    const { config } = this;
    if (config.natsUrl) {
      return connect({ servers: config.natsUrl.split(','), name: `ordo-${config.nodeId}`, maxReconnectAttempts: -1 });
    }

    const binary = await findNatsServer({ projectRoot: this.#options.projectRoot });
    const projectRoot = resolve(this.#options.projectRoot ?? CHECKOUT_ROOT);
    this.embeddedNats = await launchNatsServer({
      binary: binary.path,
      configFile: join(projectRoot, 'nats.conf'),
      port: config.natsPort,
      storeDir: join(config.dataDir, 'nats'),
      logFile: join(config.dataDir, 'nats-server.log'),
    });
    this.log.info({ url: this.embeddedNats.url, version: binary.version }, 'embedded nats-server started');
    return connect({ servers: this.embeddedNats.url, name: `ordo-${config.nodeId}`, maxReconnectAttempts: -1 });
  }

  #createExecutor(): EffectExecutor {
    const context: Omit<EffectContext, 'signal'> = {
      sendToEntity: async (command) => {
        await this.publisher.sendToEntity(command);
      },
      publishEvent: async (suffix, payload, msgId) => {
        await this.publisher.publishEvent(suffix, payload, msgId);
      },
    };
    return new EffectExecutor({
      store: this.store,
      handlers: [new CoreEffectHandler(this.publisher), ...(this.#options.effectHandlers ?? [])],
      context,
      park: (entry, error) => this.#parkEffect(entry, error),
      log: this.log,
      events: this.events,
    });
  }

  async #acquire(partition: number): Promise<void> {
    const readers = [this.#inboxReader(partition)];
    if (this.#options.crmMapper) readers.push(this.#crmReader(partition, this.#options.crmMapper));
    this.#readers.set(partition, readers);
    for (const reader of readers) reader.start();

    this.executor.enqueue(this.store.pendingEffects(partition));
    this.events.emit('partitionAcquired', { partition });
  }

  async #release(partition: number): Promise<void> {
    const readers = this.#readers.get(partition) ?? [];
    this.#readers.delete(partition);
    await Promise.all(readers.map((reader) => reader.stop()));
    this.events.emit('partitionReleased', { partition });
  }

  #inboxReader(partition: number): PartitionReader {
    return new PartitionReader({
      js: this.js,
      jsm: this.jsm,
      stream: STREAM.inbox,
      filterSubject: inboxStoredSubject(partition),
      partition,
      watermark: () => this.store.getWatermark('inbox', partition),
      batchSize: this.config.batchSize,
      process: (messages) => this.#applyInboxBatch(partition, messages),
      log: this.log,
    });
  }

  #crmReader(partition: number, mapper: CrmMapper): PartitionReader {
    return new PartitionReader({
      js: this.js,
      jsm: this.jsm,
      stream: STREAM.crm,
      filterSubject: `${crmStoredPrefix(partition)}.>`,
      partition,
      watermark: () => this.store.getWatermark('crm', partition),
      batchSize: this.config.batchSize,
      process: (messages) =>
        processCrmBatch(messages, {
          mapper,
          publisher: this.publisher,
          store: this.store,
          partition,
          partitionCount: this.config.partitions,
          onDeadLetter: (params) => {
            this.events.emit('deadLettered', { partition, seq: params.seq, code: params.code, origin: 'crm' });
            this.log.info({ partition, seq: params.seq, code: params.code, stream: params.stream }, 'CRM event sent to dead letters');
          },
        }),
      log: this.log,
    });
  }

  async #applyInboxBatch(partition: number, messages: StreamMessage[]): Promise<void> {
    const startedAt = performance.now();
    const batch = new CommitBatch();
    let watermark = this.store.getWatermark('inbox', partition);
    for (const message of messages) {
      if (message.seq <= watermark) continue;
      this.#applier.apply(message, batch);
      watermark = message.seq;
    }
    batch.watermarks.push(['inbox', partition, watermark]);

    try {
      await this.store.commit(batch);
    } catch (error) {
      // The cache already contains this batch's snapshots; drop them so the retry starts from LMDB.
      this.#cache.clear();
      throw error;
    }
    // Effects wait until the commit is on disk, not only visible: a power failure must not
    // lose a transition whose effects already ran. The partition reads on meanwhile.
    void this.store.flushed().then(() => this.executor.enqueue(batch.outbox));
    this.#reportBatch(partition, messages, batch, performance.now() - startedAt);
  }

  #reportBatch(partition: number, messages: StreamMessage[], batch: CommitBatch, applyMs: number): void {
    const committedAt = this.clock.now();
    const latenciesMs = messages.map((message) => committedAt - message.timestampMs);
    this.events.emit('batchCommitted', { partition, messages: messages.length, applyMs, latenciesMs });

    if (this.events.listenerCount('entityTransitioned') > 0) {
      for (const write of batch.entityWrites.values()) {
        for (const row of write.historyRows) {
          this.events.emit('entityTransitioned', { entityType: write.next.entityType, key: write.next.key, partition, row });
        }
      }
    }

    for (const entry of batch.outbox) {
      if (entry.kind !== DEAD_LETTER_ACTION) continue;
      const params = entry.params as unknown as DeadLetterParams;
      this.events.emit('deadLettered', { partition, seq: params.seq, code: params.code, origin: 'inbox', entityType: params.entityType, key: params.key });
      this.log.info({ partition, seq: params.seq, code: params.code, entityType: params.entityType, key: params.key }, 'message sent to dead letters');
    }
  }

  async #parkEffect(entry: OutboxEntry, error: FatalEffectError): Promise<void> {
    if (entry.kind === DEAD_LETTER_ACTION) throw error;

    const params: DeadLetterParams = {
      origin: 'effect',
      stream: STREAM.inbox,
      seq: entry.seq,
      subject: `effect:${entry.kind}`,
      headers: { 'Nats-Msg-Id': entry.id },
      data: new TextEncoder().encode(JSON.stringify({ kind: entry.kind, params: entry.params })),
      code: error.code,
      message: error.message,
      entityType: entry.entityType,
      key: entry.key,
      partition: entry.partition,
    };
    await this.publisher.publishDeadLetter(params, `dlq:effect:${entry.id}`);
  }

  get readsCrm(): boolean {
    return this.#options.crmMapper !== undefined;
  }

  /** Resolves when every owned partition has applied its stream's last message and no effect is pending. */
  waitForIdle(options: { timeoutMs?: number } = {}): Promise<void> {
    return waitForIdle(this, options);
  }

  /** Publishes due timers now instead of at the next poll (tests use this with a moved clock). */
  fireDueTimers(): Promise<number> {
    return this.#timers.tick();
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;

    this.#timers?.stop();
    await this.ownership.stop().catch((error) => this.log.error({ err: error }, 'releasing partitions failed'));
    await this.executor?.stop();
    await this.nc?.drain().catch(() => undefined);
    await this.store.close();
    await this.embeddedNats?.stop();
    this.log.info({}, 'node stopped');
  }
}
