import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { open, type Database, type RootDatabase } from 'lmdb';
import type { EntityRecord, HistoryRow, OutboxEntry, TimerRow } from './records.ts';
import type { CommitBatch } from './commitBatch.ts';

export type WatermarkKind = 'inbox' | 'crm';

const MAX_SEQ = Number.MAX_SAFE_INTEGER;

/**
 * The node's LMDB environment: entity snapshots, partition watermarks, history,
 * outbox, timers and the by-state index. Every change made by applying messages
 * goes through `commit`, one LMDB transaction, so they never disagree after a crash.
 */
export class OrdoStore {
  readonly root: RootDatabase;
  readonly entities: Database<EntityRecord, [string, string]>;
  readonly watermarks: Database<number, [WatermarkKind, number]>;
  readonly history: Database<HistoryRow, [string, string, number]>;
  readonly outbox: Database<OutboxEntry, [number, number, number]>;
  readonly timersByDue: Database<TimerRow, [number, string, string, string]>;
  readonly timersByEntity: Database<{ dueMs: number; setSeq: number }, [string, string, string]>;
  /** Key `[entityType, state, updatedAtMs, key]`, no value: listings by state without scanning entities. */
  readonly byState: Database<null, [string, string, number, string]>;
  readonly historyLimit: number;
  readonly #queued: Array<{ batch: CommitBatch; resolve: () => void; reject: (error: unknown) => void }> = [];
  #committing: Promise<void> | undefined;

  constructor(path: string, options: { historyLimit: number }) {
    mkdirSync(path, { recursive: true });
    this.root = open({ path: join(path, 'ordo.lmdb'), encoding: 'msgpack', maxDbs: 16 });
    this.entities = this.root.openDB({ name: 'entities', encoding: 'msgpack' });
    this.watermarks = this.root.openDB({ name: 'watermarks', encoding: 'msgpack' });
    this.history = this.root.openDB({ name: 'history', encoding: 'msgpack' });
    this.outbox = this.root.openDB({ name: 'outbox', encoding: 'msgpack' });
    this.timersByDue = this.root.openDB({ name: 'timersByDue', encoding: 'msgpack' });
    this.timersByEntity = this.root.openDB({ name: 'timersByEntity', encoding: 'msgpack' });
    this.byState = this.root.openDB({ name: 'byState', encoding: 'msgpack' });
    this.historyLimit = options.historyLimit;
  }

  getEntity(entityType: string, key: string): EntityRecord | undefined {
    return this.entities.get([entityType, key]);
  }

  getWatermark(kind: WatermarkKind, partition: number): number {
    return this.watermarks.get([kind, partition]) ?? 0;
  }

