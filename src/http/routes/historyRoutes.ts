import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { OrdoError } from '../../errors.ts';
import type { OrdoNode } from '../../ordoNode.ts';
import type { HistoryRow } from '../../store/records.ts';
import { entityAddress } from '../entityAddress.ts';
import { errorResponses } from '../errorResponse.ts';
import { isoTime } from '../isoTime.ts';
import { EntityParams } from './entityRoutes.ts';

const HistoryQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 50 }),
  before: Type.Optional(Type.Integer({ minimum: 1, description: 'Return rows with a sequence below this one: the nextCursor of the previous page.' })),
});
type HistoryQuery = Static<typeof HistoryQuery>;

const HistoryEntry = Type.Object({
  seq: Type.Integer(),
  eventType: Type.String(),
  msgId: Type.String(),
  from: Type.Union([Type.String(), Type.Null()]),
  to: Type.String(),
  outcome: Type.String({ description: 'applied, ignored, duplicate, staleTimer or deadLettered.' }),
  effects: Type.Array(Type.String()),
  notes: Type.Array(Type.Object({ note: Type.String(), details: Type.Optional(Type.Record(Type.String(), Type.Unknown())) })),
  eventTime: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  sender: Type.Union([Type.String(), Type.Null()]),
});

const HistoryPage = Type.Object({
  items: Type.Array(HistoryEntry),
  nextCursor: Type.Optional(Type.Integer({ description: 'Pass as before= for the next (older) page; absent on the last page.' })),
});

/** Registers the history of one entity, newest first. */
export function historyRoutes(app: FastifyInstance, node: OrdoNode): void {
  app.get<{ Params: Static<typeof EntityParams>; Querystring: HistoryQuery }>('/v1/entities/:type/:key/history', {
    schema: {
      summary: 'List the transitions of one entity, newest first',
      description: `History is bounded per entity (historyLimit, default 100); older rows are pruned.`,
      tags: ['entities'],
      params: EntityParams,
      querystring: HistoryQuery,
      response: { 200: HistoryPage, ...errorResponses(400, 404) },
    },
  }, async (request) => {
    const { definition, key } = entityAddress(node, request.params);
    if (!node.store.getEntity(definition.type, key)) {
      throw new OrdoError('ERR_ENTITY_NOT_FOUND', `No ${definition.type} entity with key ${JSON.stringify(key)}; check the key or list keys with GET /v1/entities/${definition.type}.`);
    }

    const { limit, before } = request.query;
    // Fetching one row more than requested shows whether another page exists.
    const rows = node.store.historyOf(definition.type, key, { limit: limit + 1, beforeSeq: before });
    const page = rows.slice(0, limit);
    return {
      items: page.map(historyEntry),
      ...(rows.length > limit ? { nextCursor: page[page.length - 1]!.seq } : {}),
    };
  });
}

function historyEntry(row: HistoryRow): Static<typeof HistoryEntry> {
  return {
    seq: row.seq,
    eventType: row.eventType,
    msgId: row.msgId,
    from: row.from,
    to: row.to,
    outcome: row.outcome,
    effects: row.effects,
    notes: row.notes,
    eventTime: isoTime(row.eventTimeMs),
    sender: row.sender ?? null,
  };
}
