import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { ERROR_CODES } from '../src/errors.ts';
import { buildHttpApp, routesOf } from '../src/http/startHttpServer.ts';
import { startNatsServer, type TestNatsServer } from './support/natsServer.ts';
import { startTestNode, type TestNodeHandle } from './support/testNode.ts';
import { waitForReaders } from './support/waitForReaders.ts';

interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema?: unknown }> }>; parameters?: unknown[] }>>;
  components: { schemas: Record<string, unknown> };
}

/** Error codes listed in the first column of the table under `## Error codes` in the docs. */
function documentedErrorCodes(): string[] {
  const text = readFileSync(new URL('../docs/http-api.md', import.meta.url), 'utf8');
  const section = text.split(/^## Error codes$/m)[1]!.split(/^## /m)[0]!;
  return [...section.matchAll(/^\| `(ERR_[A-Z_]+)` \|/gm)].map((match) => match[1]!);
}

describe('OpenAPI document', () => {
  let server: TestNatsServer;
  let handle: TestNodeHandle;
  let app: FastifyInstance;
  let document: OpenApiDocument;

  beforeAll(async () => {
    server = await startNatsServer();
    handle = await startTestNode(server.url);
    app = await buildHttpApp(handle.node);
    await waitForReaders(handle.node);
    const response = await app.inject({ url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    document = response.json();
  });

  afterAll(async () => {
    await app?.close();
    await handle?.dispose();
    await server?.stop();
  });

  it('is an OpenAPI 3 document', () => {
    expect(document.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(document.components.schemas.ErrorResponse).toBeDefined();
  });

  it('lists every registered route', () => {
    const routes = routesOf(app);
    expect(routes.length).toBeGreaterThanOrEqual(12);
    for (const route of routes) {
      const path = route.url.replace(/:(\w+)/g, '{$1}');
      expect(document.paths[path]?.[route.method.toLowerCase()], `${route.method} ${path}`).toBeDefined();
    }
  });

  it('gives every operation a success and error schema', () => {
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const statuses = Object.keys(operation.responses);
        expect(statuses.some((status) => status.startsWith('2')), `${method} ${path}`).toBe(true);
        for (const status of statuses.filter((code) => Number(code) >= 400)) {
          const schema = JSON.stringify(operation.responses[status]!.content?.['application/json']?.schema);
          expect(schema, `${method} ${path} ${status}`).toContain('ErrorResponse');
        }
      }
    }
  });

  it('matches the documented error codes', () => {
    expect(documentedErrorCodes().sort()).toEqual(Object.keys(ERROR_CODES).sort());
  });
});
