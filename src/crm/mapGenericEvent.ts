import type { AccountChanges } from '../canonical/account.ts';
import type { OpportunityChanges } from '../canonical/opportunity.ts';
import type { SourceStamp } from '../canonical/sourceStamp.ts';
import { checkCrmShape } from './checkCrmShape.ts';
import { CrmMappingError } from './crmMappingError.ts';
import { commandMsgId, isSubjectObject, type CrmEventInput, type CrmMappingResult, type EntityCommand } from './entityCommand.ts';
import { GENERIC_EVENT_TYPES, GenericCrmEvent, GenericPaymentData, type GenericEventType } from './genericCrmEvent.ts';
import type { Static } from '@sinclair/typebox';

const OBJECTS = new Set(Object.values(GENERIC_EVENT_TYPES).map((spec) => spec.object));

/**
 * Maps one generic canonical CRM event to the command for its entity. The command id
 * derives from the body's `id`, not from the Nats-Msg-Id, so a bridge that omits the
 * header still gets deduplicated commands.
 */
export function mapGenericEvent(input: CrmEventInput): CrmMappingResult {
  if (!OBJECTS.has(input.object as never)) {
    throw new CrmMappingError(
      'ERR_CRM_UNKNOWN_OBJECT',
      `generic CRM object ${JSON.stringify(input.object)} is not handled; publish on crm.generic.<${[...OBJECTS].join('|')}>.<id>`,
    );
  }

  const envelope = checkCrmShape(GenericCrmEvent, input.body, `generic CRM event on object ${input.object}`);
  const spec = specFor(envelope.type, input.object);
  const data = checkCrmShape(spec.data, envelope.data, `data of generic ${envelope.type} event ${envelope.id}`);
  checkObjectId(input, data[spec.idField as keyof typeof data], spec.idField);

  const source = stampOf(envelope);
  const event = commandFor(envelope.type as GenericEventType, data, source);
  return { commands: [{ ...event, msgId: commandMsgId('generic', envelope.id, 0) }], ignored: [] };
}

function specFor(type: string, object: string) {
  const spec = GENERIC_EVENT_TYPES[type as GenericEventType];
  if (spec === undefined || spec.object !== object) {
    const allowed = Object.entries(GENERIC_EVENT_TYPES)
      .filter(([, candidate]) => candidate.object === object)
      .map(([name]) => name);
    throw new CrmMappingError(
      'ERR_CRM_UNKNOWN_EVENT_TYPE',
      `generic event type ${JSON.stringify(type)} is not handled for object ${object}; use one of: ${allowed.join(', ')}`,
    );
  }
  return spec;
}

function checkObjectId(input: CrmEventInput, dataId: unknown, idField: string): void {
  if (typeof dataId === 'string' && isSubjectObject(input, dataId)) return;

  throw new CrmMappingError(
    'ERR_CRM_OBJECT_ID_MISMATCH',
    `subject names ${input.object} ${JSON.stringify(input.objectId)} but data.${idField} is ${JSON.stringify(dataId)}; publish each event on the subject of the object it changes`,
  );
}

function stampOf(envelope: GenericCrmEvent): SourceStamp {
  const source: SourceStamp = { system: 'generic', eventId: envelope.id, timestamp: envelope.occurredAt };
  if (envelope.version !== undefined) source.version = envelope.version;
  return source;
}

function commandFor(type: GenericEventType, data: Record<string, unknown>, source: SourceStamp): Omit<EntityCommand, 'msgId'> {
  switch (type) {
    case 'account.upserted': {
      const changes = data as AccountChanges;
      return { entityType: 'customer', key: changes.accountId, event: { type: 'customer.upsert', data: changes, source } };
    }
    case 'account.deleted':
      return { entityType: 'customer', key: String(data.accountId), event: { type: 'customer.resync', reason: 'deleted', source } };
    case 'opportunity.upserted': {
      const changes = data as OpportunityChanges;
      return { entityType: 'order', key: changes.opportunityId, event: { type: 'order.upsert', data: changes, source } };
    }
    case 'opportunity.deleted':
      return {
        entityType: 'order',
        key: String(data.opportunityId),
        event: { type: 'order.cancel', reason: 'opportunity deleted in the CRM', source },
      };
    case 'payment.received': {
      const payment = data as Static<typeof GenericPaymentData>;
      return { entityType: 'invoice', key: payment.opportunityId, event: { type: 'payment.received', amount: payment.amount, source } };
    }
  }
}
