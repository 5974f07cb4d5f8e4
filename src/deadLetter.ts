import type { OutboxEntry } from './effects/outboxEntry.ts';
import type { StreamMessage } from './inboxMessage.ts';
import { OrdoError, type ErrorCode } from './errors.ts';

export const DEAD_LETTER_ACTION = 'ordo.deadLetter';

/** Contents of a dead letter: the original message exactly, the error, and the entity when known. */
export interface DeadLetterParams {
  origin: 'inbox' | 'crm' | 'effect';
  stream: string;
  seq: number;
  subject: string;
  headers: Record<string, string>;
  data: Uint8Array;
  code: string;
  message: string;
  entityType?: string;
  key?: string;
  partition: number;
}

export function errorCodeOf(error: unknown): ErrorCode | string {
  if (error instanceof OrdoError) return error.code;
  if (error && typeof error === 'object' && typeof (error as { code?: unknown }).code === 'string') {
    return (error as { code: string }).code;
  }
  return 'ERR_MACHINE_THREW';
}

/** Builds the outbox entry that publishes a dead letter; committed with the watermark that skips the message. */
export function deadLetterEntry(
  message: StreamMessage,
  error: unknown,
  entity: { entityType?: string; key?: string },
): OutboxEntry {
  const params: DeadLetterParams = {
    origin: 'inbox',
    stream: message.stream,
    seq: message.seq,
    subject: message.subject,
    headers: message.headers,
    data: message.data,
    code: errorCodeOf(error),
    message: error instanceof Error ? error.message : String(error),
    entityType: entity.entityType,
    key: entity.key,
    partition: message.partition,
  };

  return {
    id: `${message.partition}:${message.seq}:dlq`,
    partition: message.partition,
    seq: message.seq,
    index: 0,
    entityType: entity.entityType ?? '',
    key: entity.key ?? '',
    kind: DEAD_LETTER_ACTION,
    params: params as unknown as Record<string, unknown>,
    eventTimeMs: message.timestampMs,
    attempts: 0,
  };
}
