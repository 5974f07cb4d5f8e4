import { headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, type PubAck } from '@nats-io/jetstream';
import type { OrdoNode } from '../../src/ordoNode.ts';
import { STREAM } from '../../src/subjects.ts';

const encoder = new TextEncoder();

/** Publishes raw bytes on `subject` with the given headers, as a foreign publisher would. */
export function publishRaw(nc: NatsConnection, subject: string, body: unknown, headerValues: Record<string, string> = {}): Promise<PubAck> {
  const data = body instanceof Uint8Array ? body : encoder.encode(typeof body === 'string' ? body : JSON.stringify(body));
  const headers = natsHeaders();
  for (const [name, value] of Object.entries(headerValues)) headers.set(name, value);
  const msgID = headerValues['Nats-Msg-Id'];
  return jetstream(nc).publish(subject, data, msgID === undefined ? { headers } : { headers, msgID });
}

export interface DeadLetterSummary {
  seq: number;
  subject: string;
  code: string | undefined;
  message: string | undefined;
  originalMsgId: string | undefined;
}

/** Reads every message of the dead-letter stream with direct gets. */
export async function readDeadLetters(node: OrdoNode): Promise<DeadLetterSummary[]> {
  const info = await node.jsm.streams.info(STREAM.deadLetters);
  const letters: DeadLetterSummary[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    const message = await node.jsm.streams.getMessage(STREAM.deadLetters, { seq }).catch(() => null);
    if (!message) continue;
    letters.push({
      seq,
      subject: message.subject,
      code: message.header?.get('Ordo-Error-Code'),
      message: message.header?.get('Ordo-Error-Message'),
      originalMsgId: message.header?.get('Ordo-Original-Msg-Id'),
    });
  }
  return letters;
}

export function contextOf<T>(node: OrdoNode, entityType: string, key: string): T | undefined {
  return (node.store.getEntity(entityType, key)?.snapshot as { context?: T } | undefined)?.context;
}
