import { setTimeout as sleep } from 'node:timers/promises';
import type { JetStreamClient, PubAck } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { HEADER, JSON_CONTENT_TYPE } from '../headers.ts';
import { encodeKeyToken } from '../keys.ts';
import type { CrmMessage } from './crmMessage.ts';

/** A message and the wall-clock time before which it must not be published. */
export interface ScheduledMessage {
  message: CrmMessage;
  publishAtMs?: number;
}

export interface PublishOptions {
  /** Publishes awaiting their JetStream ack at once. Default 256. */
  window?: number;
  /** Maximum publishes per second. Default: unlimited. */
  ratePerSecond?: number;
  /** Called after each publish is acknowledged, with the count so far. */
  onProgress?: (acknowledged: number) => void;
  /** Called for each acknowledged message with the wall-clock time it was handed to the client, and whether JetStream dropped it as a repeat. */
  onAcknowledged?: (message: CrmMessage, ack: { publishedAtMs: number; duplicate: boolean }) => void;
}

export interface PublishResult {
  published: number;
  /** Publishes JetStream dropped because their `Nats-Msg-Id` was already in the duplicate window. */
  duplicates: number;
  elapsedMs: number;
}

type Settled = { ok: true; ack: PubAck; message: CrmMessage; publishedAtMs: number } | { ok: false; error: unknown; message: CrmMessage };

const DEFAULT_WINDOW = 256;
// Sleeping for less than this costs more than it saves under a rate limit.
const MIN_SLEEP_MS = 5;
const encoder = new TextEncoder();

/**
 * Publishes messages in order with up to `window` acks outstanding, so throughput is
 * not bound by one round trip per message. Messages are handed to one connection in
 * order, so JetStream stores them in that order. The first failed publish stops the
 * run with an error; publishing again is safe because every message keeps its id.
 */
export async function publishCrmMessages(js: JetStreamClient, messages: Iterable<ScheduledMessage>, options: PublishOptions = {}): Promise<PublishResult> {
  const window = options.window ?? DEFAULT_WINDOW;
  const startedAt = performance.now();
  const wallStart = Date.now();
  const inFlight: Array<Promise<Settled>> = [];
  let issued = 0;
  let acknowledged = 0;
  let duplicates = 0;

  const settle = async (pending: Promise<Settled>): Promise<void> => {
    const result = await pending;
    if (!result.ok) {
      throw new Error(`Publishing ${result.message.subject} (Nats-Msg-Id ${result.message.msgId}) failed: ${(result.error as Error)?.message ?? result.error}; run the replay again, repeats are dropped`, { cause: result.error });
    }
    acknowledged += 1;
    if (result.ack.duplicate) duplicates += 1;
    options.onAcknowledged?.(result.message, { publishedAtMs: result.publishedAtMs, duplicate: result.ack.duplicate });
    options.onProgress?.(acknowledged);
  };

  for (const { message, publishAtMs } of messages) {
    await waitUntil(publishAtMs, options.ratePerSecond === undefined ? undefined : wallStart + (issued * 1000) / options.ratePerSecond);
    while (inFlight.length >= window) await settle(inFlight.shift()!);

    inFlight.push(publishOne(js, message));
    issued += 1;
  }
  while (inFlight.length > 0) await settle(inFlight.shift()!);

  return { published: acknowledged, duplicates, elapsedMs: performance.now() - startedAt };
}

function publishOne(js: JetStreamClient, message: CrmMessage): Promise<Settled> {
  const headers = natsHeaders();
  headers.set(HEADER.contentType, JSON_CONTENT_TYPE);
  headers.set(HEADER.crmObjectId, encodeKeyToken(message.objectId));
  const data = encoder.encode(JSON.stringify(message.body));
  const publishedAtMs = Date.now();

  return js.publish(message.subject, data, { msgID: message.msgId, headers }).then(
    (ack): Settled => ({ ok: true, ack, message, publishedAtMs }),
    (error: unknown): Settled => ({ ok: false, error, message }),
  );
}

async function waitUntil(...times: Array<number | undefined>): Promise<void> {
  const due = Math.max(...times.map((time) => time ?? 0));
  const waitMs = due - Date.now();
  if (waitMs >= MIN_SLEEP_MS) await sleep(waitMs);
}
