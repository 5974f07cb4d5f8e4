import { createActor, initialTransition, transition, type AnyMachineSnapshot } from 'xstate';
import { actionsToChanges, snapshotFailed, type TransitionChanges } from './actionsToChanges.ts';
import { decodeBody } from './codec.ts';
import { deadLetterEntry } from './deadLetter.ts';
import type { EntityDefinition, EntityRegistry } from './entityDefinition.ts';
import { OrdoError } from './errors.ts';
import { HEADER } from './headers.ts';
import { parseInboxEnvelope, type InboxEnvelope } from './inboxEnvelope.ts';
import type { StreamMessage } from './inboxMessage.ts';
import { decodeKeyToken, encodeKeyToken } from './keys.ts';
import { partitionOf } from './partition.ts';
import type { SnapshotCache } from './snapshotCache.ts';
import type { CommitBatch } from './store/commitBatch.ts';
import type { OrdoStore } from './store/ordoStore.ts';
import type { EntityRecord, HistoryRow, TimerRow } from './store/records.ts';
import { stateValueToString } from './store/stateValue.ts';

/** Header set on timer messages: `<timerId>@<setSeq>`; the timer fires only if still set. */
export const TIMER_HEADER = 'Ordo-Timer';

/** How much earlier than its due time a timer message may be stored and still fire. */
export const TIMER_CLOCK_SKEW_MS = 1_000;

export interface ApplierOptions {
  registry: EntityRegistry;
  store: OrdoStore;
  cache: SnapshotCache;
  partitions: number;
  recentIdsLimit: number;
}

/** Metadata the host adds to every event as `event.meta`; machines read time and ids only from here. */
export interface EventMeta {
  seq: number;
  msgId: string;
  time: string;
  timeMs: number;
  partition: number;
  entityType: string;
  key: string;
  sender?: string;
}

interface Target {
  envelope: InboxEnvelope;
  definition: EntityDefinition;
  record: EntityRecord | undefined;
  meta: EventMeta;
}

/**
 * Applies inbox messages to entity machines with XState's pure `transition()`,
 * adding every resulting change to a `CommitBatch`. Nothing here writes to
 * LMDB or talks to NATS, so a batch either commits whole or not at all.
 */
export class InboxApplier {
  readonly #options: ApplierOptions;

  constructor(options: ApplierOptions) {
    this.#options = options;
  }

  /** Adds the effect of one message to `batch`; a message that cannot be applied becomes a dead letter. */
  apply(message: StreamMessage, batch: CommitBatch): void {
    let target: Target | undefined;
    try {
      target = this.#resolveTarget(message, batch);
      this.#applyToEntity(message, target, batch);
    } catch (error) {
      this.#deadLetter(message, error, target, batch);
    }
  }

  #resolveTarget(message: StreamMessage, batch: CommitBatch): Target {
    const envelope = parseInboxEnvelope(decodeBody(message.data, message.headers[HEADER.contentType]));
    const definition = this.#options.registry.require(envelope.entityType);

    const expectedPartition = partitionOf(envelope.entityType, envelope.key, this.#options.partitions);
    if (expectedPartition !== message.partition) {
      throw new OrdoError('ERR_MESSAGE_INVALID', `Message for ${envelope.entityType} ${JSON.stringify(envelope.key)} was published to a subject of another entity (partition ${message.partition}, expected ${expectedPartition}); publish to ordo.in.<type>.<encoded key> of the body's entity.`);
    }

    // Timer messages carry events the machine itself scheduled, so only their timer is checked,
    // when applied. XState's internal event types are accepted from timers and nowhere else.
    const isTimer = message.headers[TIMER_HEADER] !== undefined;
    if (!isTimer && envelope.event.type.startsWith('xstate.')) {
      throw new OrdoError('ERR_MESSAGE_INVALID', `Event type ${JSON.stringify(envelope.event.type)} is internal to XState and only timers may send it; send a command of the entity instead.`);
    }

    // The stored subject no longer names the key; the header our publishers set still does.
    const keyToken = message.headers[HEADER.entityKey];
    if (keyToken !== undefined && keyToken !== encodeKeyToken(envelope.key)) {
      throw new OrdoError('ERR_MESSAGE_INVALID', `Message header ${HEADER.entityKey} ${JSON.stringify(keyToken)} names another entity than the body's key ${JSON.stringify(envelope.key)}; publish each command for the entity it names.`);
    }

    const check = isTimer ? undefined : definition.validateCommand?.(envelope.event);
    if (check && !check.ok) {
      throw new OrdoError('ERR_MESSAGE_INVALID', `Command ${envelope.event.type} for ${envelope.entityType} ${JSON.stringify(envelope.key)} is invalid: ${check.errors.join('; ')}`);
    }

    const record = batch.pendingEntity(envelope.entityType, envelope.key) ?? this.#options.store.getEntity(envelope.entityType, envelope.key);
    return { envelope, definition, record, meta: eventMeta(message, envelope) };
  }

