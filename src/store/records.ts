import type { OutboxEntry } from '../effects/outboxEntry.ts';

/** One entity's stored state: its persisted machine snapshot and bookkeeping. */
export interface EntityRecord {
  entityType: string;
  key: string;
  partition: number;
  /** `machine.getPersistedSnapshot()` output, JSON-compatible. */
  snapshot: unknown;
  /** State value as text: `a`, `a.b` for nested states, JSON for parallel states. */
  state: string;
  status: string;
  /** Inbox sequence of the last applied message. */
  version: number;
  createdAtMs: number;
  /** Event time of the last applied message. */
  updatedAtMs: number;
  /** Ids of the last applied messages, newest last; bounded by `recentIdsLimit`. */
  recentIds: string[];
  historyCount: number;
}

export type HistoryOutcome = 'applied' | 'ignored' | 'duplicate' | 'staleTimer' | 'deadLettered';

/** One transition (or a message that did not change state), newest rows kept up to `historyLimit`. */
export interface HistoryRow {
  seq: number;
  msgId: string;
  eventType: string;
  from: string | null;
  to: string;
  outcome: HistoryOutcome;
  effects: string[];
  notes: Array<{ note: string; details?: Record<string, unknown> }>;
  eventTimeMs: number;
  sender?: string;
}

/** A durable timer: the event to deliver to the entity at `dueMs` (event time). */
export interface TimerRow {
  entityType: string;
  key: string;
  partition: number;
  timerId: string;
  dueMs: number;
  event: Record<string, unknown>;
  /** Inbox sequence of the message that set the timer; part of the fired message id. */
  setSeq: number;
}

export type { OutboxEntry };
