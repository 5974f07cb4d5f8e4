import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import swagger from '@fastify/swagger';
import type { OrdoNode } from '../ordoNode.ts';
import { ErrorResponse } from './errorResponse.ts';
import { installErrorHandlers } from './httpErrorHandler.ts';
import { HttpLogController } from './httpLogController.ts';
import { createNodeMetrics, type NodeMetrics } from './metrics/nodeMetrics.ts';
import { isLoopback } from './requireOperator.ts';
import { deadLetterRoutes } from './routes/deadLetterRoutes.ts';
import { entityRoutes } from './routes/entityRoutes.ts';
import { healthRoutes } from './routes/healthRoutes.ts';
import { historyRoutes } from './routes/historyRoutes.ts';
import { metricsRoutes } from './routes/metricsRoutes.ts';
import { openApiRoutes } from './routes/openApiRoutes.ts';
import { queryRoutes } from './routes/queryRoutes.ts';

export interface HttpOptions {
  /** Readiness fails when an owned partition lags this many inbox messages or more. Default 10000. */
  lagThreshold?: number;
  /** State of each connector's circuit breaker, by connector name, exported as a metric. */
  breakers?: Record<string, () => string>;
}

export interface HttpServer {
  app: FastifyInstance;
  /** Base URL the server listens on, such as `http://127.0.0.1:8470`. */
  url: string;
  close(): Promise<void>;
}

export const DEFAULT_LAG_THRESHOLD = 10_000;

// An encoded key of 256 UTF-8 bytes takes up to 768 characters in a path (%XX per byte).
const MAX_PARAM_LENGTH = 2_048;

/** Routes registered on each app, method and OpenAPI-style path, for the OpenAPI test and docs. */
const registeredRoutes = new WeakMap<FastifyInstance, Array<{ method: string; url: string }>>();

/** Builds the node's HTTP app without listening, for `app.inject()` and for `startHttpServer`. */
export async function buildHttpApp(node: OrdoNode, options: HttpOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: node.log.child({ component: 'http' }) as FastifyBaseLogger,
    logController: new HttpLogController(),
    exposeHeadRoutes: false,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // Errors Fastify raises before routing (a malformed percent-encoded path) get the API's error shape too.
    frameworkErrors: (error, _request, reply) => {
      const body = { error: { code: 'ERR_BAD_REQUEST', message: `${error.message}; percent-encode keys in paths with encodeURIComponent.` } };
      void (reply as FastifyReply).code(400).send(body);
    },
  });

  const routes: Array<{ method: string; url: string }> = [];
  registeredRoutes.set(app, routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Ordo node API', version: '1', description: 'Inspection and operations API served by every Ordo node.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, index) => String(json.$id ?? `def-${index}`) },
  });
  app.addSchema(ErrorResponse);
  installErrorHandlers(app);

  const metrics = createNodeMetrics(node, { breakers: options.breakers });
  app.addHook('onClose', async () => metrics.close());

  registerRoutes(app, node, metrics, options);
  await app.ready();
  return app;
}

/** Starts the node's HTTP server on `options.port`/`host` (default: the node's `httpPort`/`httpHost`). */
export async function startHttpServer(node: OrdoNode, options: HttpOptions & { port?: number; host?: string } = {}): Promise<HttpServer> {
  const host = options.host ?? node.config.httpHost;
  const port = options.port ?? node.config.httpPort;
  const app = await buildHttpApp(node, options);

  if (node.config.apiToken === undefined) {
    const exposure = isLoopback(host) || host === 'localhost' ? '' : ` although the server listens on ${host}`;
    node.log.warn({ host, port }, `no API token configured: mutating routes serve loopback clients only${exposure}; set ORDO_API_TOKEN to serve others`);
  }

  try {
    await app.listen({ host, port });
  } catch (error) {
    await app.close();
    if ((error as { code?: unknown }).code === 'EADDRINUSE') {
      throw new Error(`HTTP port ${port} on ${host} is already in use (another ordo start or demo?); stop that process or choose another port with --http-port.`, { cause: error });
    }
    throw error;
  }

  const address = app.server.address();
  const boundPort = typeof address === 'object' && address !== null ? address.port : port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${boundPort}`;
  node.log.info({ url }, 'http server started');

  return {
    app,
    url,
    close: async () => {
      await app.close();
      node.log.info({ url }, 'http server stopped');
    },
  };
}

/** Returns the method and path of every route registered on an app built by `buildHttpApp`. */
export function routesOf(app: FastifyInstance): Array<{ method: string; url: string }> {
  return [...(registeredRoutes.get(app) ?? [])];
}

function registerRoutes(app: FastifyInstance, node: OrdoNode, metrics: NodeMetrics, options: HttpOptions): void {
  entityRoutes(app, node);
  historyRoutes(app, node);
  queryRoutes(app, node);
  deadLetterRoutes(app, node);
  healthRoutes(app, node, { lagThreshold: options.lagThreshold ?? DEFAULT_LAG_THRESHOLD });
  metricsRoutes(app, metrics.registry);
  openApiRoutes(app);
}