  #applyToEntity(message: StreamMessage, target: Target, batch: CommitBatch): void {
    const { envelope, record, meta } = target;

    if (record?.recentIds.includes(meta.msgId)) {
      this.#recordOnly(target, batch, 'duplicate');
      return;
    }

    const timerHeader = message.headers[TIMER_HEADER];
    if (timerHeader !== undefined) {
      const timer = this.#consumeTimer(timerHeader, message, envelope, record, batch);
      if (!timer) {
        this.#recordOnly(target, batch, 'staleTimer');
        return;
      }
      // The stored timer, not the message body, decides what fires and when, so a forged
      // timer message can neither fire early nor carry an unvalidated event.
      target.envelope = { ...envelope, event: timer.event as InboxEnvelope['event'] };
      target.meta = { ...meta, timeMs: timer.dueMs, time: new Date(timer.dueMs).toISOString() };
    }

    const { previous, next, changes } = this.#transition(target);
    const error = snapshotFailed(next);
    if (error) throw new OrdoError('ERR_MACHINE_THREW', `Machine ${target.definition.type} failed on ${envelope.event.type}: ${(error as Error).message ?? error}`, { cause: error });

    this.#addChanges(target, changes, batch);
    this.#writeRecord(target, next, changes, batch, previous === next ? 'ignored' : 'applied');
  }

  #transition(target: Target): { previous: AnyMachineSnapshot; next: AnyMachineSnapshot; changes: TransitionChanges } {
    const { definition, record, envelope, meta } = target;
    const event = { ...envelope.event, meta };

    try {
      const [previous, initialActions] = this.#currentSnapshot(definition, record, envelope.key);
      const [next, actions] = transition(definition.machine, previous, event);
      return { previous, next, changes: actionsToChanges([...initialActions, ...actions]) };
    } catch (cause) {
      if (cause instanceof OrdoError) throw cause;
      throw new OrdoError('ERR_MACHINE_THREW', `Machine ${definition.type} threw on ${envelope.event.type}: ${(cause as Error)?.message ?? cause}`, { cause });
    }
  }

  #currentSnapshot(definition: EntityDefinition, record: EntityRecord | undefined, key: string): [AnyMachineSnapshot, Array<{ type: string; params?: unknown }>] {
    if (!record) {
      const [initial, actions] = initialTransition(definition.machine, definition.input?.(key));
      return [initial, actions];
    }

    const cached = this.#options.cache.get(record.entityType, record.key, record.version);
    if (cached) return [cached, []];

    // An actor that is created but never started only restores the snapshot; it runs nothing.
    const restored = createActor(definition.machine, { snapshot: record.snapshot as never }).getSnapshot();
    return [restored, []];
  }

  #addChanges(target: Target, changes: TransitionChanges, batch: CommitBatch): void {
    const { envelope, meta } = target;

    // Checked before anything is added, so a rejected transition leaves the batch untouched.
    for (const timer of changes.timersSet) {
      if (!Number.isFinite(new Date(meta.timeMs + timer.delayMs).getTime())) {
        throw new OrdoError('ERR_MACHINE_THREW', `Machine ${envelope.entityType} set timer ${timer.timerId} with delay ${timer.delayMs} ms, which puts it past the last representable date; use a shorter delay.`);
      }
    }

    changes.effects.forEach((effect, index) => {
      batch.outbox.push({
        id: `${meta.partition}:${meta.seq}:${index}`,
        partition: meta.partition,
        seq: meta.seq,
        index,
        entityType: envelope.entityType,
        key: envelope.key,
        kind: effect.kind,
        params: effect.params,
        eventTimeMs: meta.timeMs,
        attempts: 0,
      });
    });

    for (const timerId of changes.timersCancelled) {
      batch.timerChanges.push({ op: 'cancel', entityType: envelope.entityType, key: envelope.key, timerId });
    }
    for (const timer of changes.timersSet) {
      const dueMs = meta.timeMs + timer.delayMs;
      batch.timerChanges.push({
        op: 'set',
        timer: { entityType: envelope.entityType, key: envelope.key, partition: meta.partition, timerId: timer.timerId, dueMs, event: timer.event, setSeq: meta.seq },
      });
    }
  }

  #writeRecord(target: Target, next: AnyMachineSnapshot, changes: TransitionChanges, batch: CommitBatch, outcome: HistoryRow['outcome']): void {
    const { definition, record, envelope, meta } = target;
    const state = stateValueToString(next.value);

    const updated: EntityRecord = {
      entityType: envelope.entityType,
      key: envelope.key,
      partition: meta.partition,
      snapshot: definition.machine.getPersistedSnapshot(next),
      state,
      status: next.status,
      version: meta.seq,
      createdAtMs: record?.createdAtMs ?? meta.timeMs,
      updatedAtMs: meta.timeMs,
      recentIds: [...(record?.recentIds ?? []), meta.msgId].slice(-this.#options.recentIdsLimit),
      historyCount: record?.historyCount ?? 0,
    };

    batch.writeEntity(this.#storedRecord(record, batch), updated, {
      ...historyBase(meta, envelope),
      from: record?.state ?? null,
      to: state,
      outcome,
      effects: changes.effects.map((effect) => effect.kind),
      notes: changes.notes,
    });
    this.#options.cache.set(envelope.entityType, envelope.key, meta.seq, next);
  }

  /** Adds a history row without changing the entity's state (duplicates, stale timers, dead letters). */
  #recordOnly(target: Target, batch: CommitBatch, outcome: HistoryRow['outcome'], notes: HistoryRow['notes'] = []): void {
    const { record, envelope, meta } = target;
    if (!record) return;

    batch.writeEntity(this.#storedRecord(record, batch), { ...record }, {
      ...historyBase(meta, envelope),
      from: record.state,
      to: record.state,
      outcome,
      effects: [],
      notes,
    });
  }

  #storedRecord(record: EntityRecord | undefined, batch: CommitBatch): EntityRecord | undefined {
    if (!record) return undefined;
    const write = batch.entityWrites.get(`${record.entityType}\u0000${record.key}`);
    return write ? write.previous : record;
  }

  /**
   * Returns the timer behind a timer message and removes it, or `undefined` when the
   * message is stale: the timer was cancelled or set again, or the message was stored
   * before the timer was due (allowing `TIMER_CLOCK_SKEW_MS` between clocks).
   */
  #consumeTimer(header: string, message: StreamMessage, envelope: InboxEnvelope, record: EntityRecord | undefined, batch: CommitBatch): TimerRow | undefined {
    const at = header.lastIndexOf('@');
    const timerId = header.slice(0, at);
    const setSeq = Number(header.slice(at + 1));
    if (!record || at <= 0) return undefined;

    const current = currentTimer(batch, this.#options.store, envelope.entityType, envelope.key, timerId);
    if (!current || current.setSeq !== setSeq) return undefined;
    if (message.timestampMs < current.dueMs - TIMER_CLOCK_SKEW_MS) return undefined;

    batch.timerChanges.push({ op: 'cancel', entityType: envelope.entityType, key: envelope.key, timerId });
    return current;
  }

  #deadLetter(message: StreamMessage, error: unknown, target: Target | undefined, batch: CommitBatch): void {
    const entity = target ? { entityType: target.envelope.entityType, key: target.envelope.key } : entityFromHeaders(message);
    batch.outbox.push(deadLetterEntry(message, error, entity));

    if (target) {
      const code = error instanceof OrdoError ? error.code : 'ERR_MACHINE_THREW';
      this.#recordOnly(target, batch, 'deadLettered', [{ note: 'deadLettered', details: { code, message: (error as Error)?.message } }]);
    }
  }
}

