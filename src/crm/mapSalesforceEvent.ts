import type { CommandEvent, EntityType } from '../canonical/commandSchemas.ts';
import type { ResyncReason } from '../canonical/resyncReason.ts';
import type { SourceStamp } from '../canonical/sourceStamp.ts';
import { checkCrmShape } from './checkCrmShape.ts';
import { CrmMappingError } from './crmMappingError.ts';
import { epochMsToIso } from './crmValues.ts';
import { commandMsgId, isSubjectObject, type CrmEventInput, type CrmMappingResult } from './entityCommand.ts';
import { SalesforceChangeEvent, type SalesforceChangeEventHeader } from './salesforceChangeEvent.ts';
import { ACCOUNT_FIELD_RULES, OPPORTUNITY_FIELD_RULES, type SalesforceFieldRule } from './salesforceFields.ts';

interface SalesforceObjectSpec {
  entityType: EntityType;
  idField: 'accountId' | 'opportunityId';
  rules: readonly SalesforceFieldRule[];
}

const OBJECTS: Readonly<Record<string, SalesforceObjectSpec>> = {
  account: { entityType: 'customer', idField: 'accountId', rules: ACCOUNT_FIELD_RULES },
  opportunity: { entityType: 'order', idField: 'opportunityId', rules: OPPORTUNITY_FIELD_RULES },
};

const BITMAP_FIELD = /^0x[0-9A-Fa-f]+$/;

/**
 * Maps one Salesforce Change Data Capture event to one command per record it names, in
 * `recordIds` order. Gap and overflow events carry no field values, so they become resync
 * commands and never data. A deleted opportunity cancels its order; a deleted account
 * marks the customer for resync (reason `deleted`), because no ERP step undoes a customer.
 */
export function mapSalesforceEvent(input: CrmEventInput, defaultCurrency: string): CrmMappingResult {
  const spec = objectSpec(input.object);
  const event = checkCrmShape(SalesforceChangeEvent, input.body, `Salesforce change event for ${input.object}`);
  const body = input.body as Record<string, unknown>;
  const header = event.ChangeEventHeader;

  checkEntityName(header, input.object);
  const recordIds = addressedRecords(header, input);
  const source = stampOf(header, input.msgId);
  const payload = commandPayload(header, body, spec, defaultCurrency, source);

  const commands = recordIds.map((recordId, index) => ({
    entityType: spec.entityType,
    key: recordId,
    event: withRecordId(payload, spec, recordId),
    msgId: commandMsgId('salesforce', input.msgId, index),
  }));
  return { commands, ignored: [] };
}

function objectSpec(object: string): SalesforceObjectSpec {
  const spec = OBJECTS[object.toLowerCase()];
  if (spec !== undefined) return spec;

  throw new CrmMappingError(
    'ERR_CRM_UNKNOWN_OBJECT',
    `Salesforce object ${JSON.stringify(object)} is not handled; publish Account or Opportunity change events`,
  );
}

function checkEntityName(header: SalesforceChangeEventHeader, object: string): void {
  if (header.entityName.toLowerCase() === object.toLowerCase()) return;

  throw new CrmMappingError(
    'ERR_CRM_INVALID_EVENT',
    `Salesforce change event for ${JSON.stringify(header.entityName)} arrived on subject object ${JSON.stringify(object)}; publish it on crm.salesforce.${header.entityName}.<recordId>`,
  );
}

// Overflow events, and events for some custom field type conversions, name no usable
// record id (an empty list or a key prefix with a wildcard such as "001*").
function addressedRecords(header: SalesforceChangeEventHeader, input: CrmEventInput): string[] {
  const recordIds = header.recordIds;
  if (recordIds.length === 0 || recordIds.some((id) => id.includes('*'))) {
    throw new CrmMappingError(
      'ERR_CRM_UNADDRESSABLE_EVENT',
      `Salesforce ${header.changeType} event for ${header.entityName} names record ids ${JSON.stringify(recordIds)}, so no entity can be marked for resync; resynchronise all ${header.entityName} records from Salesforce`,
    );
  }
  if (!recordIds.some((id) => isSubjectObject(input, id))) {
    throw new CrmMappingError(
      'ERR_CRM_OBJECT_ID_MISMATCH',
      `subject names Salesforce record ${JSON.stringify(input.objectId)} but the event's recordIds are ${JSON.stringify(recordIds)}; publish on the subject of the first record id`,
    );
  }
  return recordIds;
}

