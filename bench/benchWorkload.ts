import { headers as natsHeaders } from '@nats-io/transport-node';
import type { JetStreamClient } from '@nats-io/jetstream';
import { encodeJson } from '../src/codec.ts';
import { HEADER, JSON_CONTENT_TYPE } from '../src/headers.ts';
import { encodeKeyToken } from '../src/keys.ts';
import { inboxPublishSubject } from '../src/subjects.ts';

const WINDOW = 2_000;

/**
 * Publishes `messages` ledger appends spread over `entities` keys, `WINDOW`
 * publishes in flight at a time, and reports progress on stderr. Message ids
 * carry `runId` so two runs against one server never collide in the duplicate window.
 */
export async function publishWorkload(js: JetStreamClient, options: { messages: number; entities: number; runId: string; entityType?: string }): Promise<number> {
  const entityType = options.entityType ?? 'ledger';
  const startedAt = performance.now();
  let inFlight: Array<Promise<unknown>> = [];

  for (let n = 0; n < options.messages; n++) {
    const key = `customer-${n % options.entities}`;
    const headers = natsHeaders();
    const msgId = `${options.runId}-${n}`;
    headers.set(HEADER.msgId, msgId);
    headers.set(HEADER.contentType, JSON_CONTENT_TYPE);
    headers.set(HEADER.entityType, entityType);
    headers.set(HEADER.entityKey, encodeKeyToken(key));
    const body = encodeJson({ entityType, key, event: { type: 'append', value: n } });
    inFlight.push(js.publish(inboxPublishSubject(entityType, key), body, { msgID: msgId, headers }));

    if (inFlight.length >= WINDOW) {
      await Promise.all(inFlight);
      inFlight = [];
      if (n % 100_000 < WINDOW) process.stderr.write(`  published ${n.toLocaleString('en-US')} / ${options.messages.toLocaleString('en-US')}\n`);
    }
  }
  await Promise.all(inFlight);
  return (performance.now() - startedAt) / 1000;
}
