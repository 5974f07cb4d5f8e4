import type { FastifyInstance } from 'fastify';
import type { FaultProfile } from './faultProfile.ts';
import { CreditLimitSchema, FaultProfileSchema } from './requestSchemas.ts';
import type { SimulatorDependencies } from './simulatorDependencies.ts';

/**
 * Routes for tests and operators: document listings for reconciliation, call
 * statistics, and changes to tax configuration, credit limits and faults. Faults
 * never apply here, so reconciliation works while the document routes misbehave.
 */
export async function adminRoutes(app: FastifyInstance, deps: SimulatorDependencies): Promise<void> {
  const { ledger, faults, stats } = deps;
  const { store, rules } = ledger;

  app.get('/health', async () => ({ ok: true }));

  app.get('/customers', async () => ({ items: [...store.customers.values()].map((customer) => ledger.customerView(customer)) }));
  app.get('/sales-orders', async () => ({ items: [...store.salesOrders.values()] }));
  app.get('/invoices', async () => ({ items: [...store.invoices.values()] }));

  app.get('/stats', async () => ({
    documents: {
      customers: store.customers.size,
      salesOrders: countBy(store.salesOrders.values(), (order) => order.status),
      invoices: countBy(store.invoices.values(), (invoice) => invoice.status),
    },
    idempotencyKeys: store.idempotency.size,
    calls: stats.snapshot(),
  }));

  app.put('/admin/tax-countries/:country', async (request) => {
    const { country } = request.params as { country: string };
    rules.taxCountries.add(country.toUpperCase());
    return { taxCountries: [...rules.taxCountries] };
  });

  app.delete('/admin/tax-countries/:country', async (request) => {
    const { country } = request.params as { country: string };
    rules.taxCountries.delete(country.toUpperCase());
    return { taxCountries: [...rules.taxCountries] };
  });

  app.put('/admin/credit-limits/:accountId', { schema: { body: CreditLimitSchema } }, async (request) => {
    const { accountId } = request.params as { accountId: string };
    const { amountMinor } = request.body as { amountMinor: number };
    rules.creditLimits.set(accountId, amountMinor);
    return { accountId, amountMinor };
  });

  app.post('/admin/faults', { schema: { body: FaultProfileSchema } }, async (request, reply) => {
    try {
      faults.replace(request.body as FaultProfile);
    } catch (error) {
      return reply.code(400).send({ error: 'validationFailed', message: (error as Error).message });
    }
    return { faults: faults.profile };
  });

  app.delete('/admin/faults', async () => {
    faults.replace(undefined);
    return { faults: null };
  });
}

function countBy<T>(items: Iterable<T>, keyOf: (item: T) => string): { total: number } & Record<string, number> {
  const counts: { total: number } & Record<string, number> = { total: 0 };
  for (const item of items) {
    const key = keyOf(item);
    counts[key] = (counts[key] ?? 0) + 1;
    counts.total += 1;
  }
  return counts;
}
