import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { OrdoNode } from '../../ordoNode.ts';
import type { DeadLetterRecord } from '../deadLetters/deadLetterRecord.ts';
import { listDeadLetters, readDeadLetter } from '../deadLetters/deadLetterReader.ts';
import { discardDeadLetter } from '../deadLetters/discardDeadLetter.ts';
import { replayDeadLetter } from '../deadLetters/replayDeadLetter.ts';
import { errorResponses } from '../errorResponse.ts';
import { requireOperator } from '../requireOperator.ts';

const PREVIEW_CHARS = 2_000;

const SeqParams = Type.Object({ seq: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'Sequence of the dead letter in the ORDO_DLQ stream.' }) });
type SeqParams = Static<typeof SeqParams>;

const ListQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  cursor: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'Start at this stream sequence: the nextCursor of the previous page.' })),
  include: Type.Optional(Type.Literal('audit', { description: 'Also list the audit records of discarded letters.' })),
});
type ListQuery = Static<typeof ListQuery>;

const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

const Summary = Type.Object({
  seq: Type.Integer(),
  time: Type.String({ format: 'date-time' }),
  origin: Type.String({ description: 'inbox, crm, effect, or audit for the record of a discarded letter.' }),
  code: Nullable(Type.String()),
  message: Nullable(Type.String()),
  entity: Type.Union([Type.Object({ type: Type.String(), key: Nullable(Type.String()), keyToken: Nullable(Type.String()) }), Type.Null()]),
  original: Type.Object({
    stream: Nullable(Type.String()),
    subject: Nullable(Type.String()),
    seq: Type.Union([Type.Integer(), Type.Null()]),
    msgId: Nullable(Type.String()),
  }),
  replayOf: Type.Union([Type.Integer(), Type.Null()], { description: 'Sequence of the dead letter this message was a replay of.' }),
  audit: Type.Union([
    Type.Object({ discardedSeq: Type.Integer(), discardedBy: Type.String(), discardedAt: Type.String(), reason: Nullable(Type.String()) }),
    Type.Null(),
  ]),
});

const Detail = Type.Composite([
  Summary,
  Type.Object({
    subject: Type.String(),
    payloadBase64: Type.String({ description: 'The original message body, byte for byte.' }),
    payloadPreview: Type.String({ description: `The body decoded as UTF-8 (invalid bytes replaced), first ${PREVIEW_CHARS} characters.` }),
    payloadBytes: Type.Integer(),
    originalHeaders: Type.Record(Type.String(), Type.String()),
    headers: Type.Record(Type.String(), Type.String()),
  }),
]);

const Page = Type.Object({ items: Type.Array(Summary), nextCursor: Type.Optional(Type.Integer()) });

const ReplayBody = Type.Object(
  {
    entityType: Type.Optional(Type.String({ minLength: 1 })),
    key: Type.Optional(Type.String({ minLength: 1 })),
    objectId: Type.Optional(Type.String({ minLength: 1, description: 'CRM object id, for CRM letters without an Ordo-Object-Id header.' })),
  },
  { additionalProperties: false },
);
type ReplayBody = Static<typeof ReplayBody>;

const ReplayResult = Type.Object({
  replayOf: Type.Integer(),
  subject: Type.String(),
  msgId: Type.String(),
  stream: Type.String(),
  seq: Type.Integer(),
  duplicate: Type.Boolean(),
});

const DiscardBody = Type.Object({ reason: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false });
type DiscardBody = Static<typeof DiscardBody>;

const DiscardResult = Type.Object({
  seq: Type.Integer(),
  auditSeq: Type.Integer(),
  discardedBy: Type.String(),
  discardedAt: Type.String({ format: 'date-time' }),
  reason: Nullable(Type.String()),
});

const OperatorHeaders = Type.Object({
  'x-ordo-sender': Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7e]+$' })),
});
type OperatorHeaders = Static<typeof OperatorHeaders>;

