import type { StoredMsg } from '@nats-io/jetstream';
import { OrdoError } from '../../errors.ts';
import type { OrdoNode } from '../../ordoNode.ts';
import { DEAD_LETTER_FILTER, STREAM } from '../../subjects.ts';
import { AUDIT_ORIGIN, deadLetterRecord, type DeadLetterRecord } from './deadLetterRecord.ts';

export interface DeadLetterPage {
  items: DeadLetterRecord[];
  /** Sequence to pass as the next page's cursor; absent when the stream has no later letter. */
  nextCursor?: number;
}

/** Reads one dead letter by stream sequence, or throws `ERR_DEAD_LETTER_NOT_FOUND`. */
export async function readDeadLetter(node: OrdoNode, seq: number): Promise<DeadLetterRecord> {
  const stored = await node.jsm.streams.getMessage(STREAM.deadLetters, { seq });
  if (!stored) {
    throw new OrdoError('ERR_DEAD_LETTER_NOT_FOUND', `No dead letter with sequence ${seq} in ${STREAM.deadLetters}; it may have been discarded. List them with GET /v1/dead-letters.`);
  }
  return deadLetterRecord(stored);
}

/**
 * Lists dead letters oldest first, from sequence `cursor` on, with one
 * message-get request per letter. That is slow for large pages but keeps no
 * consumer on the server, and dead letters are not a hot path.
 */
export async function listDeadLetters(node: OrdoNode, options: { cursor?: number; limit: number; includeAudit: boolean }): Promise<DeadLetterPage> {
  const items: DeadLetterRecord[] = [];
  let seq = options.cursor ?? 1;

  for (;;) {
    const stored = await nextStored(node, seq);
    if (!stored) return { items };
    if (items.length === options.limit) return { items, nextCursor: stored.seq };

    const record = deadLetterRecord(stored);
    if (options.includeAudit || record.origin !== AUDIT_ORIGIN) items.push(record);
    seq = stored.seq + 1;
  }
}

function nextStored(node: OrdoNode, seq: number): Promise<StoredMsg | null> {
  // `next_by_subj` (first message at or after `seq` matching the filter) is
  // supported by the server's message-get API; the client's type leaves it out.
  const query = { seq, next_by_subj: DEAD_LETTER_FILTER } as unknown as { seq: number };
  return node.jsm.streams.getMessage(STREAM.deadLetters, query);
}
