import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';

/** Registers `GET /openapi.json`, the OpenAPI 3 document of every route. */
export function openApiRoutes(app: FastifyInstance): void {
  app.get('/openapi.json', {
    schema: {
      summary: 'OpenAPI 3 document of this API',
      tags: ['health'],
      response: { 200: Type.Object({ openapi: Type.String() }, { additionalProperties: true }) },
    },
  }, async () => app.swagger());
}
