import { Type, type Static } from '@sinclair/typebox';

// HubSpot ids are 64-bit integers; a bridge may keep them as JSON numbers or as digit strings.
const hubspotId = Type.Union([Type.Integer({ minimum: 0 }), Type.String({ pattern: '^[0-9]+$' })]);

/**
 * One event of a HubSpot webhook delivery (Webhooks API v3, legacy `<object>.<action>`
 * subscription types), with the field names of HubSpot's webhook payload documentation.
 * `objectId` is absent from association changes, which name `fromObjectId` and `toObjectId`.
 */
export const HubspotWebhookEvent = Type.Object({
  eventId: hubspotId,
  subscriptionId: hubspotId,
  portalId: hubspotId,
  appId: Type.Optional(hubspotId),
  occurredAt: Type.Integer({ description: 'epoch milliseconds of the change' }),
  subscriptionType: Type.String({ pattern: '^[A-Za-z_]+\\.[A-Za-z]+$', description: 'for example deal.propertyChange' }),
  attemptNumber: Type.Optional(Type.Integer({ minimum: 0 })),
  objectId: Type.Optional(hubspotId),
  propertyName: Type.Optional(Type.String()),
  propertyValue: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  changeSource: Type.Optional(Type.String()),
  // NOTE: HubSpot's changelog confirms `associationType`, `primaryObjectId` and
  // `mergedObjectIds`; `fromObjectId`, `toObjectId`, `associationRemoved` and
  // `isPrimaryAssociation` are unverified until checked against a recorded delivery.
  associationType: Type.Optional(Type.String()),
  fromObjectId: Type.Optional(hubspotId),
  toObjectId: Type.Optional(hubspotId),
  associationRemoved: Type.Optional(Type.Boolean()),
  isPrimaryAssociation: Type.Optional(Type.Boolean()),
  primaryObjectId: Type.Optional(hubspotId),
  mergedObjectIds: Type.Optional(Type.Array(hubspotId)),
});
export type HubspotWebhookEvent = Static<typeof HubspotWebhookEvent>;

/** A webhook delivery: HubSpot sends a JSON array of events, even for one event. */
export const HubspotDelivery = Type.Array(HubspotWebhookEvent, { minItems: 1 });
