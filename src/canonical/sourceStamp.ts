import { Type, type Static } from '@sinclair/typebox';

export const CrmSystem = Type.Union([Type.Literal('generic'), Type.Literal('salesforce'), Type.Literal('hubspot')]);
export type CrmSystem = Static<typeof CrmSystem>;

/**
 * Origin and age of a CRM-derived command. Stale checks compare
 * `version` (then `sequence`) between stamps of the same system, else `timestamp`.
 */
export const SourceStamp = Type.Object(
  {
    system: CrmSystem,
    eventId: Type.String({ minLength: 1, description: "the CRM's own event id" }),
    version: Type.Optional(
      Type.Integer({ minimum: 0, description: 'monotonic change number, for example the Salesforce commitNumber' }),
    ),
    sequence: Type.Optional(
      Type.Integer({
        minimum: 0,
        description: 'order of the change inside one version, for example the Salesforce sequenceNumber',
      }),
    ),
    timestamp: Type.String({ format: 'date-time', description: "the CRM's change time, ISO 8601" }),
  },
  { additionalProperties: false, title: 'SourceStamp' },
);
export type SourceStamp = Static<typeof SourceStamp>;
