import { headers as natsHeaders, type MsgHdrs } from '@nats-io/transport-node';
import type { JetStreamClient, PubAck } from '@nats-io/jetstream';
import { encodeJson } from './codec.ts';
import type { DeadLetterParams } from './deadLetter.ts';
import type { EntityCommandToSend } from './effects/effectHandler.ts';
import { HEADER, JSON_CONTENT_TYPE } from './headers.ts';
import type { InboxEnvelope } from './inboxEnvelope.ts';
import { encodeKeyToken } from './keys.ts';
import { deadLetterSubject, inboxPublishSubject } from './subjects.ts';

/**
 * Every JetStream publish Ordo makes goes through here, so each carries its
 * deterministic `Nats-Msg-Id` and JetStream drops repeats within its duplicate window.
 */
export class Publisher {
  readonly #js: JetStreamClient;

  constructor(js: JetStreamClient) {
    this.#js = js;
  }

  /** Publishes a command to an entity's inbox. */
  sendToEntity(command: EntityCommandToSend & { sender?: string; extraHeaders?: Record<string, string> }): Promise<PubAck> {
    const envelope: InboxEnvelope = { entityType: command.entityType, key: command.key, event: command.event };
    if (command.eventTime !== undefined) envelope.eventTime = command.eventTime;

    const headers = natsHeaders();
    headers.set(HEADER.msgId, command.msgId);
    headers.set(HEADER.contentType, JSON_CONTENT_TYPE);
    headers.set(HEADER.entityType, command.entityType);
    headers.set(HEADER.entityKey, encodeKeyToken(command.key));
    if (command.sender !== undefined) headers.set(HEADER.sender, command.sender);
    for (const [name, value] of Object.entries(command.extraHeaders ?? {})) headers.set(name, value);

    return this.#js.publish(inboxPublishSubject(command.entityType, command.key), encodeJson(envelope), { msgID: command.msgId, headers });
  }

  /** Publishes a domain event on `ordo.events.<subjectSuffix>`. */
  publishEvent(subjectSuffix: string, payload: unknown, msgId: string): Promise<PubAck> {
    const headers = natsHeaders();
    headers.set(HEADER.contentType, JSON_CONTENT_TYPE);
    return this.#js.publish(`ordo.events.${subjectSuffix}`, encodeJson(payload), { msgID: msgId, headers });
  }

  /** Publishes a dead letter: the original bytes as the body, the original headers and the error as headers. */
  publishDeadLetter(params: DeadLetterParams, msgId: string): Promise<PubAck> {
    const headers = deadLetterHeaders(params);
    return this.#js.publish(deadLetterSubject(params.origin, params.partition), params.data, { msgID: msgId, headers });
  }
}

/** Largest JSON copy of the original headers a dead letter carries, in bytes. */
export const MAX_ORIGINAL_HEADERS_BYTES = 16 * 1024;

function deadLetterHeaders(params: DeadLetterParams): MsgHdrs {
  const headers = natsHeaders();
  headers.set(HEADER.errorCode, params.code);
  headers.set(HEADER.errorMessage, oneLine(params.message));
  headers.set(HEADER.originalStream, params.stream);
  headers.set(HEADER.originalSeq, String(params.seq));
  headers.set(HEADER.originalSubject, params.subject);
  // Original headers travel as one JSON header so a replay can restore them exactly. JSON
  // escaping can double their size, and JetStream rejects messages whose headers exceed
  // 64 KiB, so oversized ones are left out and their size is recorded instead.
  const originalHeaders = JSON.stringify(params.headers);
  if (Buffer.byteLength(originalHeaders) <= MAX_ORIGINAL_HEADERS_BYTES) {
    headers.set(HEADER.originalHeaders, originalHeaders);
  } else {
    headers.set(HEADER.originalHeadersOmitted, String(Buffer.byteLength(originalHeaders)));
  }
  const originalMsgId = params.headers[HEADER.msgId];
  if (originalMsgId !== undefined && originalMsgId.length <= 1024) headers.set(HEADER.originalMsgId, originalMsgId);
  if (params.entityType) headers.set(HEADER.entityType, params.entityType);
  if (params.key) headers.set(HEADER.entityKey, encodeKeyToken(params.key));
  return headers;
}

// Header values cannot contain line breaks; error messages sometimes do.
function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').slice(0, 2000);
}
