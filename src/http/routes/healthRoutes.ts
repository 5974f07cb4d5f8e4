import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { OrdoNode } from '../../ordoNode.ts';
import { errorResponses } from '../errorResponse.ts';
import { sendError } from '../httpErrorHandler.ts';
import { checkReadiness } from '../readiness.ts';

const Live = Type.Object({ status: Type.Literal('ok'), nodeId: Type.String() });

const Ready = Type.Object({
  status: Type.Literal('ready'),
  nodeId: Type.String(),
  ownedPartitions: Type.Integer(),
  maxLag: Type.Union([Type.Integer(), Type.Null()]),
  lagThreshold: Type.Integer(),
});

/** Registers the liveness and readiness probes. */
export function healthRoutes(app: FastifyInstance, node: OrdoNode, options: { lagThreshold: number }): void {
  app.get('/healthz', {
    schema: { summary: 'Liveness: 200 while the process serves HTTP', tags: ['health'], response: { 200: Live } },
  }, async () => ({ status: 'ok' as const, nodeId: node.config.nodeId }));

  app.get('/readyz', {
    schema: {
      summary: 'Readiness: NATS connected, streams present, partitions owned, lag below the threshold',
      description: 'A 503 lists every failed check in error.details.reasons.',
      tags: ['health'],
      response: { 200: Ready, ...errorResponses(503) },
    },
  }, async (_request, reply) => {
    const readiness = await checkReadiness(node, options.lagThreshold);
    if (!readiness.ready) {
      return sendError(reply, 503, {
        error: { code: 'ERR_NOT_READY', message: `Node ${node.config.nodeId} is not ready: ${readiness.reasons.join('; ')}.`, details: { ...readiness } },
      });
    }
    return { status: 'ready' as const, nodeId: node.config.nodeId, ownedPartitions: readiness.ownedPartitions, maxLag: readiness.maxLag, lagThreshold: readiness.lagThreshold };
  });
}
