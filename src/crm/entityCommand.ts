import type { CommandEvent, EntityType } from '../canonical/commandSchemas.ts';

/** A message read from `crm.<source>.<object>.<objectId>`, subject tokens and body already decoded. */
export interface CrmEventInput {
  source: string;
  object: string;
  /**
   * The object id from the publish subject, or `''` when it is no longer known: the CRM
   * stream stores messages under a subject without the id, so the host passes
   * `matchesObjectId` instead, which checks an id against the partition the server chose.
   */
  objectId: string;
  matchesObjectId?: (id: string) => boolean;
  body: unknown;
  /** The message's Nats-Msg-Id, set by the bridge to the CRM's event id. */
  msgId: string;
}

/** One command for one entity, ready to publish on the inbox with `msgId` as its Nats-Msg-Id. */
export interface EntityCommand {
  entityType: EntityType;
  key: string;
  event: CommandEvent;
  msgId: string;
}

/** A change in a CRM event that no entity needs, with the reason it was skipped. */
export interface IgnoredCrmChange {
  eventId: string;
  reason: string;
}

export interface CrmMappingResult {
  commands: EntityCommand[];
  ignored: IgnoredCrmChange[];
}

export interface CrmMappingOptions {
  /**
   * ISO 4217 code for amounts whose event names no currency (HubSpot property changes,
   * Salesforce orgs without multi-currency). Default: `USD`.
   */
  defaultCurrency?: string;
}

/**
 * Builds the inbox message id of the `index`-th command made from one CRM event. The
 * source prefix keeps equal event ids of different CRMs apart in the inbox's duplicate
 * window. A redelivered CRM event yields the same ids, so JetStream drops the repeats.
 */
export function commandMsgId(source: string, crmEventId: string, index: number): string {
  return `${source}:${crmEventId}:${index}`;
}

/** Returns whether `id` is the object the event was published for (see `CrmEventInput.objectId`). */
export function isSubjectObject(input: CrmEventInput, id: string): boolean {
  if (input.objectId !== '') return id === input.objectId;
  return input.matchesObjectId?.(id) ?? true;
}
