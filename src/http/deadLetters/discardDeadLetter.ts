import { headers as natsHeaders } from '@nats-io/transport-node';
import { OrdoError } from '../../errors.ts';
import { HEADER } from '../../headers.ts';
import type { OrdoNode } from '../../ordoNode.ts';
import { STREAM } from '../../subjects.ts';
import { AUDIT_HEADER, AUDIT_ORIGIN, auditSubject } from './deadLetterRecord.ts';
import { readDeadLetter } from './deadLetterReader.ts';

export interface DiscardResult {
  seq: number;
  auditSeq: number;
  discardedBy: string;
  discardedAt: string;
  reason: string | null;
}

/**
 * Removes a dead letter from the stream after publishing its audit record: a
 * copy of its body and headers on `ordo.dlq.audit.<seq>` with who discarded it,
 * when and why. The audit record goes first, so a crash in between leaves the
 * letter plus its record, never neither.
 */
export async function discardDeadLetter(node: OrdoNode, seq: number, options: { by: string; reason?: string; nowMs: number }): Promise<DiscardResult> {
  const letter = await readDeadLetter(node, seq);
  if (letter.origin === AUDIT_ORIGIN) {
    throw new OrdoError('ERR_DEAD_LETTER_IS_AUDIT', `Sequence ${seq} is the audit record of discarded dead letter ${letter.audit?.discardedSeq}; audit records are kept.`);
  }

  const discardedAt = new Date(options.nowMs).toISOString();
  const headers = natsHeaders();
  for (const [name, value] of Object.entries(letter.headers)) {
    if (name !== HEADER.msgId) headers.set(name, value);
  }
  headers.set(AUDIT_HEADER.discardedSeq, String(seq));
  headers.set(AUDIT_HEADER.discardedBy, options.by);
  headers.set(AUDIT_HEADER.discardedAt, discardedAt);
  if (options.reason !== undefined) headers.set(AUDIT_HEADER.reason, options.reason.replace(/[\r\n]+/g, ' '));

  // A retried discard publishes the same message id, so JetStream keeps one audit record.
  const ack = await node.js.publish(auditSubject(seq), letter.data, { msgID: `dlq-discard:${seq}`, headers });
  await node.jsm.streams.deleteMessage(STREAM.deadLetters, seq);

  return { seq, auditSeq: ack.seq, discardedBy: options.by, discardedAt, reason: options.reason ?? null };
}
