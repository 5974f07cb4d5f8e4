import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { OrdoNode } from '../../ordoNode.ts';
import { errorResponses } from '../errorResponse.ts';
import { isoTime } from '../isoTime.ts';
import { olderThanCutoff } from '../olderThan.ts';
import { countByState, listByState } from '../stateIndex.ts';

const TypeParams = Type.Object({ type: Type.String({ description: 'Entity type, such as order.' }) });
type TypeParams = Static<typeof TypeParams>;

const ListQuery = Type.Object({
  state: Type.Optional(Type.String({ minLength: 1, description: 'State value as text, such as submitting or rejected.waiting.' })),
  olderThan: Type.Optional(Type.String({ minLength: 1, description: 'Only entities last updated before this: a duration back from now (15m, 2h, 7d) or an ISO 8601 time.' })),
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  cursor: Type.Optional(Type.String({ description: 'nextCursor of the previous page.' })),
});
type ListQuery = Static<typeof ListQuery>;

const EntityListing = Type.Object({
  items: Type.Array(Type.Object({ key: Type.String(), state: Type.String(), updatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]) })),
  nextCursor: Type.Optional(Type.String()),
});

const StateCounts = Type.Object({
  type: Type.String(),
  total: Type.Integer(),
  states: Type.Record(Type.String(), Type.Integer()),
});

/** Registers listings and counts that read only the by-state index. */
export function queryRoutes(app: FastifyInstance, node: OrdoNode): void {
  app.get<{ Params: TypeParams; Querystring: ListQuery }>('/v1/entities/:type', {
    schema: {
      summary: 'List entities of a type by state, oldest update first',
      description: 'Reads only the by-state index. Without state, every state of the type is listed (in state order) and olderThan filters index keys.',
      tags: ['queries'],
      params: TypeParams,
      querystring: ListQuery,
      response: { 200: EntityListing, ...errorResponses(400) },
    },
  }, async (request) => {
    const definition = node.registry.require(request.params.type);
    const { state, olderThan, limit, cursor } = request.query;
    const updatedBeforeMs = olderThan === undefined ? undefined : olderThanCutoff(olderThan, Date.now());

    const listing = listByState(node.store, definition.type, { state, updatedBeforeMs, limit, cursor });
    return {
      items: listing.items.map((item) => ({ key: item.key, state: item.state, updatedAt: isoTime(item.updatedAtMs) })),
      ...(listing.nextCursor === undefined ? {} : { nextCursor: listing.nextCursor }),
    };
  });

  // A static segment wins over a parameter in Fastify's router, so this route
  // shadows the entity whose key is literally `stats`.
  app.get<{ Params: TypeParams }>('/v1/entities/:type/stats', {
    schema: {
      summary: 'Count entities of a type by state',
      description: 'Counts the by-state index keys of the type: one pass over them, no entity records read.',
      tags: ['queries'],
      params: TypeParams,
      response: { 200: StateCounts, ...errorResponses(400) },
    },
  }, async (request) => {
    const definition = node.registry.require(request.params.type);
    const counts = countByState(node.store, definition.type);
    let total = 0;
    for (const count of counts.values()) total += count;
    return { type: definition.type, total, states: Object.fromEntries(counts) };
  });
}
