import type { CommandEvent, EntityType } from '../canonical/commandSchemas.ts';
import type { SourceStamp } from '../canonical/sourceStamp.ts';
import { checkCrmShape } from './checkCrmShape.ts';
import { CrmMappingError } from './crmMappingError.ts';
import { epochMsToIso } from './crmValues.ts';
import {
  isSubjectObject,
  commandMsgId,
  type CrmEventInput,
  type CrmMappingResult,
  type EntityCommand,
  type IgnoredCrmChange,
} from './entityCommand.ts';
import { COMPANY_PROPERTIES, DEAL_PROPERTIES, type HubspotPropertyReader } from './hubspotProperties.ts';
import { HubspotDelivery, type HubspotWebhookEvent } from './hubspotWebhookEvent.ts';

type Addressed = Omit<EntityCommand, 'msgId'>;
type EventOutcome = { commands: Addressed[] } | { ignored: string };

interface HubspotObjectSpec {
  entityType: EntityType;
  idField: 'accountId' | 'opportunityId';
  properties: Readonly<Record<string, { field: string; read: HubspotPropertyReader }>>;
}

const OBJECTS: Readonly<Record<string, HubspotObjectSpec>> = {
  deal: { entityType: 'order', idField: 'opportunityId', properties: DEAL_PROPERTIES },
  company: { entityType: 'customer', idField: 'accountId', properties: COMPANY_PROPERTIES },
};

/**
 * Maps a HubSpot webhook delivery (one NATS message holding HubSpot's JSON array) to
 * commands. Each event goes to the entity of its own object, whatever object the subject
 * names. Command ids derive from the event's portal, subscription and event id, so a
 * retry (same ids, higher attemptNumber) yields the same command ids, even when HubSpot
 * batches it with other events. Events for objects without an entity are listed in `ignored`.
 */
export function mapHubspotDelivery(input: CrmEventInput, defaultCurrency: string): CrmMappingResult {
  const events = checkCrmShape(HubspotDelivery, input.body, `HubSpot webhook delivery on ${input.object} ${input.objectId}`);
  checkSubjectNamesAnEvent(events, input);

  const commands: EntityCommand[] = [];
  const ignored: IgnoredCrmChange[] = [];
  for (const event of events) {
    const outcome = mapHubspotEvent(event, defaultCurrency);
    const crmEventId = `${event.portalId}:${event.subscriptionId}:${event.eventId}`;

    if ('ignored' in outcome) {
      ignored.push({ eventId: crmEventId, reason: outcome.ignored });
      continue;
    }
    outcome.commands.forEach((command, index) => {
      commands.push({ ...command, msgId: commandMsgId('hubspot', crmEventId, index) });
    });
  }
  return { commands, ignored };
}

// The bridge publishes a delivery on the subject of one of its events; a subject naming
// none of them means the bridge routed it wrongly.
function checkSubjectNamesAnEvent(events: HubspotWebhookEvent[], input: CrmEventInput): void {
  const named = events.some((event) => objectTypeOf(event) === input.object && isSubjectObject(input, String(objectIdOf(event))));
  if (named) return;

  throw new CrmMappingError(
    'ERR_CRM_OBJECT_ID_MISMATCH',
    `subject names HubSpot ${input.object} ${JSON.stringify(input.objectId)} but no event of the delivery is about it; publish a delivery on crm.hubspot.<object>.<objectId> of one of its events`,
  );
}

function mapHubspotEvent(event: HubspotWebhookEvent, defaultCurrency: string): EventOutcome {
  const objectType = objectTypeOf(event);
  const action = event.subscriptionType.split('.')[1];
  const spec = OBJECTS[objectType];
  if (spec === undefined) return { ignored: `HubSpot ${objectType} events have no entity` };

  const source = stampOf(event);
  switch (action) {
    case 'creation':
      return upsert(spec, requiredObjectId(event), {}, source);
    case 'propertyChange':
      return propertyChange(spec, event, defaultCurrency, source);
    case 'deletion':
      return single(spec, requiredObjectId(event), deletionEvent(spec, source));
    case 'restore':
      return single(spec, requiredObjectId(event), { type: `${spec.entityType}.resync`, reason: 'restored', source } as CommandEvent);
    case 'merge':
      return merge(spec, event, source);
    case 'associationChange':
      return associationChange(spec, event, source);
    default:
      return { ignored: `HubSpot ${event.subscriptionType} events are not mapped` };
  }
}