/** Registers listing, inspection, replay and discard of dead letters. */
export function deadLetterRoutes(app: FastifyInstance, node: OrdoNode): void {
  const operatorOnly = requireOperator(node.config.apiToken);

  app.get<{ Querystring: ListQuery }>('/v1/dead-letters', {
    schema: {
      summary: 'List dead letters, oldest first',
      tags: ['dead letters'],
      querystring: ListQuery,
      response: { 200: Page, ...errorResponses(400, 503) },
    },
  }, async (request) => {
    const { limit, cursor, include } = request.query;
    const page = await listDeadLetters(node, { limit, cursor, includeAudit: include === 'audit' });
    return { items: page.items.map(summary), ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }) };
  });

  app.get<{ Params: SeqParams }>('/v1/dead-letters/:seq', {
    schema: {
      summary: 'Show one dead letter with its original payload and headers',
      tags: ['dead letters'],
      params: SeqParams,
      response: { 200: Detail, ...errorResponses(400, 404, 503) },
    },
  }, async (request) => detail(await readDeadLetter(node, request.params.seq)));

  app.post<{ Params: SeqParams; Body: ReplayBody; Headers: OperatorHeaders }>('/v1/dead-letters/:seq/replay', {
    onRequest: operatorOnly,
    preValidation: emptyBodyAsObject,
    schema: {
      summary: 'Republish a dead letter where it first arrived, with a new message id',
      description: 'Inbox letters go to ordo.in.<type>.<key>, CRM letters to crm.<source>.<object>.<objectId>. Idempotency-Key makes a retried request publish the same message id.',
      tags: ['dead letters'],
      security: [{ bearer: [] }],
      params: SeqParams,
      headers: OperatorHeaders,
      body: ReplayBody,
      response: { 202: ReplayResult, ...errorResponses(400, 401, 404, 409, 503) },
    },
  }, async (request, reply) => {
    const body = request.body;
    const token = request.headers['idempotency-key'] ?? randomUUID();
    const result = await replayDeadLetter(node, request.params.seq, { ...body, token });

    request.log.info({ dlqSeq: request.params.seq, subject: result.subject, msgId: result.msgId, seq: result.seq, sender: request.headers['x-ordo-sender'] ?? 'operator' }, 'dead letter replayed');
    return reply.code(202).send(result);
  });

  app.post<{ Params: SeqParams; Body: DiscardBody; Headers: OperatorHeaders }>('/v1/dead-letters/:seq/discard', {
    onRequest: operatorOnly,
    preValidation: emptyBodyAsObject,
    schema: {
      summary: 'Remove a dead letter, keeping an audit record on ordo.dlq.audit.<seq>',
      tags: ['dead letters'],
      security: [{ bearer: [] }],
      params: SeqParams,
      headers: OperatorHeaders,
      body: DiscardBody,
      response: { 200: DiscardResult, ...errorResponses(400, 401, 404, 409, 503) },
    },
  }, async (request) => {
    const by = request.headers['x-ordo-sender'] ?? 'operator';
    const result = await discardDeadLetter(node, request.params.seq, { by, reason: request.body.reason, nowMs: Date.now() });

    request.log.info({ dlqSeq: result.seq, auditSeq: result.auditSeq, by, reason: result.reason }, 'dead letter discarded');
    return result;
  });
}

// Both POST bodies are optional, and a request without a body (curl -X POST) should mean `{}`.
async function emptyBodyAsObject(request: FastifyRequest): Promise<void> {
  request.body ??= {};
}

function summary(letter: DeadLetterRecord): Static<typeof Summary> {
  return {
    seq: letter.seq,
    time: letter.time,
    origin: letter.origin,
    code: letter.code,
    message: letter.message,
    entity: letter.entity,
    original: letter.original,
    replayOf: letter.replayOf,
    audit: letter.audit,
  };
}

function detail(letter: DeadLetterRecord): Static<typeof Detail> {
  const payload = Buffer.from(letter.data.buffer, letter.data.byteOffset, letter.data.byteLength);
  return {
    ...summary(letter),
    subject: letter.subject,
    payloadBase64: payload.toString('base64'),
    payloadPreview: new TextDecoder('utf-8').decode(letter.data).slice(0, PREVIEW_CHARS),
    payloadBytes: letter.data.byteLength,
    originalHeaders: letter.originalHeaders,
    headers: letter.headers,
  };
}
