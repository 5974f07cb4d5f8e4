import type { OutboxEntry } from './outboxEntry.ts';
import type { EntityEventInput } from '../machineEffects.ts';

export interface EntityCommandToSend {
  entityType: string;
  key: string;
  event: EntityEventInput;
  /** Message id for JetStream de-duplication; derive it from the effect id. */
  msgId: string;
  /** ISO 8601 event time; defaults to the publish time recorded by JetStream. */
  eventTime?: string;
}

export interface EffectContext {
  /** Publishes a command to an entity's inbox (de-duplicated by `msgId`). */
  sendToEntity(command: EntityCommandToSend): Promise<void>;
  /** Publishes on the outbound events stream with `msgId` as `Nats-Msg-Id`. */
  publishEvent(subjectSuffix: string, payload: unknown, msgId: string): Promise<void>;
  /** Aborted when the node stops or gives up the partition. */
  signal: AbortSignal;
}

/**
 * Executes one family of outbox entries. `execute` resolves when the effect is
 * done (and its result, if any, is on the inbox). It throws `RetryableEffectError`
 * to be retried later with the same entry (same idempotency key), and
 * `FatalEffectError` to park the entry in the dead-letter stream.
 */
export interface EffectHandler {
  /** Action types handled: exact names, or prefixes ending in `.` such as `erp.`. */
  readonly kinds: readonly string[];
  execute(entry: OutboxEntry, context: EffectContext): Promise<void>;
}
