import { Type, type Static } from '@sinclair/typebox';

export const SALESFORCE_CHANGE_TYPES = [
  'CREATE',
  'UPDATE',
  'DELETE',
  'UNDELETE',
  'GAP_CREATE',
  'GAP_UPDATE',
  'GAP_DELETE',
  'GAP_UNDELETE',
  'GAP_OVERFLOW',
] as const;
export type SalesforceChangeType = (typeof SALESFORCE_CHANGE_TYPES)[number];

const fieldNames = Type.Optional(Type.Array(Type.String()));

/**
 * The `ChangeEventHeader` of a Salesforce Change Data Capture event, with the field names
 * of Salesforce's Change Data Capture Developer Guide ("ChangeEventHeader Fields").
 * `changedFields`, `nulledFields` and `diffFields` must hold field names: the Pub/Sub API
 * sends them as bitmaps, which the bridge decodes before publishing.
 */
export const SalesforceChangeEventHeader = Type.Object({
  entityName: Type.String({ minLength: 1, description: 'API name of the object, for example Account' }),
  recordIds: Type.Array(Type.String()),
  changeType: Type.Union(SALESFORCE_CHANGE_TYPES.map((changeType) => Type.Literal(changeType))),
  changeOrigin: Type.Optional(Type.String()),
  transactionKey: Type.Optional(Type.String()),
  sequenceNumber: Type.Optional(Type.Integer({ minimum: 0 })),
  commitTimestamp: Type.Integer({ description: 'epoch milliseconds of the commit' }),
  commitNumber: Type.Integer({ minimum: 0, description: 'system change number of the commit' }),
  commitUser: Type.Optional(Type.String()),
  changedFields: fieldNames,
  nulledFields: fieldNames,
  diffFields: fieldNames,
});
export type SalesforceChangeEventHeader = Static<typeof SalesforceChangeEventHeader>;

/** A Change Data Capture event as the bridge publishes it: the header beside the record fields. */
export const SalesforceChangeEvent = Type.Object({ ChangeEventHeader: SalesforceChangeEventHeader });
