import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type {
  ErpCustomerRequest,
  ErpInvoiceRequest,
  ErpSalesOrderRequest,
} from '../erpConnector.ts';
import { canonicalJson } from './canonicalJson.ts';
import type { LedgerOutcome } from './erpLedger.ts';
import type { FaultDecision } from './faultProfile.ts';
import { CustomerUpsertSchema, InvoiceCreateSchema, ReasonBodySchema, SalesOrderCreateSchema } from './requestSchemas.ts';
import type { SimulatorDependencies } from './simulatorDependencies.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Names a document operation, for fault decisions and call statistics. */
    operation?: string;
  }
}

const faultDecisions = new WeakMap<FastifyRequest, FaultDecision>();

/**
 * Routes that create or change ERP documents. Each call needs an `Idempotency-Key`.
 * Faults come first, so a call that gets 503 or 429 creates nothing. The first response
 * to each key, business rejections included, is stored and replayed for the same
 * request, because a repeat must see the result the first call's caller may have acted on.
 */
export async function documentRoutes(app: FastifyInstance, deps: SimulatorDependencies): Promise<void> {
  // Decided on arrival, so the PRNG sequence follows the order calls reach the simulator.
  app.addHook('onRequest', async (request) => {
    const operation = request.routeOptions.config.operation;
    if (operation !== undefined) faultDecisions.set(request, deps.faults.decide(operation));
  });
  app.addHook('preHandler', async (request, reply) => {
    if (idempotencyKeyOf(request) === undefined) {
      return reply.code(400).send({ error: 'idempotencyKeyMissing', message: 'Document calls need an Idempotency-Key header' });
    }
    return applyFault(request, reply, deps);
  });

  const { ledger } = deps;
  const mutation = (execute: (request: FastifyRequest, key: string) => LedgerOutcome) =>
    (request: FastifyRequest, reply: FastifyReply) => handleMutation(request, reply, deps, execute);
  type OrderParams = { orderNumber: string };
  type InvoiceParams = { invoiceNumber: string };
  type ReasonBody = { reason?: string } | undefined;

  app.post('/customers', { schema: { body: CustomerUpsertSchema }, config: { operation: 'customer.upsert' } },
    mutation((request, key) => ledger.upsertCustomer(request.body as ErpCustomerRequest, key)));

  app.post('/sales-orders', { schema: { body: SalesOrderCreateSchema }, config: { operation: 'salesOrder.create' } },
    mutation((request, key) => ledger.createSalesOrder(request.body as ErpSalesOrderRequest, key)));

  app.post('/sales-orders/:orderNumber/cancel', { schema: { body: ReasonBodySchema }, config: { operation: 'salesOrder.cancel' } },
    mutation((request) => {
      const { orderNumber } = request.params as OrderParams;
      return ledger.cancelSalesOrder({ orderNumber, reason: (request.body as ReasonBody)?.reason });
    }));

  app.post('/invoices', { schema: { body: InvoiceCreateSchema }, config: { operation: 'invoice.create' } },
    mutation((request, key) => ledger.createInvoice(request.body as ErpInvoiceRequest, key)));

  app.post('/invoices/:invoiceNumber/void', { schema: { body: ReasonBodySchema }, config: { operation: 'invoice.void' } },
    mutation((request) => {
      const { invoiceNumber } = request.params as InvoiceParams;
      return ledger.voidInvoice({ invoiceNumber, reason: (request.body as ReasonBody)?.reason });
    }));
}

function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const key = request.headers['idempotency-key'];
  return typeof key === 'string' && key !== '' ? key : undefined;
}

async function applyFault(request: FastifyRequest, reply: FastifyReply, deps: SimulatorDependencies): Promise<FastifyReply | undefined> {
  const decision = faultDecisions.get(request);
  const operation = request.routeOptions.config.operation!;
  if (decision === undefined) return undefined;

  if (!(await pause(decision.latencyMs, deps.shutdownSignal))) return replyShuttingDown(reply, deps, operation);

  if (decision.kind === 'unavailable') {
    deps.stats.record(operation, 'fault503');
    return reply.code(503).send({ error: 'serviceUnavailable', message: `Injected fault: ${operation} is unavailable; retry later` });
  }

  if (decision.kind === 'rateLimited') {
    deps.stats.record(operation, 'fault429');
    const seconds = decision.retryAfterSeconds ?? 1;
    reply.header('retry-after', String(seconds));
    return reply.code(429).send({ error: 'tooManyRequests', message: `Injected fault: rate limited; retry after ${seconds} s` });
  }

  // A hung call is processed once released, like an ERP that commits long after the
  // client gave up. Idempotency keys exist for this case.
  if (decision.kind === 'hang') {
    deps.stats.recordHang();
    if (!(await pause(decision.hangMs ?? 0, deps.shutdownSignal))) return replyShuttingDown(reply, deps, operation);
  }
  return undefined;
}

async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (ms <= 0) return !signal.aborted;
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

function replyShuttingDown(reply: FastifyReply, deps: SimulatorDependencies, operation: string): FastifyReply {
  deps.stats.record(operation, 'shuttingDown');
  return reply.code(503).send({ error: 'shuttingDown', message: 'The ERP simulator is shutting down; the call was not processed' });
}

function handleMutation(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: SimulatorDependencies,
  execute: (request: FastifyRequest, key: string) => LedgerOutcome,
): FastifyReply {
  const { store } = deps.ledger;
  const operation = request.routeOptions.config.operation!;
  const key = idempotencyKeyOf(request)!;
  const fingerprint = canonicalJson([request.method, request.url, request.body ?? null]);

  const first = store.idempotency.get(key);
  if (first !== undefined && first.fingerprint !== fingerprint) {
    deps.stats.record(operation, 'idempotencyConflict');
    const message = `Idempotency key ${JSON.stringify(key)} was first used for a different request; use a new key for a changed request`;
    return reply.code(409).send({ error: 'idempotencyConflict', message });
  }
  if (first !== undefined) {
    deps.stats.record(operation, 'replayed');
    return reply.code(first.status).header('idempotent-replayed', 'true').send(first.body);
  }

  const outcome = execute(request, key);

  // A copy, because later calls change the live records (cancel, void) and a replay must not show that.
  store.idempotency.set(key, { fingerprint, status: outcome.status, body: structuredClone(outcome.body) });
  store.saveSoon();
  deps.stats.record(operation, outcome.result);
  return reply.code(outcome.status).send(outcome.body);
}
