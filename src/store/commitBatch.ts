import type { WatermarkKind } from './ordoStore.ts';
import type { EntityRecord, HistoryRow, OutboxEntry, TimerRow } from './records.ts';

export type TimerChange =
  | { op: 'set'; timer: TimerRow }
  | { op: 'cancel'; entityType: string; key: string; timerId: string };

export interface EntityWrite {
  /** The record as stored before this batch (used to update the by-state index). */
  previous: EntityRecord | undefined;
  next: EntityRecord;
  historyRows: HistoryRow[];
}

/** Everything one partition batch changes, committed by `OrdoStore.commit` in one transaction. */
export class CommitBatch {
  readonly entityWrites = new Map<string, EntityWrite>();
  readonly outbox: OutboxEntry[] = [];
  /** Timer changes in the order the transitions made them (a cancel then a set must stay in that order). */
  readonly timerChanges: TimerChange[] = [];
  readonly watermarks: Array<[WatermarkKind, number, number]> = [];

  /** Records a new entity state; several messages for one entity in a batch keep the first `previous`. */
  writeEntity(previous: EntityRecord | undefined, next: EntityRecord, historyRow: HistoryRow): void {
    const id = `${next.entityType}\u0000${next.key}`;
    const existing = this.entityWrites.get(id);
    if (existing) {
      existing.next = next;
      existing.historyRows.push(historyRow);
      return;
    }
    this.entityWrites.set(id, { previous, next, historyRows: [historyRow] });
  }

  /** Returns the newest record of an entity in this batch, if it has one. */
  pendingEntity(entityType: string, key: string): EntityRecord | undefined {
    return this.entityWrites.get(`${entityType}\u0000${key}`)?.next;
  }

  get isEmpty(): boolean {
    return this.entityWrites.size === 0 && this.outbox.length === 0 && this.watermarks.length === 0;
  }
}
