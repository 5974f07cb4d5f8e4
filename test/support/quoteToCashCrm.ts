import type { JetStreamClient, PubAck } from '@nats-io/jetstream';
import type { Publisher } from '../../src/publisher.ts';
import { crmPublishSubject } from '../../src/subjects.ts';

// Publishes CRM events the way a bridge does: `crm.<source>.<object>.<objectId>` with
// `Nats-Msg-Id` set to the delivery's id, so tests exercise the real ingress path.

export interface Money {
  amountMinor: number;
  currency: string;
}

export interface GenericEventOptions {
  /** The CRM event id (body `id`). */
  id: string;
  /** ISO 8601 change time; later times win field by field. */
  occurredAt: string;
  version?: number;
  /** `Nats-Msg-Id` of this delivery. Default: the event id, as the generic contract requires. */
  msgId?: string;
}

export interface AccountData {
  accountId: string;
  name?: string;
  country?: string | null;
  taxRegion?: string | null;
}

export interface OpportunityData {
  opportunityId: string;
  accountId?: string;
  productCode?: string;
  quantity?: number;
  amount?: Money;
  stage?: 'prospecting' | 'engaging' | 'closed_won' | 'closed_lost';
  closeDate?: string;
}

/** Publishes one event to `crm.<source>.<object>.<objectId>` as a JSON body. */
export function publishCrmEvent(js: JetStreamClient, address: { source: string; object: string; objectId: string }, body: unknown, msgId: string): Promise<PubAck> {
  const subject = crmPublishSubject(address.source, address.object, address.objectId);
  return js.publish(subject, JSON.stringify(body), { msgID: msgId });
}

export function publishGenericAccount(js: JetStreamClient, event: GenericEventOptions, data: AccountData): Promise<PubAck> {
  return publishGeneric(js, 'account', data.accountId, 'account.upserted', event, data);
}

export function publishGenericOpportunity(js: JetStreamClient, event: GenericEventOptions, data: OpportunityData): Promise<PubAck> {
  return publishGeneric(js, 'opportunity', data.opportunityId, 'opportunity.upserted', event, data);
}

export function publishGenericPayment(
  js: JetStreamClient,
  event: GenericEventOptions,
  data: { paymentId: string; opportunityId: string; amount: Money; paidAt?: string },
): Promise<PubAck> {
  return publishGeneric(js, 'payment', data.paymentId, 'payment.received', event, data);
}

function publishGeneric(js: JetStreamClient, object: string, objectId: string, type: string, event: GenericEventOptions, data: object): Promise<PubAck> {
  const body: Record<string, unknown> = { type, id: event.id, occurredAt: event.occurredAt, data };
  if (event.version !== undefined) body.version = event.version;
  return publishCrmEvent(js, { source: 'generic', object, objectId }, body, event.msgId ?? event.id);
}

/** Publishes one HubSpot webhook delivery (an array of events) on the subject of its first event's object. */
export function publishHubspotDelivery(js: JetStreamClient, object: 'deal' | 'company', events: Array<Record<string, unknown>>, msgId: string): Promise<PubAck> {
  const objectId = String(events[0]!.objectId);
  return publishCrmEvent(js, { source: 'hubspot', object, objectId }, events, msgId);
}

/** Publishes one Salesforce change event on the subject of its first record id. */
export function publishSalesforceChange(js: JetStreamClient, body: { ChangeEventHeader: { entityName: string; recordIds: string[] } }, msgId: string): Promise<PubAck> {
  const header = body.ChangeEventHeader;
  return publishCrmEvent(js, { source: 'salesforce', object: header.entityName, objectId: header.recordIds[0]! }, body, msgId);
}

/** Sends an operator command (for example `order.retry`) straight to an entity's inbox. */
export async function sendOperatorCommand(publisher: Publisher, entityType: string, key: string, event: { type: string; [field: string]: unknown }, msgId: string): Promise<void> {
  await publisher.sendToEntity({ entityType, key, event, msgId, sender: 'test-operator' });
}

/** Returns `2024-06-01T12:00:00.000Z` plus `minutes`, so tests order CRM changes without reading the clock. */
export function crmTime(minutes: number): string {
  return new Date(Date.UTC(2024, 5, 1, 12, 0, 0) + minutes * 60_000).toISOString();
}
