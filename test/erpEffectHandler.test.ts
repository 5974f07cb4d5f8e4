import { afterEach, describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../src/effects/circuitBreaker.ts';
import { FatalEffectError, RetryableEffectError } from '../src/effects/effectErrors.ts';
import type { EffectContext, EntityCommandToSend } from '../src/effects/effectHandler.ts';
import type { OutboxEntry } from '../src/effects/outboxEntry.ts';
import { ErpEffectHandler } from '../src/erp/erpEffectHandler.ts';
import { HttpErpConnector } from '../src/erp/httpErpConnector.ts';
import type { ErpSimulatorOptions } from '../src/erp/simulator/simulatorOptions.ts';
import { startErpFixture, usd, type ErpFixture } from './support/erpFixtures.ts';

let fixture: ErpFixture | undefined;
afterEach(async () => {
  await fixture?.simulator.close();
  fixture = undefined;
});

/** An EffectContext that records what the handler sends instead of publishing it. */
function recordingContext(): EffectContext & { sent: EntityCommandToSend[] } {
  const sent: EntityCommandToSend[] = [];
  return {
    sent,
    signal: new AbortController().signal,
    async sendToEntity(command) {
      sent.push(command);
    },
    async publishEvent() {
      throw new Error('the ERP handler must not publish events');
    },
  };
}

let seq = 0;
function outboxEntry(kind: string, params: Record<string, unknown>, entityType = 'order', key = 'opp-1'): OutboxEntry {
  seq += 1;
  return { id: `5:${seq}:0`, partition: 5, seq, index: 0, entityType, key, kind, params, eventTimeMs: 0, attempts: 0 };
}

async function startHandler(options: Partial<ErpSimulatorOptions> = {}, breaker?: CircuitBreaker): Promise<ErpEffectHandler> {
  fixture = await startErpFixture(options);
  return new ErpEffectHandler({ connector: fixture.connector, connectorName: 'simulator', breaker });
}

const CUSTOMER = { accountId: 'acc-1', name: 'Acme', country: 'US' };

describe('ERP effect handler', () => {
  it('runs quote-to-cash calls and sends result events', async () => {
    const handler = await startHandler();
    const context = recordingContext();

    const upsert = outboxEntry('erp.customer.upsert', { idempotencyKey: 'customer:acc-1:upsert:1', customer: CUSTOMER }, 'customer', 'acc-1');
    await handler.execute(upsert, context);
    const order = { orderKey: 'opp-1', customerNumber: 'C-000001', productCode: 'WIDGET', quantity: 2, amount: usd(20_000) };
    await handler.execute(outboxEntry('erp.salesOrder.create', { idempotencyKey: 'order:opp-1:create:1', order }), context);
    const invoice = { ...order, orderNumber: 'SO-000001' };
    await handler.execute(outboxEntry('erp.invoice.create', { idempotencyKey: 'invoice:opp-1:create', invoice }, 'invoice'), context);
    await handler.execute(outboxEntry('erp.invoice.void', { idempotencyKey: 'invoice:opp-1:void', invoiceNumber: 'INV-000001' }, 'invoice'), context);
    await handler.execute(outboxEntry('erp.salesOrder.cancel', { idempotencyKey: 'order:opp-1:cancel', orderNumber: 'SO-000001' }), context);

    expect(context.sent.map((command) => command.event)).toEqual([
      { type: 'erp.customer.upserted', customerNumber: 'C-000001' },
      { type: 'erp.salesOrder.created', orderNumber: 'SO-000001' },
      { type: 'erp.invoice.created', invoiceNumber: 'INV-000001' },
      { type: 'erp.invoice.voided', invoiceNumber: 'INV-000001' },
      { type: 'erp.salesOrder.cancelled', orderNumber: 'SO-000001' },
    ]);
    expect(context.sent[0]).toMatchObject({ entityType: 'customer', key: 'acc-1', msgId: `${upsert.id}:result` });
    expect(context.sent[2]).toMatchObject({ entityType: 'invoice', key: 'opp-1' });
  });

  it('rejection is sent back as an event', async () => {
    const handler = await startHandler();
    const context = recordingContext();
    await handler.execute(outboxEntry('erp.customer.upsert', { idempotencyKey: 'c1', customer: CUSTOMER }, 'customer', 'acc-1'), context);

    const order = { orderKey: 'opp-1', customerNumber: 'C-000001', productCode: 'NOPE', quantity: 1, amount: usd(1) };
    const entry = outboxEntry('erp.salesOrder.create', { idempotencyKey: 'o1', order });
    await handler.execute(entry, context);

    expect(context.sent[1]).toMatchObject({ entityType: 'order', key: 'opp-1', msgId: `${entry.id}:result` });
    expect(context.sent[1]!.event).toEqual({
      type: 'erp.salesOrder.rejected',
      operation: 'erp.salesOrder.create',
      reason: 'unknownProduct',
      message: expect.stringContaining('"NOPE"'),
    });
  });

  it('transient failure throws retryable and retry succeeds', async () => {
    const handler = await startHandler({ faults: { seed: 1, failFirstN: 1 } });
    const context = recordingContext();
    const entry = outboxEntry('erp.customer.upsert', { idempotencyKey: 'c1', customer: CUSTOMER }, 'customer', 'acc-1');

    const error = await handler.execute(entry, context).catch((e) => e);
    await handler.execute(entry, context);

    expect(error).toBeInstanceOf(RetryableEffectError);
    expect(error.message).toContain('HTTP 503');
    expect(context.sent).toHaveLength(1);
  });

  it('429 passes Retry-After to the executor', async () => {
    const handler = await startHandler({ faults: { seed: 1, rate429: 1, retryAfterSeconds: 4 } });

    const entry = outboxEntry('erp.customer.upsert', { idempotencyKey: 'c1', customer: CUSTOMER }, 'customer', 'acc-1');
    const error = await handler.execute(entry, recordingContext()).catch((e) => e);

    expect(error).toBeInstanceOf(RetryableEffectError);
    expect(error.retryAfterMs).toBe(4_000);
  });

  it('authentication failure is fatal with ERP code', async () => {
    fixture = await startErpFixture({ token: 'secret' });
    const connector = new HttpErpConnector({ baseUrl: fixture.simulator.url, token: 'stale' });
    const handler = new ErpEffectHandler({ connector, connectorName: 'simulator' });

    const entry = outboxEntry('erp.customer.upsert', { idempotencyKey: 'c1', customer: CUSTOMER }, 'customer', 'acc-1');
    const error = await handler.execute(entry, recordingContext()).catch((e) => e);

    expect(error).toBeInstanceOf(FatalEffectError);
    expect(error.code).toBe('ERR_ERP_AUTHENTICATION');
  });

  it('missing idempotency key is fatal', async () => {
    const handler = await startHandler();

    const entry = outboxEntry('erp.customer.upsert', { customer: CUSTOMER }, 'customer', 'acc-1');
    const error = await handler.execute(entry, recordingContext()).catch((e) => e);

    expect(error).toBeInstanceOf(FatalEffectError);
    expect(error.code).toBe('ERR_ERP_IDEMPOTENCY_KEY_MISSING');
    const stats = await fixture!.request('GET', '/stats');
    expect(stats.body.calls.total).toBe(0);
  });

  it('missing request object is fatal', async () => {
    const handler = await startHandler();

    const error = await handler.execute(outboxEntry('erp.salesOrder.create', { idempotencyKey: 'k' }), recordingContext()).catch((e) => e);

    expect(error).toBeInstanceOf(FatalEffectError);
    expect(error.code).toBe('ERR_ERP_PARAMS_INVALID');
  });

  it('unknown erp kind is fatal', async () => {
    const handler = await startHandler();

    const error = await handler.execute(outboxEntry('erp.payment.capture', { idempotencyKey: 'k' }), recordingContext()).catch((e) => e);

    expect(error).toBeInstanceOf(FatalEffectError);
    expect(error.code).toBe('ERR_EFFECT_UNKNOWN_KIND');
    expect(error.message).toContain('"erp.payment.capture"');
  });

  it('open breaker holds calls back until half-open', async () => {
    let nowMs = 1_000;
    const breaker = new CircuitBreaker({ failureThreshold: 2, openMs: 5_000, now: () => nowMs });
    const handler = await startHandler({ faults: { seed: 1, failFirstN: 2 } }, breaker);
    const context = recordingContext();
    const entry = outboxEntry('erp.customer.upsert', { idempotencyKey: 'c1', customer: CUSTOMER }, 'customer', 'acc-1');

    await handler.execute(entry, context).catch(() => undefined);
    await handler.execute(entry, context).catch(() => undefined);
    const stateAfterFailures = handler.breakerState;
    nowMs += 2_000;
    const held = await handler.execute(entry, context).catch((e) => e);
    const callsWhileOpen = (await fixture!.request('GET', '/stats')).body.calls.total;
    nowMs += 3_000;
    const stateAtProbe = handler.breakerState;
    await handler.execute(entry, context);

    expect(stateAfterFailures).toBe('open');
    expect(held).toBeInstanceOf(RetryableEffectError);
    expect(held.retryAfterMs).toBe(3_000);
    expect(callsWhileOpen).toBe(2);
    expect(stateAtProbe).toBe('halfOpen');
    expect(handler.breakerState).toBe('closed');
    expect(context.sent).toHaveLength(1);
  });

  it('rejections do not open the breaker', async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, openMs: 5_000, now: () => 0 });
    const handler = await startHandler({}, breaker);

    await handler.execute(outboxEntry('erp.salesOrder.cancel', { idempotencyKey: 'k', orderNumber: 'SO-404' }), recordingContext());

    expect(handler.breakerState).toBe('closed');
  });

  it('handler without breaker reports closed', async () => {
    const handler = await startHandler();

    expect(handler.breakerState).toBe('closed');
    expect(handler.kinds).toEqual(['erp.']);
  });
});

describe('ERP effect handler concurrency', () => {
  it('limits calls in flight', async () => {
    fixture = await startErpFixture({ faults: { seed: 1, latencyMs: [100, 100] } });
    const handler = new ErpEffectHandler({ connector: fixture.connector, connectorName: 'simulator', concurrency: 1 });
    const context = recordingContext();

    const startedAt = performance.now();
    await Promise.all(
      ['acc-a', 'acc-b', 'acc-c'].map((accountId) =>
        handler.execute(outboxEntry('erp.customer.upsert', { idempotencyKey: accountId, customer: { accountId, name: accountId } }, 'customer', accountId), context),
      ),
    );

    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(290);
    expect(context.sent).toHaveLength(3);
  });
});