function stampOf(header: SalesforceChangeEventHeader, eventId: string): SourceStamp {
  const source: SourceStamp = {
    system: 'salesforce',
    eventId,
    version: header.commitNumber,
    timestamp: epochMsToIso(header.commitTimestamp, 'ChangeEventHeader.commitTimestamp'),
  };
  if (header.sequenceNumber !== undefined) source.sequence = header.sequenceNumber;
  return source;
}

function commandPayload(
  header: SalesforceChangeEventHeader,
  body: Record<string, unknown>,
  spec: SalesforceObjectSpec,
  defaultCurrency: string,
  source: SourceStamp,
): CommandEvent {
  const prefix = spec.entityType;
  switch (header.changeType) {
    case 'CREATE':
    case 'UNDELETE':
      return { type: `${prefix}.upsert`, data: presentFields(body, spec.rules, currencyOf(body, defaultCurrency)), source } as CommandEvent;
    case 'UPDATE':
      return { type: `${prefix}.upsert`, data: changedFields(header, body, spec.rules, currencyOf(body, defaultCurrency)), source } as CommandEvent;
    case 'DELETE':
      return spec.entityType === 'order'
        ? { type: 'order.cancel', reason: 'opportunity deleted in Salesforce', source }
        : resync(prefix, 'deleted', source);
    case 'GAP_OVERFLOW':
      return resync(prefix, 'overflow', source);
    default:
      return resync(prefix, 'gap', source);
  }
}

function resync(prefix: EntityType, reason: ResyncReason, source: SourceStamp): CommandEvent {
  return { type: `${prefix}.resync`, reason, source } as CommandEvent;
}

// Multi-currency orgs send CurrencyIsoCode with the record; other orgs have one currency.
function currencyOf(body: Record<string, unknown>, defaultCurrency: string): string {
  const code = body.CurrencyIsoCode;
  return typeof code === 'string' && code !== '' ? code : defaultCurrency;
}

// Create and undelete events carry every non-null field of the record.
function presentFields(body: Record<string, unknown>, rules: readonly SalesforceFieldRule[], currency: string): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const rule of rules) {
    const path = rule.paths.find((candidate) => valueAt(body, candidate) != null);
    if (path === undefined) continue;

    const value = rule.read(valueAt(body, path), path, currency);
    if (value !== null) data[rule.field] = value;
  }
  return data;
}

// Update events list set fields in changedFields and cleared ones in nulledFields. Other
// values in the body, such as enriched fields, are not changes and are left out.
function changedFields(
  header: SalesforceChangeEventHeader,
  body: Record<string, unknown>,
  rules: readonly SalesforceFieldRule[],
  currency: string,
): Record<string, unknown> {
  const changed = namedFields(header.changedFields ?? [], 'changedFields');
  const nulled = namedFields(header.nulledFields ?? [], 'nulledFields');
  const data: Record<string, unknown> = {};

  for (const rule of rules) {
    const nulledPath = rule.paths.find((path) => nulled.has(path));
    const changedPath = rule.paths.find((path) => changed.has(path));
    if (nulledPath !== undefined) {
      data[rule.field] = null;
    } else if (changedPath !== undefined) {
      data[rule.field] = rule.read(requiredValue(body, changedPath), changedPath, currency);
    }
  }
  return data;
}

function namedFields(fields: string[], headerField: string): Set<string> {
  const bitmap = fields.find((field) => BITMAP_FIELD.test(field));
  if (bitmap !== undefined) {
    throw new CrmMappingError(
      'ERR_CRM_INVALID_EVENT',
      `ChangeEventHeader.${headerField} holds the bitmap ${JSON.stringify(bitmap)}; decode Pub/Sub API field bitmaps to field names in the bridge`,
    );
  }
  return new Set(fields);
}

function requiredValue(body: Record<string, unknown>, path: string): unknown {
  const value = valueAt(body, path);
  if (value !== undefined) return value;

  throw new CrmMappingError(
    'ERR_CRM_INVALID_EVENT',
    `Salesforce update names ${path} in changedFields but the event has no value for it; publish the field values with the header`,
  );
}

function valueAt(body: Record<string, unknown>, path: string): unknown {
  let value: unknown = body;
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

// Each command gets its own object, so a host that adds `meta` to one changes no other.
function withRecordId(payload: CommandEvent, spec: SalesforceObjectSpec, recordId: string): CommandEvent {
  if (!('data' in payload)) return { ...payload };
  return { ...payload, data: { [spec.idField]: recordId, ...payload.data } } as CommandEvent;
}
