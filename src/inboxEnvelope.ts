import { OrdoError } from './errors.ts';
import { validateKey } from './keys.ts';
import { ENTITY_TYPE_PATTERN } from './subjects.ts';
import type { EntityEventInput } from './machineEffects.ts';

/**
 * The body of every inbox message. The entity key is also in a header for
 * tools that route without decoding, but the body is authoritative.
 */
export interface InboxEnvelope {
  entityType: string;
  key: string;
  event: EntityEventInput;
  /** ISO 8601 event time; when absent the JetStream publish time is used. */
  eventTime?: string;
}

/** Checks the envelope's shape; command payloads are validated later by the entity definition. */
export function parseInboxEnvelope(body: unknown): InboxEnvelope {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new OrdoError('ERR_MESSAGE_INVALID', `Inbox message body must be an object {entityType, key, event}, got ${describe(body)}.`);
  }

  const { entityType, key, event, eventTime } = body as Record<string, unknown>;
  if (typeof entityType !== 'string' || !ENTITY_TYPE_PATTERN.test(entityType)) {
    throw new OrdoError('ERR_MESSAGE_INVALID', `Inbox message field entityType is ${JSON.stringify(entityType)}; expected a name like "order".`);
  }
  validateKey(key);
  if (typeof event !== 'object' || event === null || Array.isArray(event) || typeof (event as { type?: unknown }).type !== 'string') {
    throw new OrdoError('ERR_MESSAGE_INVALID', `Inbox message field event must be an object with a string type, got ${describe(event)}.`);
  }
  if (eventTime !== undefined && !isIsoTime(eventTime)) {
    throw new OrdoError('ERR_MESSAGE_INVALID', `Inbox message field eventTime is ${JSON.stringify(eventTime)}; expected an ISO 8601 time such as 2024-06-01T12:00:00Z, or no eventTime at all.`);
  }

  return { entityType, key: key as string, event: event as EntityEventInput, eventTime: eventTime as string | undefined };
}

// A four-digit year keeps every accepted time, plus any timer delay a machine adds, far
// inside the range JavaScript dates can represent.
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function isIsoTime(value: unknown): value is string {
  return typeof value === 'string' && ISO_TIME.test(value) && Number.isFinite(Date.parse(value));
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object without a string type' : `${typeof value} ${JSON.stringify(value)?.slice(0, 40)}`;
}
