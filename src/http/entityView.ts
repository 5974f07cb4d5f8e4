import { Type, type Static } from '@sinclair/typebox';
import type { EntityDefinition } from '../entityDefinition.ts';
import { OrdoError } from '../errors.ts';
import type { OrdoNode } from '../ordoNode.ts';
import { partitionOf } from '../partition.ts';
import { acceptedEvents } from './acceptedEvents.ts';
import { isoTime } from './isoTime.ts';

export const EntityView = Type.Object(
  {
    type: Type.String(),
    key: Type.String(),
    partition: Type.Integer(),
    owner: Type.Union([Type.String(), Type.Null()], { description: 'This node id when it owns the partition, else null.' }),
    state: Type.String({ description: 'State value as text: `a`, `a.b`, or JSON for parallel states.' }),
    status: Type.String({ description: 'XState snapshot status: active, done, error or stopped.' }),
    context: Type.Unknown({ description: 'Machine context from the persisted snapshot.' }),
    version: Type.Integer({ description: 'Inbox sequence of the last applied message.' }),
    createdAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    updatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    acceptedEvents: Type.Union([Type.Array(Type.String()), Type.Null()], {
      description: 'Event types with a transition from the current state (guards not evaluated); null when the snapshot cannot be restored.',
    }),
    timers: Type.Array(Type.Object({ timerId: Type.String(), dueAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]) })),
    pendingEffects: Type.Array(
      Type.Object({
        id: Type.String(),
        kind: Type.String(),
        seq: Type.Integer(),
        index: Type.Integer(),
        attempts: Type.Integer(),
        params: Type.Unknown(),
      }),
    ),
    historyCount: Type.Integer(),
  },
  { description: 'One entity as stored by this node.' },
);

export type EntityView = Static<typeof EntityView>;

/** Builds what `GET /v1/entities/:type/:key` returns, or throws `ERR_ENTITY_NOT_FOUND`. */
export function entityView(node: OrdoNode, definition: EntityDefinition, key: string): EntityView {
  const record = node.store.getEntity(definition.type, key);
  if (!record) {
    throw new OrdoError('ERR_ENTITY_NOT_FOUND', `No ${definition.type} entity with key ${JSON.stringify(key)}; check the key or list keys with GET /v1/entities/${definition.type}.`);
  }

  const partition = partitionOf(definition.type, key, node.config.partitions);
  return {
    type: definition.type,
    key,
    partition,
    owner: node.ownership.owns(partition) ? node.config.nodeId : null,
    state: record.state,
    status: record.status,
    context: (record.snapshot as { context?: unknown } | null)?.context ?? null,
    version: record.version,
    createdAt: isoTime(record.createdAtMs),
    updatedAt: isoTime(record.updatedAtMs),
    acceptedEvents: acceptedEvents(definition.machine, record.snapshot),
    timers: node.store.timersOf(definition.type, key).map((timer) => ({ timerId: timer.timerId, dueAt: isoTime(timer.dueMs) })),
    pendingEffects: node.store.pendingEffectsOf(definition.type, key, partition).map((entry) => ({
      id: entry.id,
      kind: entry.kind,
      seq: entry.seq,
      index: entry.index,
      attempts: entry.attempts,
      params: entry.params,
    })),
    historyCount: record.historyCount,
  };
}