function eventMeta(message: StreamMessage, envelope: InboxEnvelope): EventMeta {
  const timeMs = envelope.eventTime !== undefined ? Date.parse(envelope.eventTime) : message.timestampMs;
  const meta: EventMeta = {
    seq: message.seq,
    msgId: message.headers[HEADER.msgId] ?? `${message.stream}:${message.seq}`,
    time: new Date(timeMs).toISOString(),
    timeMs,
    partition: message.partition,
    entityType: envelope.entityType,
    key: envelope.key,
  };
  const sender = message.headers[HEADER.sender];
  if (sender !== undefined) meta.sender = sender;
  return meta;
}

function historyBase(meta: EventMeta, envelope: InboxEnvelope): Pick<HistoryRow, 'seq' | 'msgId' | 'eventType' | 'eventTimeMs' | 'sender'> {
  return { seq: meta.seq, msgId: meta.msgId, eventType: envelope.event.type, eventTimeMs: meta.timeMs, sender: meta.sender };
}

function currentTimer(batch: CommitBatch, store: OrdoStore, entityType: string, key: string, timerId: string): TimerRow | undefined {
  for (let i = batch.timerChanges.length - 1; i >= 0; i--) {
    const change = batch.timerChanges[i]!;
    if (change.op === 'set' && change.timer.entityType === entityType && change.timer.key === key && change.timer.timerId === timerId) {
      return change.timer;
    }
    if (change.op === 'cancel' && change.entityType === entityType && change.key === key && change.timerId === timerId) {
      return undefined;
    }
  }
  return store.timerRow(entityType, key, timerId);
}

function entityFromHeaders(message: StreamMessage): { entityType?: string; key?: string } {
  const entityType = message.headers[HEADER.entityType];
  const token = message.headers[HEADER.entityKey];
  try {
    return { entityType, key: token === undefined ? undefined : decodeKeyToken(token) };
  } catch {
    return { entityType };
  }
}
