import { decodeBody } from './codec.ts';
import { deadLetterEntry, type DeadLetterParams } from './deadLetter.ts';
import { OrdoError } from './errors.ts';
import { HEADER } from './headers.ts';
import type { StreamMessage } from './inboxMessage.ts';
import { decodeKeyToken, encodeKeyToken } from './keys.ts';
import { partitionOfToken } from './partition.ts';
import type { Publisher } from './publisher.ts';
import { CommitBatch } from './store/commitBatch.ts';
import type { OrdoStore } from './store/ordoStore.ts';
import type { EntityEventInput } from './machineEffects.ts';

export interface CrmEventForMapping {
  source: string;
  object: string;
  /** `''` unless the bridge set the `Ordo-Object-Id` header: the stored subject has no id. */
  objectId: string;
  /** Whether an id from the body is one the server filed into this message's partition. */
  matchesObjectId: (id: string) => boolean;
  body: unknown;
  msgId: string;
}

export interface MappedCommand {
  entityType: string;
  key: string;
  event: EntityEventInput;
  msgId: string;
}

/** A pure function from one CRM event to entity commands; it throws for events it cannot map. */
export type CrmMapper = (input: CrmEventForMapping) => { commands: MappedCommand[] };

/**
 * Turns one CRM partition's messages into entity commands on the inbox. The
 * commands' message ids derive from the CRM event id, so re-reading a CRM
 * message after a crash republishes identical ids and JetStream drops them.
 * The watermark is committed only after every publish of the batch is acknowledged.
 */
export async function processCrmBatch(
  messages: StreamMessage[],
  options: {
    mapper: CrmMapper;
    publisher: Publisher;
    store: OrdoStore;
    partition: number;
    partitionCount: number;
    onDeadLetter?: (params: DeadLetterParams) => void;
  },
): Promise<void> {
  const { mapper, publisher, store, partition, partitionCount } = options;
  const publishes: Array<Promise<unknown>> = [];
  let watermark = store.getWatermark('crm', partition);

  for (const message of messages) {
    if (message.seq <= watermark) continue;
    publishes.push(...publishCommands(message, mapper, publisher, partitionCount, options.onDeadLetter));
    watermark = message.seq;
  }

  // Publishes are issued in order on one connection, so the inbox keeps CRM order per entity.
  await Promise.all(publishes);

  const batch = new CommitBatch();
  batch.watermarks.push(['crm', partition, watermark]);
  await store.commit(batch);
}

function publishCommands(
  message: StreamMessage,
  mapper: CrmMapper,
  publisher: Publisher,
  partitionCount: number,
  onDeadLetter: ((params: DeadLetterParams) => void) | undefined,
): Array<Promise<unknown>> {
  try {
    const input = crmInput(message, partitionCount);
    const { commands } = mapper(input);
    return commands.map((command) =>
      publisher.sendToEntity({ entityType: command.entityType, key: command.key, event: command.event, msgId: command.msgId }),
    );
  } catch (error) {
    const entry = deadLetterEntry(message, wrapMappingError(error), {});
    const params = { ...(entry.params as unknown as DeadLetterParams), origin: 'crm' as const };
    onDeadLetter?.(params);
    return [publisher.publishDeadLetter(params, `dlq:${message.stream}:${message.seq}`)];
  }
}

function crmInput(message: StreamMessage, partitionCount: number): CrmEventForMapping {
  // The stored subject is ordo.crmp.<partition>.<source>.<object>: the object id is in the body.
  const [, , , source, object] = message.subject.split('.');
  const body = decodeBody(message.data, message.headers[HEADER.contentType]);
  const msgId = message.headers[HEADER.msgId];
  if (!msgId) {
    throw new OrdoError('ERR_MESSAGE_INVALID', `CRM message ${message.seq} on ${message.subject} has no Nats-Msg-Id header; bridges must set it to the CRM's event id.`);
  }
  const matchesObjectId = (id: string) => id.length > 0 && partitionOfToken(encodeKeyToken(id), partitionCount) === message.partition;
  return { source: source!, object: object!, objectId: objectIdOf(message), matchesObjectId, body, msgId };
}

function objectIdOf(message: StreamMessage): string {
  const token = message.headers[HEADER.crmObjectId];
  return token === undefined ? '' : decodeKeyToken(token);
}

function wrapMappingError(error: unknown): unknown {
  if (error instanceof OrdoError) return error;
  const code = (error as { code?: unknown })?.code;
  return Object.assign(new OrdoError('ERR_CRM_MAPPING_FAILED', (error as Error)?.message ?? String(error), { cause: error }), typeof code === 'string' ? { code } : {});
}