  /**
   * Writes everything one applied batch produced, atomically; resolves once committed.
   * Batches that arrive while a commit runs are written together in the next LMDB
   * transaction (group commit): partitions commit at different moments, and one
   * transaction per batch would make every partition wait for all the others' commits.
   */
  commit(batch: CommitBatch): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queued.push({ batch, resolve, reject });
      this.#commitQueued();
    });
  }

  /** Resolves when every commit so far is flushed to disk, not only visible. */
  flushed(): Promise<void> {
    return Promise.resolve(this.root.flushed).then(() => undefined);
  }

  #commitQueued(): void {
    if (this.#committing || this.#queued.length === 0) return;

    const group = this.#queued.splice(0);
    this.#committing = this.root
      .transaction(() => {
        for (const { batch } of group) this.#writeBatch(batch);
      })
      .then(
        () => group.forEach(({ resolve }) => resolve()),
        (error: unknown) => group.forEach(({ reject }) => reject(error)),
      )
      .finally(() => {
        this.#committing = undefined;
        this.#commitQueued();
      });
  }

  #writeBatch(batch: CommitBatch): void {
    for (const write of batch.entityWrites.values()) {
      this.#writeEntity(write.previous, write.next, write.historyRows);
    }
    for (const entry of batch.outbox) {
      this.outbox.put([entry.partition, entry.seq, entry.index], entry);
    }
    for (const change of batch.timerChanges) {
      if (change.op === 'set') this.#setTimer(change.timer);
      else this.#cancelTimer(change.entityType, change.key, change.timerId);
    }
    for (const [kind, partition, seq] of batch.watermarks) {
      this.watermarks.put([kind, partition], seq);
    }
  }

  /** Removes an executed effect. */
  async completeEffect(entry: OutboxEntry): Promise<void> {
    await this.outbox.remove([entry.partition, entry.seq, entry.index]);
  }

  pendingEffects(partition?: number): OutboxEntry[] {
    const range = partition === undefined ? {} : { start: [partition, 0, 0] as [number, number, number], end: [partition, MAX_SEQ, MAX_SEQ] as [number, number, number] };
    return [...this.outbox.getRange(range).map(({ value }) => value)];
  }

  outboxDepth(): number {
    return this.outbox.getCount();
  }

  pendingEffectsOf(entityType: string, key: string, partition: number): OutboxEntry[] {
    return this.pendingEffects(partition).filter((entry) => entry.entityType === entityType && entry.key === key);
  }

  /** Timers due at or before `nowMs`, earliest first. */
  dueTimers(nowMs: number, limit: number): TimerRow[] {
    return [...this.timersByDue.getRange({ end: [nowMs, '\uffff', '\uffff', '\uffff'], limit }).map(({ value }) => value)];
  }

  timersOf(entityType: string, key: string): Array<{ timerId: string; dueMs: number }> {
    return [...this.timersByEntity
      .getRange({ start: [entityType, key, ''], end: [entityType, key, '\uffff'] })
      .map(({ key: [, , timerId], value }) => ({ timerId, dueMs: value.dueMs }))];
  }

  timerOf(entityType: string, key: string, timerId: string): { dueMs: number; setSeq: number } | undefined {
    return this.timersByEntity.get([entityType, key, timerId]);
  }

  /** Returns the stored timer with its event, or `undefined` when it is not set. */
  timerRow(entityType: string, key: string, timerId: string): TimerRow | undefined {
    const entry = this.timersByEntity.get([entityType, key, timerId]);
    return entry && this.timersByDue.get([entry.dueMs, entityType, key, timerId]);
  }

  /** History rows of one entity, newest first, starting below `beforeSeq` when given. */
  historyOf(entityType: string, key: string, options: { limit: number; beforeSeq?: number }): HistoryRow[] {
    const start: [string, string, number] = [entityType, key, (options.beforeSeq ?? MAX_SEQ) - 1];
    const end: [string, string, number] = [entityType, key, -1];
    return [...this.history.getRange({ start, end, reverse: true, limit: options.limit }).map(({ value }) => value)];
  }

  async close(): Promise<void> {
    await this.root.close();
  }

  #writeEntity(previous: EntityRecord | undefined, next: EntityRecord, historyRows: HistoryRow[]): void {
    if (previous) this.byState.remove([previous.entityType, previous.state, previous.updatedAtMs, previous.key]);
    this.byState.put([next.entityType, next.state, next.updatedAtMs, next.key], null);

    for (const row of historyRows) {
      this.history.put([next.entityType, next.key, row.seq], row);
    }
    next.historyCount = this.#pruneHistory(next.entityType, next.key, (previous?.historyCount ?? 0) + historyRows.length);
    this.entities.put([next.entityType, next.key], next);
  }

  #pruneHistory(entityType: string, key: string, count: number): number {
    const excess = count - this.historyLimit;
    if (excess <= 0) return count;

    const oldest = this.history.getKeys({ start: [entityType, key, -1], end: [entityType, key, MAX_SEQ], limit: excess });
    for (const historyKey of oldest) this.history.remove(historyKey);
    return this.historyLimit;
  }

  #setTimer(timer: TimerRow): void {
    this.#cancelTimer(timer.entityType, timer.key, timer.timerId);
    this.timersByDue.put([timer.dueMs, timer.entityType, timer.key, timer.timerId], timer);
    this.timersByEntity.put([timer.entityType, timer.key, timer.timerId], { dueMs: timer.dueMs, setSeq: timer.setSeq });
  }

  #cancelTimer(entityType: string, key: string, timerId: string): void {
    const existing = this.timersByEntity.get([entityType, key, timerId]);
    if (!existing) return;
    this.timersByDue.remove([existing.dueMs, entityType, key, timerId]);
    this.timersByEntity.remove([entityType, key, timerId]);
  }
}
