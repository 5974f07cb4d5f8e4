import type { StoredMsg } from '@nats-io/jetstream';
import { HEADER } from '../../headers.ts';
import { decodeKeyToken } from '../../keys.ts';
import { headersToRecord } from '../../streamMessageFromJs.ts';

/** Headers of an audit record, written when an operator discards a dead letter. */
export const AUDIT_HEADER = {
  discardedSeq: 'Ordo-Discarded-Seq',
  discardedBy: 'Ordo-Discarded-By',
  discardedAt: 'Ordo-Discarded-At',
  reason: 'Ordo-Discard-Reason',
} as const;

/** Origin token of audit records: `ordo.dlq.audit.<discarded seq>`. */
export const AUDIT_ORIGIN = 'audit';

export function auditSubject(discardedSeq: number): string {
  return `ordo.dlq.${AUDIT_ORIGIN}.${discardedSeq}`;
}

/** One message of the dead-letter stream, with its Ordo headers parsed. */
export interface DeadLetterRecord {
  seq: number;
  time: string;
  subject: string;
  /** `inbox`, `crm`, `effect`, or `audit` for the record of a discarded letter. */
  origin: string;
  code: string | null;
  message: string | null;
  entity: { type: string; key: string | null; keyToken: string | null } | null;
  original: { stream: string | null; subject: string | null; seq: number | null; msgId: string | null };
  /** The original message's headers as published, restored from `Ordo-Original-Headers`. */
  originalHeaders: Record<string, string>;
  /** Sequence of the dead letter this message was a replay of, when it was one. */
  replayOf: number | null;
  /** The dead letter's own headers. */
  headers: Record<string, string>;
  data: Uint8Array;
  audit: { discardedSeq: number; discardedBy: string; discardedAt: string; reason: string | null } | null;
}

export function deadLetterRecord(stored: StoredMsg): DeadLetterRecord {
  const headers = headersToRecord(stored.header);
  const originalHeaders = parseOriginalHeaders(headers[HEADER.originalHeaders]);
  const origin = stored.subject.split('.')[2] ?? 'unknown';

  return {
    seq: stored.seq,
    time: stored.time.toISOString(),
    subject: stored.subject,
    origin,
    code: headers[HEADER.errorCode] ?? null,
    message: headers[HEADER.errorMessage] ?? null,
    entity: entityOf(headers),
    original: {
      stream: headers[HEADER.originalStream] ?? null,
      subject: headers[HEADER.originalSubject] ?? null,
      seq: optionalNumber(headers[HEADER.originalSeq]),
      msgId: headers[HEADER.originalMsgId] ?? originalHeaders[HEADER.msgId] ?? null,
    },
    originalHeaders,
    replayOf: optionalNumber(originalHeaders[HEADER.replayOf]),
    headers,
    data: stored.data,
    audit: origin === AUDIT_ORIGIN ? auditOf(headers) : null,
  };
}

function entityOf(headers: Record<string, string>): DeadLetterRecord['entity'] {
  const type = headers[HEADER.entityType];
  if (!type) return null;

  const keyToken = headers[HEADER.entityKey] ?? null;
  let key: string | null = null;
  try {
    key = keyToken === null ? null : decodeKeyToken(keyToken);
  } catch {
    // A malformed token is shown as it is; replay then needs the key in the request body.
  }
  return { type, key, keyToken };
}

function auditOf(headers: Record<string, string>): DeadLetterRecord['audit'] {
  return {
    discardedSeq: optionalNumber(headers[AUDIT_HEADER.discardedSeq]) ?? 0,
    discardedBy: headers[AUDIT_HEADER.discardedBy] ?? 'unknown',
    discardedAt: headers[AUDIT_HEADER.discardedAt] ?? '',
    reason: headers[AUDIT_HEADER.reason] ?? null,
  };
}

function parseOriginalHeaders(text: string | undefined): Record<string, string> {
  if (text === undefined) return {};
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      return Object.fromEntries(Object.entries(parsed).filter(([, value]) => typeof value === 'string')) as Record<string, string>;
    }
  } catch {
    // Fall through: headers that are not JSON are shown as missing rather than failing the listing.
  }
  return {};
}

function optionalNumber(text: string | undefined): number | null {
  if (text === undefined) return null;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : null;
}
