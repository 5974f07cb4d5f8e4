/**
 * Action creators machines use to ask the host for work it must not do itself.
 * Each returns a plain XState action object, so `transition()` hands it back to
 * the host instead of running it; the host turns it into an outbox entry or a
 * history note committed with the transition.
 */
export const SEND_ACTION = 'ordo.send';
export const RECORD_ACTION = 'ordo.record';

export interface EntityEventInput {
  type: string;
  [field: string]: unknown;
}

export interface SendParams {
  entityType: string;
  key: string;
  event: EntityEventInput;
}

export interface RecordParams {
  note: string;
  details?: Record<string, unknown>;
}

/** Sends `event` to the entity `(entityType, key)` through the inbox after commit. */
export function sendToEntity(params: SendParams): { type: typeof SEND_ACTION; params: SendParams } {
  return { type: SEND_ACTION, params };
}

/** Writes a note (for example `stale`) into this transition's history row; no effect runs. */
export function recordNote(params: RecordParams): { type: typeof RECORD_ACTION; params: RecordParams } {
  return { type: RECORD_ACTION, params };
}
