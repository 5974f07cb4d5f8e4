import type { Logger } from '../log.ts';
import type { OrdoStore } from '../store/ordoStore.ts';
import type { EffectContext, EffectHandler } from './effectHandler.ts';
import { FatalEffectError, RetryableEffectError } from './effectErrors.ts';
import type { OutboxEntry } from './outboxEntry.ts';
import { computeBackoffMs } from './backoff.ts';
import type { NodeEvents } from '../nodeEvents.ts';

export interface EffectExecutorOptions {
  store: OrdoStore;
  handlers: readonly EffectHandler[];
  context: Omit<EffectContext, 'signal'>;
  /** Called when an effect is parked; it must publish the dead letter (de-duplicated by id). */
  park: (entry: OutboxEntry, error: FatalEffectError) => Promise<void>;
  log: Logger;
  events?: NodeEvents;
  random?: () => number;
}

export interface ExecutorStats {
  executed: number;
  retries: number;
  parked: number;
}

/**
 * Runs committed outbox entries. Effects of one entity run one after another in
 * commit order; different entities run concurrently. An entry leaves the outbox
 * only after its effect is done, so a crash re-runs it with the same id, which
 * JetStream and the ERP idempotency key turn into a no-op.
 */
export class EffectExecutor {
  readonly #options: EffectExecutorOptions;
  readonly #chains = new Map<string, Promise<void>>();
  readonly #queued = new Set<string>();
  readonly #retryTimers = new Set<NodeJS.Timeout>();
  readonly #abort = new AbortController();
  readonly stats: ExecutorStats = { executed: 0, retries: 0, parked: 0 };

  constructor(options: EffectExecutorOptions) {
    this.#options = options;
  }

  /** Queues entries just committed, or found in the outbox after a restart. */
  enqueue(entries: readonly OutboxEntry[]): void {
    for (const entry of entries) {
      if (this.#queued.has(entry.id)) continue;
      this.#queued.add(entry.id);
      this.#chain(entry);
    }
  }

  /** Number of entries queued or running on this node. */
  get inFlight(): number {
    return this.#queued.size;
  }

  /** Resolves when nothing is queued or running (used by tests and `ordo demo`). */
  async idle(): Promise<void> {
    while (this.#chains.size > 0) {
      await Promise.allSettled([...this.#chains.values()]);
    }
  }

  /** Stops retries and aborts running effects; unfinished entries stay in the outbox. */
  async stop(): Promise<void> {
    this.#abort.abort();
    for (const timer of this.#retryTimers) clearTimeout(timer);
    this.#retryTimers.clear();
    await Promise.allSettled([...this.#chains.values()]);
  }

  #chain(entry: OutboxEntry): void {
    // Entries without an entity (dead letters of undecodable messages) are unrelated to each
    // other, so each runs on its own instead of queueing behind another that keeps failing.
    const entityId = entry.key === '' ? entry.id : `${entry.entityType}\u0000${entry.key}\u0000${entry.partition}`;
    const previous = this.#chains.get(entityId) ?? Promise.resolve();
    const next = previous.then(() => this.#runUntilSettled(entry));
    this.#chains.set(entityId, next);
    void next.finally(() => {
      if (this.#chains.get(entityId) === next) this.#chains.delete(entityId);
    });
  }

  async #runUntilSettled(entry: OutboxEntry): Promise<void> {
    while (!this.#abort.signal.aborted) {
      const retryInMs = await this.#attempt(entry);
      if (retryInMs === undefined) {
        this.#queued.delete(entry.id);
        return;
      }
      await this.#wait(retryInMs);
    }
  }

  /** Runs the entry once; returns a delay when it should be tried again. */
  async #attempt(entry: OutboxEntry): Promise<number | undefined> {
    const { log } = this.#options;
    const startedAt = performance.now();
    try {
      const handler = this.#handlerFor(entry.kind);
      await handler.execute(entry, { ...this.#options.context, signal: this.#abort.signal });
      await this.#options.store.completeEffect(entry);
      this.stats.executed++;
      this.#options.events?.emit('effectExecuted', { entry, durationMs: performance.now() - startedAt });
      return undefined;
    } catch (error) {
      if (this.#abort.signal.aborted) return undefined;

      if (error instanceof FatalEffectError) {
        log.error({ err: error, effectId: entry.id, kind: entry.kind, entityType: entry.entityType, key: entry.key }, 'effect failed permanently, parking it in dead letters');
        return this.#park(entry, error);
      }

      entry.attempts++;
      this.stats.retries++;
      const retryAfterMs = error instanceof RetryableEffectError ? error.retryAfterMs : undefined;
      const delayMs = computeBackoffMs(entry.attempts, { retryAfterMs, random: this.#options.random ?? Math.random });
      log.warn({ err: error, effectId: entry.id, kind: entry.kind, attempt: entry.attempts, delayMs }, 'effect failed, retrying');
      this.#options.events?.emit('effectRetried', { entry, delayMs, error });
      return delayMs;
    }
  }

  async #park(entry: OutboxEntry, error: FatalEffectError): Promise<number | undefined> {
    try {
      await this.#options.park(entry, error);
      await this.#options.store.completeEffect(entry);
      this.stats.parked++;
      this.#options.events?.emit('effectParked', { entry, code: error.code });
      return undefined;
    } catch (parkError) {
      this.#options.log.error({ err: parkError, effectId: entry.id }, 'parking an effect failed, retrying');
      return 1_000;
    }
  }

  #handlerFor(kind: string): EffectHandler {
    const handler = this.#options.handlers.find((candidate) =>
      candidate.kinds.some((name) => (name.endsWith('.') ? kind.startsWith(name) : kind === name)),
    );
    if (!handler) {
      throw new FatalEffectError('ERR_EFFECT_UNKNOWN_KIND', `No effect handler executes ${JSON.stringify(kind)}; register a handler for it or remove the action from the machine.`);
    }
    return handler;
  }

  #wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const onAbort = () => resolve();
      const timer = setTimeout(() => {
        this.#retryTimers.delete(timer);
        // The signal lives as long as the node, so a listener left behind would pile up with every retry.
        this.#abort.signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      this.#retryTimers.add(timer);
      this.#abort.signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
