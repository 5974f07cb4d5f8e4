import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Registry } from 'prom-client';

/** Registers the Prometheus scrape endpoint. */
export function metricsRoutes(app: FastifyInstance, registry: Registry): void {
  app.get('/metrics', {
    schema: {
      summary: 'Prometheus metrics of this node, in the text exposition format',
      tags: ['health'],
      produces: [registry.contentType],
      response: { 200: Type.String({ description: 'Prometheus text exposition format.' }) },
    },
  }, async (_request, reply) => {
    const text = await registry.metrics();
    return reply.type(registry.contentType).send(text);
  });
}
