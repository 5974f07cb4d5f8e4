import { encodeKeyToken } from './keys.ts';

/**
 * Every NATS subject and stream name Ordo uses is built here. Stored subjects
 * name the partition (and at most the CRM source and object), never an entity
 * key: filtered reads slow down by orders of magnitude when a stream stores one
 * subject per entity.
 */
export const STREAM = {
  crm: 'ORDO_CRM',
  inbox: 'ORDO_INBOX',
  events: 'ORDO_EVENTS',
  deadLetters: 'ORDO_DLQ',
} as const;

/** Subjects CRM bridges publish to: `crm.<source>.<object>.<objectId>`. */
export const CRM_PUBLISH_FILTER = 'crm.*.*.*';

/** Subjects for entity commands: `ordo.in.<entityType>.<encodedKey>`. */
export const INBOX_PUBLISH_FILTER = 'ordo.in.*.*';

export const EVENTS_FILTER = 'ordo.events.>';
export const DEAD_LETTER_FILTER = 'ordo.dlq.>';

export function crmPublishSubject(source: string, object: string, objectId: string): string {
  return `crm.${source}.${object}.${encodeKeyToken(objectId)}`;
}

export function crmStoredPrefix(partition: number): string {
  return `ordo.crmp.${partition}`;
}

/** Stream transform destination for CRM ingress: partition by object id, keep source and object. */
export function crmStoredTemplate(partitionCount: number): string {
  return `ordo.crmp.{{partition(${partitionCount},3)}}.{{wildcard(1)}}.{{wildcard(2)}}`;
}

export function inboxPublishSubject(entityType: string, key: string): string {
  return `ordo.in.${entityType}.${encodeKeyToken(key)}`;
}

export function inboxStoredSubject(partition: number): string {
  return `ordo.inp.${partition}`;
}

export function inboxStoredTemplate(partitionCount: number): string {
  return `ordo.inp.{{partition(${partitionCount},1,2)}}`;
}

export function eventSubject(entityType: string, eventType: string): string {
  return `ordo.events.${entityType}.${eventType}`;
}

/** Dead letters by origin (`inbox`, `crm`, `effect`) and partition. */
export function deadLetterSubject(origin: 'inbox' | 'crm' | 'effect', partition: number): string {
  return `ordo.dlq.${origin}.${partition}`;
}

/** Entity type names become subject tokens, so they are limited to a safe alphabet. */
export const ENTITY_TYPE_PATTERN = /^[a-z][a-zA-Z0-9_-]{0,63}$/;
