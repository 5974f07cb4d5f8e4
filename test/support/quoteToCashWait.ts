import { setTimeout as sleep } from 'node:timers/promises';
import type { JetStreamManager } from '@nats-io/jetstream';
import type { OrdoNode } from '../../src/ordoNode.ts';
import type { EntityRecord, HistoryRow } from '../../src/store/records.ts';
import { STREAM } from '../../src/subjects.ts';

const POLL_MS = 25;

/** Waits until the entity's stored state satisfies `expected` (a state name, or a test on the record). */
export async function waitForEntity(
  node: OrdoNode,
  entityType: string,
  key: string,
  expected: string | ((record: EntityRecord) => boolean),
  timeoutMs = 20_000,
): Promise<EntityRecord> {
  const matches = typeof expected === 'string' ? (record: EntityRecord) => record.state === expected : expected;
  const deadline = Date.now() + timeoutMs;

  for (;;) {
    const record = node.store.getEntity(entityType, key);
    if (record && matches(record)) return record;
    if (Date.now() > deadline) {
      const expectation = typeof expected === 'string' ? `state ${JSON.stringify(expected)}` : 'the expected condition';
      throw new Error(`${entityType} ${JSON.stringify(key)} did not reach ${expectation} within ${timeoutMs} ms; it is ${describeEntity(node, entityType, key)}`);
    }
    await sleep(POLL_MS);
  }
}

/** Returns the entity's machine context as stored in LMDB. */
export function contextOf<T = Record<string, any>>(node: OrdoNode, entityType: string, key: string): T {
  const record = node.store.getEntity(entityType, key);
  if (!record) throw new Error(`${entityType} ${JSON.stringify(key)} does not exist in the node's store`);
  return (record.snapshot as { context: T }).context;
}

/** Returns the entity's history, oldest first. */
export function historyOf(node: OrdoNode, entityType: string, key: string): HistoryRow[] {
  return node.store.historyOf(entityType, key, { limit: 1000 }).slice().sort((a, b) => a.seq - b.seq);
}

/** Describes an entity for failure messages: state and the last history rows. */
export function describeEntity(node: OrdoNode, entityType: string, key: string): string {
  const record = node.store.getEntity(entityType, key);
  if (!record) return 'missing';
  const rows = historyOf(node, entityType, key)
    .slice(-8)
    .map((row) => `${row.eventType}:${row.from}->${row.to}:${row.outcome}`);
  return `in ${JSON.stringify(record.state)} after [${rows.join(', ')}]`;
}

export interface OutboundEvent {
  seq: number;
  subject: string;
  payload: { entityType: string; key: string; effectId: string; eventTime: string; event: { type: string; [field: string]: any } };
}

/** Reads every message of the outbound events stream whose subject matches `filter` (wildcards allowed). */
export async function readOutboundEvents(jsm: JetStreamManager, filter = 'ordo.events.>'): Promise<OutboundEvent[]> {
  const events: OutboundEvent[] = [];
  let seq = 1;
  for (;;) {
    // The server's message-get API accepts `next_by_subj`; the client's type leaves it out.
    const query = { seq, next_by_subj: filter } as unknown as { seq: number };
    const stored = await jsm.streams.getMessage(STREAM.events, query).catch(() => null);
    if (!stored) return events;
    events.push({ seq: stored.seq, subject: stored.subject, payload: stored.json() });
    seq = stored.seq + 1;
  }
}

/** Reads the CRM exceptions raised for one entity, oldest first. */
export async function crmExceptionsOf(jsm: JetStreamManager, entityType: string, key: string): Promise<Array<{ reason: string; message: string; details?: Record<string, unknown> }>> {
  const events = await readOutboundEvents(jsm, `ordo.events.${entityType}.crm.exception.raised`);
  return events
    .filter((event) => event.payload.key === key)
    .map((event) => event.payload.event as unknown as { reason: string; message: string; details?: Record<string, unknown> });
}

/** Polls `read` until it returns a value `done` accepts; for results that arrive through NATS after the node is idle. */
export async function waitForValue<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await sleep(POLL_MS * 4);
  }
}