function propertyChange(spec: HubspotObjectSpec, event: HubspotWebhookEvent, currency: string, source: SourceStamp): EventOutcome {
  const propertyName = event.propertyName;
  if (propertyName === undefined) throw missingField(event, 'propertyName');

  const property = spec.properties[propertyName];
  if (property === undefined) return { ignored: `HubSpot property ${propertyName} is not mapped` };

  const value = property.read(event.propertyValue ?? null, propertyName, currency);
  return upsert(spec, requiredObjectId(event), { [property.field]: value }, source);
}

// A deleted deal cancels its order; a deleted company needs a person to look, so it resyncs.
function deletionEvent(spec: HubspotObjectSpec, source: SourceStamp): CommandEvent {
  if (spec.entityType === 'order') return { type: 'order.cancel', reason: 'deal deleted in HubSpot', source };
  return { type: 'customer.resync', reason: 'deleted', source };
}

function merge(spec: HubspotObjectSpec, event: HubspotWebhookEvent, source: SourceStamp): EventOutcome {
  const ids = [event.primaryObjectId, ...(event.mergedObjectIds ?? [])].filter((id) => id !== undefined).map(String);
  if (ids.length === 0) throw missingField(event, 'primaryObjectId');

  const commands = [...new Set(ids)].map((key) => ({
    entityType: spec.entityType,
    key,
    event: { type: `${spec.entityType}.resync`, reason: 'merged', source } as CommandEvent,
  }));
  return { commands };
}

// Only the deal's primary company is its account; other associations are ignored.
function associationChange(spec: HubspotObjectSpec, event: HubspotWebhookEvent, source: SourceStamp): EventOutcome {
  if (spec.entityType !== 'order' || event.associationType !== 'DEAL_TO_COMPANY') {
    return { ignored: `HubSpot association ${event.associationType ?? '(no associationType)'} is not mapped` };
  }
  if (event.isPrimaryAssociation === false) return { ignored: 'HubSpot association to a non-primary company' };
  if (event.fromObjectId === undefined) throw missingField(event, 'fromObjectId');
  if (event.toObjectId === undefined) throw missingField(event, 'toObjectId');

  const accountId = event.associationRemoved === true ? null : String(event.toObjectId);
  return upsert(spec, String(event.fromObjectId), { accountId }, source);
}

function upsert(spec: HubspotObjectSpec, key: string, fields: Record<string, unknown>, source: SourceStamp): EventOutcome {
  const data = { [spec.idField]: key, ...fields };
  return single(spec, key, { type: `${spec.entityType}.upsert`, data, source } as CommandEvent);
}

function single(spec: HubspotObjectSpec, key: string, event: CommandEvent): EventOutcome {
  return { commands: [{ entityType: spec.entityType, key, event }] };
}

// HubSpot has no change number, so `version` stays unset and the change time decides.
function stampOf(event: HubspotWebhookEvent): SourceStamp {
  return {
    system: 'hubspot',
    eventId: String(event.eventId),
    timestamp: epochMsToIso(event.occurredAt, 'occurredAt'),
  };
}

function objectTypeOf(event: HubspotWebhookEvent): string {
  return event.subscriptionType.split('.')[0] ?? '';
}

function objectIdOf(event: HubspotWebhookEvent): string | number | undefined {
  return event.objectId ?? event.fromObjectId ?? event.primaryObjectId;
}

function requiredObjectId(event: HubspotWebhookEvent): string {
  if (event.objectId === undefined) throw missingField(event, 'objectId');
  return String(event.objectId);
}

function missingField(event: HubspotWebhookEvent, field: string): CrmMappingError {
  return new CrmMappingError(
    'ERR_CRM_INVALID_EVENT',
    `HubSpot ${event.subscriptionType} event ${event.eventId} has no ${field}; publish HubSpot's event unchanged`,
  );
}
