import { EventEmitter } from 'node:events';
import type { OutboxEntry } from './effects/outboxEntry.ts';
import type { HistoryRow } from './store/records.ts';

/** Events a node reports as it works, for metrics and logs to subscribe to. */
export interface NodeEventMap {
  /** A partition batch committed. `latenciesMs` are publish-to-commit times of its messages. */
  batchCommitted: [{ partition: number; messages: number; applyMs: number; latenciesMs: number[] }];
  /** One history row committed (after the batch's commit), with its entity. */
  entityTransitioned: [{ entityType: string; key: string; partition: number; row: HistoryRow }];
  effectExecuted: [{ entry: OutboxEntry; durationMs: number }];
  effectRetried: [{ entry: OutboxEntry; delayMs: number; error: unknown }];
  effectParked: [{ entry: OutboxEntry; code: string }];
  deadLettered: [{ partition: number; seq: number; code: string; origin: 'inbox' | 'crm'; entityType?: string; key?: string }];
  partitionAcquired: [{ partition: number }];
  partitionReleased: [{ partition: number }];
}

export class NodeEvents extends EventEmitter<NodeEventMap> {}
