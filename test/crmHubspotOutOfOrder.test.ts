import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mergeFields } from '../src/canonical/fieldVersions.ts';
import type { SourceStamp } from '../src/canonical/sourceStamp.ts';
import { mapCrmEvent } from '../src/crm/mapCrmEvent.ts';

const delivery = JSON.parse(readFileSync(new URL('./fixtures/crm/hubspot-delivery-newest-first.json', import.meta.url), 'utf8'));
const DEAL_ID = '9876543210';

function mapDelivery() {
  return mapCrmEvent({ source: 'hubspot', object: 'deal', objectId: DEAL_ID, body: delivery, msgId: 'hubspot-delivery-1' });
}

describe('HubSpot delivery newest first', () => {
  it('maps each event to its own object', () => {
    const { commands } = mapDelivery();
    expect(commands.map((command) => [command.entityType, command.key])).toEqual([
      ['order', DEAL_ID],
      ['order', DEAL_ID],
      ['order', DEAL_ID],
      ['order', DEAL_ID],
      ['customer', '6355821024'],
    ]);
  });

  it('carries only the changed property', () => {
    const { commands } = mapDelivery();
    expect(commands.map((command) => (command.event as { data: unknown }).data)).toEqual([
      { opportunityId: DEAL_ID, amount: { amountMinor: 150010, currency: 'USD' } },
      { opportunityId: DEAL_ID, stage: 'closed_won' },
      { opportunityId: DEAL_ID, amount: { amountMinor: 120000, currency: 'USD' } },
      { opportunityId: DEAL_ID, stage: 'engaging' },
      { accountId: '6355821024', country: 'Germany' },
    ]);
  });

  it('keeps each event time as its source timestamp', () => {
    const { commands } = mapDelivery();
    const sources = commands.map((command) => (command.event as { source: SourceStamp }).source);
    expect(sources.map((source) => source.timestamp)).toEqual(delivery.map((event: { occurredAt: number }) => new Date(event.occurredAt).toISOString()));
    expect(sources.map((source) => source.eventId)).toEqual(delivery.map((event: { eventId: number }) => String(event.eventId)));
    expect(sources.every((source) => source.system === 'hubspot' && source.version === undefined)).toBe(true);
  });

  it('merges to the newest values and reports stale ones', () => {
    const orderUpdates = mapDelivery()
      .commands.filter((command) => command.entityType === 'order')
      .map((command) => command.event as { data: Record<string, unknown>; source: SourceStamp });

    let data: Record<string, unknown> = {};
    let stamps: Record<string, SourceStamp> = {};
    const staleFields: string[][] = [];
    for (const update of orderUpdates) {
      const merged = mergeFields(data, stamps, update);
      ({ data, stamps } = merged);
      staleFields.push(merged.stale);
    }

    expect(data).toEqual({ opportunityId: DEAL_ID, amount: { amountMinor: 150010, currency: 'USD' }, stage: 'closed_won' });
    expect(staleFields).toEqual([[], ['opportunityId'], ['opportunityId', 'amount'], ['opportunityId', 'stage']]);
  });
});
