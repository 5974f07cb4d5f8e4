import type { EventMeta } from './entityEvents.ts';

/**
 * Returns the key of the entity an event is applied to: the one already
 * stored in context, else `event.meta.key`, which the host sets on every
 * message. Throws when neither is present, because idempotency keys and
 * replies would otherwise name no entity.
 */
export function entityKeyOf(storedKey: string, event: { type: string; meta?: EventMeta }): string {
  if (storedKey !== '') {
    return storedKey;
  }

  const key = event.meta?.key;
  if (typeof key !== 'string' || key === '') {
    throw new Error(
      `event ${JSON.stringify(event.type)} has no meta.key (got ${JSON.stringify(key)}): ` +
        'the host must set meta.key to the entity key on every message it applies',
    );
  }
  return key;
}
