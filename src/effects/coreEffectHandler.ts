import { DEAD_LETTER_ACTION, type DeadLetterParams } from '../deadLetter.ts';
import { SEND_ACTION, type SendParams } from '../machineEffects.ts';
import type { Publisher } from '../publisher.ts';
import type { EffectContext, EffectHandler } from './effectHandler.ts';
import type { OutboxEntry } from './outboxEntry.ts';

export const CRM_EXCEPTION_ACTION = 'crm.exception.raise';

/**
 * Executes the effects that are NATS publishes: commands to other entities,
 * emitted domain events, CRM exceptions and dead letters. Each publish carries
 * the effect id as its message id.
 */
export class CoreEffectHandler implements EffectHandler {
  readonly kinds = [SEND_ACTION, 'xstate.emit', CRM_EXCEPTION_ACTION, DEAD_LETTER_ACTION] as const;
  readonly #publisher: Publisher;

  constructor(publisher: Publisher) {
    this.#publisher = publisher;
  }

  async execute(entry: OutboxEntry, context: EffectContext): Promise<void> {
    if (entry.kind === SEND_ACTION) {
      const params = entry.params as unknown as SendParams;
      await context.sendToEntity({ entityType: params.entityType, key: params.key, event: params.event, msgId: entry.id, eventTime: new Date(entry.eventTimeMs).toISOString() });
    } else if (entry.kind === DEAD_LETTER_ACTION) {
      const params = entry.params as unknown as DeadLetterParams;
      await this.#publisher.publishDeadLetter(params, `dlq:${params.stream}:${params.seq}`);
    } else {
      const event = entry.kind === 'xstate.emit' ? (entry.params.event as { type: string }) : { type: 'crm.exception.raised', ...entry.params };
      const payload = { entityType: entry.entityType, key: entry.key, effectId: entry.id, eventTime: new Date(entry.eventTimeMs).toISOString(), event };
      await context.publishEvent(`${entry.entityType}.${event.type}`, payload, entry.id);
    }
  }
}
