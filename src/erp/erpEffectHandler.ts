import type { CircuitBreaker, CircuitState } from '../effects/circuitBreaker.ts';
import { ConcurrencyLimit } from '../effects/concurrencyLimit.ts';
import { FatalEffectError, RetryableEffectError } from '../effects/effectErrors.ts';
import type { EffectContext, EffectHandler } from '../effects/effectHandler.ts';
import type { OutboxEntry } from '../effects/outboxEntry.ts';
import type { EntityEventInput } from '../machineEffects.ts';
import type { ErpCallOptions, ErpConnector } from './erpConnector.ts';
import { ERP_EFFECT_OPERATIONS, type ErpEffectOperation } from './erpEffectOperations.ts';
import { ErpBusinessRejection, ErpFatalError, ErpRetryableError } from './erpErrors.ts';

export interface ErpEffectHandlerOptions {
  connector: ErpConnector;
  /** Names the ERP in error messages, for example `simulator` or `netsuite`. */
  connectorName: string;
  /** Shared by every call of this handler; without one, calls are never held back. */
  breaker?: CircuitBreaker;
  /** Calls in flight at once. Default: unlimited. */
  concurrency?: number;
}

/**
 * Executes `erp.*` outbox entries through a connector and sends the outcome back to
 * the entity that asked: the result event on success, `erp.<resource>.rejected` on a
 * business rejection. Retryable ERP failures and an open breaker throw
 * `RetryableEffectError`; fatal ones throw `FatalEffectError` with the ERP error's code.
 */
export class ErpEffectHandler implements EffectHandler {
  readonly kinds = ['erp.'] as const;
  readonly connectorName: string;
  readonly #connector: ErpConnector;
  readonly #breaker: CircuitBreaker | undefined;
  readonly #limit: ConcurrencyLimit | undefined;

  constructor(options: ErpEffectHandlerOptions) {
    this.#connector = options.connector;
    this.connectorName = options.connectorName;
    this.#breaker = options.breaker;
    this.#limit = options.concurrency === undefined ? undefined : new ConcurrencyLimit(options.concurrency);
  }

  /** The breaker's state for metrics; `closed` when the handler has no breaker. */
  get breakerState(): CircuitState {
    return this.#breaker?.state ?? 'closed';
  }

  async execute(entry: OutboxEntry, context: EffectContext): Promise<void> {
    const operation = ERP_EFFECT_OPERATIONS[entry.kind];
    if (operation === undefined) {
      const known = Object.keys(ERP_EFFECT_OPERATIONS).join(', ');
      throw new FatalEffectError('ERR_EFFECT_UNKNOWN_KIND', `No ERP operation for effect kind ${JSON.stringify(entry.kind)}; known kinds: ${known}`);
    }

    const idempotencyKey = entry.params.idempotencyKey;
    if (typeof idempotencyKey !== 'string' || idempotencyKey === '') {
      const message = `Effect ${entry.id} (${entry.kind}) has no params.idempotencyKey (got ${JSON.stringify(idempotencyKey)}); the machine must derive one from the entity and business step`;
      throw new FatalEffectError('ERR_ERP_IDEMPOTENCY_KEY_MISSING', message);
    }

    const request = operation.requestFrom(entry.params);
    const event = await this.#runLimited(() => this.#call(entry, operation, request, { idempotencyKey, signal: context.signal }));
    await context.sendToEntity({ entityType: entry.entityType, key: entry.key, event, msgId: `${entry.id}:result` });
  }

  #runLimited<T>(fn: () => Promise<T>): Promise<T> {
    return this.#limit === undefined ? fn() : this.#limit.run(fn);
  }

  // Checked inside the concurrency slot, so calls queued while the breaker opened do not all go out.
  async #call(entry: OutboxEntry, operation: ErpEffectOperation, request: unknown, options: ErpCallOptions): Promise<EntityEventInput> {
    const breaker = this.#breaker;
    if (breaker !== undefined && !breaker.canRequest()) {
      const retryAfterMs = breaker.msUntilHalfOpen();
      throw new RetryableEffectError(`ERP ${this.connectorName} circuit is ${breaker.state}, so effect ${entry.id} (${entry.kind}) was not sent; retry after ${retryAfterMs} ms`, { retryAfterMs });
    }

    try {
      const event = await operation.invoke(this.#connector, request, options);
      breaker?.recordSuccess();
      return event;
    } catch (error) {
      // A rejection or a fatal error still comes from a working ERP.
      const erpAnswered = error instanceof ErpBusinessRejection || error instanceof ErpFatalError;
      if (erpAnswered) breaker?.recordSuccess();
      else breaker?.recordFailure();

      return this.#outcomeOfFailure(entry, operation, error);
    }
  }

  #outcomeOfFailure(entry: OutboxEntry, operation: ErpEffectOperation, error: unknown): EntityEventInput {
    if (error instanceof ErpBusinessRejection) {
      return { type: `erp.${operation.resource}.rejected`, operation: entry.kind, reason: error.reason, message: error.message };
    }

    const prefix = `ERP ${this.connectorName} call for effect ${entry.id} (${entry.kind})`;
    if (error instanceof ErpRetryableError) {
      throw new RetryableEffectError(`${prefix} failed, will retry: ${error.message}`, { retryAfterMs: error.retryAfterMs, cause: error });
    }
    if (error instanceof ErpFatalError) {
      throw new FatalEffectError(error.code, `${prefix} failed permanently: ${error.message}`, { cause: error });
    }
    throw error;
  }
}
