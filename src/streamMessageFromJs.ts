import { canonicalMIMEHeaderKey } from '@nats-io/transport-node';
import type { JsMsg } from '@nats-io/jetstream';
import type { StreamMessage } from './inboxMessage.ts';

/** Converts a JetStream message; the partition is the third token of every Ordo stored subject. */
export function streamMessageFromJs(stream: string, message: JsMsg): StreamMessage {
  return {
    stream,
    seq: message.seq,
    subject: message.subject,
    data: message.data,
    headers: headersToRecord(message.headers),
    timestampMs: Math.floor(Number(message.info.timestampNanos) / 1_000_000),
    partition: Number(message.subject.split('.')[2]),
  };
}

/** Copies headers into a plain object with canonical names (`content-type` becomes `Content-Type`). */
export function headersToRecord(headers: JsMsg['headers']): Record<string, string> {
  const record: Record<string, string> = {};
  if (!headers) return record;

  for (const name of headers.keys()) {
    record[canonicalMIMEHeaderKey(name)] = headers.get(name);
  }
  return record;
}
