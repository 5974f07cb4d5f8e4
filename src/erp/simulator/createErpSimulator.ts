import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { adminRoutes } from './adminRoutes.ts';
import { documentRoutes } from './documentRoutes.ts';
import { ErpLedger, type LedgerRules } from './erpLedger.ts';
import { FaultInjector } from './faultProfile.ts';
import type { ErpSimulatorOptions } from './simulatorOptions.ts';
import { SimulatorStats } from './simulatorStats.ts';
import { SimulatorStore } from './simulatorStore.ts';

export interface ErpSimulator {
  app: FastifyInstance;
  /** Base URL, for example `http://127.0.0.1:40123`. */
  url: string;
  /** Ends held calls with 503, then stops listening. */
  close(): Promise<void>;
}

/** Starts an ERP simulator over HTTP. `ErpSimulatorOptions` describes its data, rules and faults. */
export async function createErpSimulator(options: ErpSimulatorOptions): Promise<ErpSimulator> {
  const store = new SimulatorStore(options.stateFile);
  const ledger = new ErpLedger(store, rulesFrom(options));
  const shutdown = new AbortController();
  const deps = { ledger, faults: new FaultInjector(options.faults), stats: new SimulatorStats(), shutdownSignal: shutdown.signal };

  // Without coercion or stripping, a request with "5" for 5 fails validation
  // here instead of passing against the simulator and failing against a real ERP.
  const app = Fastify({
    loggerInstance: options.logger,
    // Clients keep connections alive between calls; closing the simulator must not wait for them.
    forceCloseConnections: true,
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: true } },
  });
  app.setErrorHandler(errorReplier(deps.stats));
  if (options.token !== undefined) app.addHook('onRequest', bearerTokenCheck(options.token, deps.stats));

  await app.register(documentRoutes, deps);
  await app.register(adminRoutes, deps);

  const host = options.host ?? '127.0.0.1';
  await app.listen({ host, port: options.port ?? 0 });
  const { port } = app.server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  const close = async (): Promise<void> => {
    shutdown.abort();
    await app.close();
    store.save();
  };
  return { app, url, close };
}

function rulesFrom(options: ErpSimulatorOptions): LedgerRules {
  const catalogue = new Map(options.catalogue.map((product) => [product.productCode, product]));
  if (catalogue.size !== options.catalogue.length) {
    const codes = options.catalogue.map((product) => product.productCode);
    const repeated = codes.filter((code, index) => codes.indexOf(code) !== index);
    throw new Error(`ERP simulator catalogue lists product codes more than once: ${JSON.stringify([...new Set(repeated)])}`);
  }
  for (const product of options.catalogue) {
    if (!Number.isInteger(product.unitPriceMinor) || product.unitPriceMinor < 0) {
      throw new Error(`ERP simulator catalogue product ${JSON.stringify(product.productCode)} has unitPriceMinor ${product.unitPriceMinor}; use a non-negative integer`);
    }
  }

  return {
    catalogue,
    taxCountries: new Set(options.taxCountries.map((country) => country.toUpperCase())),
    creditLimits: new Map(Object.entries(options.creditLimits ?? {})),
    defaultCreditLimitMinor: options.defaultCreditLimitMinor,
    pricingTolerance: options.pricingTolerance,
  };
}

function bearerTokenCheck(token: string, stats: SimulatorStats) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const header = request.headers.authorization;
    if (header === `Bearer ${token}`) return undefined;

    const status = header === undefined ? 401 : 403;
    const operation = request.routeOptions.config.operation;
    if (operation !== undefined) stats.record(operation, 'unauthorized');
    const message = header === undefined ? 'Missing Authorization header; send "Authorization: Bearer <token>"' : 'The bearer token is not valid for this ERP; check the token the connector sends';
    return reply.code(status).send({ error: status === 401 ? 'unauthenticated' : 'forbidden', message });
  };
}

function errorReplier(stats: SimulatorStats) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    if (error.validation !== undefined) {
      const operation = request.routeOptions.config.operation;
      if (operation !== undefined) stats.record(operation, 'invalid');
      return reply.code(400).send({ error: 'validationFailed', message: error.message });
    }

    const status = error.statusCode ?? 500;
    if (status < 500) return reply.code(status).send({ error: error.code ?? 'badRequest', message: error.message });

    request.log.error({ err: error }, 'ERP simulator request failed');
    return reply.code(500).send({ error: 'internal', message: error.message });
  };
}
