import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { OrdoError } from '../../errors.ts';
import type { OrdoNode } from '../../ordoNode.ts';
import { entityAddress } from '../entityAddress.ts';
import { EntityView, entityView } from '../entityView.ts';
import { errorResponses } from '../errorResponse.ts';
import { requireOperator } from '../requireOperator.ts';

export const EntityParams = Type.Object({
  type: Type.String({ description: 'Entity type, such as order.' }),
  key: Type.String({ description: 'Entity key, percent-encoded in the path (encodeURIComponent).' }),
});
type EntityParams = Static<typeof EntityParams>;

const OperatorEvent = Type.Object(
  { type: Type.String({ minLength: 1, description: 'Event type the entity machine accepts.' }) },
  { additionalProperties: true, description: 'The command: its type and payload fields side by side.' },
);
type OperatorEvent = Static<typeof OperatorEvent>;

const OperatorHeaders = Type.Object({
  'x-ordo-sender': Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Who sends the command; recorded in history. Default operator.' })),
  'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7e]+$', description: 'Makes a retried request publish the same message id, so it is applied once.' })),
});
type OperatorHeaders = Static<typeof OperatorHeaders>;

const Accepted = Type.Object({
  msgId: Type.String(),
  stream: Type.String(),
  seq: Type.Integer({ description: 'Inbox stream sequence of the published command.' }),
  duplicate: Type.Boolean({ description: 'True when JetStream already held a message with this id (a retried request).' }),
});

/** Registers entity inspection and operator commands. */
export function entityRoutes(app: FastifyInstance, node: OrdoNode): void {
  app.get<{ Params: EntityParams }>('/v1/entities/:type/:key', {
    schema: {
      summary: 'Show one entity: state, context, timers, pending effects and accepted events',
      tags: ['entities'],
      params: EntityParams,
      response: { 200: EntityView, ...errorResponses(400, 404) },
    },
  }, async (request) => {
    const { definition, key } = entityAddress(node, request.params);
    return entityView(node, definition, key);
  });

  app.post<{ Params: EntityParams; Body: OperatorEvent; Headers: OperatorHeaders }>('/v1/entities/:type/:key/events', {
    onRequest: requireOperator(node.config.apiToken),
    schema: {
      summary: 'Send a command to an entity through its inbox, as an operator',
      tags: ['entities'],
      security: [{ bearer: [] }],
      params: EntityParams,
      headers: OperatorHeaders,
      body: OperatorEvent,
      response: { 202: Accepted, ...errorResponses(400, 401, 503) },
    },
  }, async (request, reply) => {
    const { definition, key } = entityAddress(node, request.params);
    const event = request.body;

    if (event.type.startsWith('xstate.')) {
      throw new OrdoError('ERR_MESSAGE_INVALID', `Event type ${JSON.stringify(event.type)} is internal to XState and only timers may send it; send one of the entity's commands.`);
    }
    // ERP results come only from the ERP effect handler; an operator sending one would forge a document.
    if (event.type.startsWith('erp.')) {
      throw new OrdoError('ERR_MESSAGE_INVALID', `Event type ${JSON.stringify(event.type)} is an ERP result and only the ERP connector may send it; to act on an entity, send a command such as order.retry or order.cancel.`);
    }

    const check = definition.validateCommand?.(event);
    if (check && !check.ok) {
      throw new OrdoError('ERR_MESSAGE_INVALID', `Command ${event.type} for ${definition.type} ${JSON.stringify(key)} is invalid: ${check.errors.join('; ')}`, { details: { errors: check.errors } });
    }

    const idempotencyKey = request.headers['idempotency-key'];
    const msgId = `operator:${idempotencyKey ?? randomUUID()}`;
    const sender = request.headers['x-ordo-sender'] ?? 'operator';
    const ack = await node.publisher.sendToEntity({ entityType: definition.type, key, event, msgId, sender });

    request.log.info({ entityType: definition.type, key, eventType: event.type, msgId, seq: ack.seq, sender }, 'operator command published');
    return reply.code(202).send({ msgId, stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate });
  });
}
