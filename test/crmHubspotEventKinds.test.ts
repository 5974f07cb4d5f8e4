import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mapCrmEvent } from '../src/crm/mapCrmEvent.ts';

const base = {
  eventId: 700,
  subscriptionId: 11,
  portalId: 62515,
  appId: 54321,
  occurredAt: 1717300000000,
  attemptNumber: 0,
  changeSource: 'CRM_UI',
};

function mapOne(object: string, objectId: string, event: Record<string, unknown>) {
  return mapCrmEvent({ source: 'hubspot', object, objectId, body: [{ ...base, ...event }], msgId: 'delivery' });
}

describe('HubSpot event kinds', () => {
  it('ignores contact events of HubSpot docs sample', () => {
    const body = JSON.parse(readFileSync(new URL('./fixtures/crm/hubspot-contact-creation.json', import.meta.url), 'utf8'));
    const result = mapCrmEvent({ source: 'hubspot', object: 'contact', objectId: '123', body, msgId: 'd' });
    expect(result.commands).toEqual([]);
    expect(result.ignored).toEqual([{ eventId: '62515:12345:1', reason: 'HubSpot contact events have no entity' }]);
  });

  it('ignores unmapped properties', () => {
    const result = mapOne('deal', '5', { subscriptionType: 'deal.propertyChange', objectId: 5, propertyName: 'dealname', propertyValue: 'x' });
    expect(result.commands).toEqual([]);
    expect(result.ignored[0]?.reason).toContain('dealname');
  });

  it.each([
    ['closedate', '1717200000000', { closeDate: '2024-06-01' }],
    ['closedate', '', { closeDate: null }],
    ['ordo_product_code', 'FUSE-X1', { productCode: 'FUSE-X1' }],
    ['ordo_quantity', '12', { quantity: 12 }],
    ['amount', '', { amount: null }],
    ['dealstage', 'closedlost', { stage: 'closed_lost' }],
    ['dealstage', 'appointmentscheduled', { stage: 'prospecting' }],
  ])('maps deal property %s %j', (propertyName, propertyValue, fields) => {
    const result = mapOne('deal', '5', { subscriptionType: 'deal.propertyChange', objectId: 5, propertyName, propertyValue });
    expect(result.commands[0]?.event).toMatchObject({ type: 'order.upsert', data: { opportunityId: '5', ...fields } });
  });

  it.each([
    ['name', 'Trailblazers', { name: 'Trailblazers' }],
    ['industry', 'SPORTING_GOODS', { sector: 'SPORTING_GOODS' }],
    ['state', 'NY', { taxRegion: 'NY' }],
    ['annualrevenue', '1000000.5', { annualRevenue: { amountMinor: 100000050, currency: 'USD' } }],
    ['hs_parent_company_id', '77', { parentAccountId: '77' }],
  ])('maps company property %s', (propertyName, propertyValue, fields) => {
    const result = mapOne('company', '8', { subscriptionType: 'company.propertyChange', objectId: 8, propertyName, propertyValue });
    expect(result.commands[0]?.event).toMatchObject({ type: 'customer.upsert', data: { accountId: '8', ...fields } });
  });

  it('maps deletions and restores', () => {
    expect(mapOne('deal', '5', { subscriptionType: 'deal.deletion', objectId: 5 }).commands[0]?.event).toMatchObject({ type: 'order.cancel' });
    expect(mapOne('company', '8', { subscriptionType: 'company.deletion', objectId: 8 }).commands[0]?.event).toMatchObject({ type: 'customer.resync', reason: 'deleted' });
    expect(mapOne('deal', '5', { subscriptionType: 'deal.restore', objectId: 5 }).commands[0]?.event).toMatchObject({ type: 'order.resync', reason: 'restored' });
  });

  it('resyncs every record of a merge', () => {
    const result = mapOne('company', '8', { subscriptionType: 'company.merge', objectId: 8, primaryObjectId: 8, mergedObjectIds: [9, 10] });
    expect(result.commands.map((command) => [command.key, command.msgId])).toEqual([
      ['8', 'hubspot:62515:11:700:0'],
      ['9', 'hubspot:62515:11:700:1'],
      ['10', 'hubspot:62515:11:700:2'],
    ]);
    expect(result.commands.every((command) => command.event.type === 'customer.resync')).toBe(true);
  });

  it('sets the account from the primary company association', () => {
    const added = { subscriptionType: 'deal.associationChange', associationType: 'DEAL_TO_COMPANY', fromObjectId: 5, toObjectId: 8, associationRemoved: false, isPrimaryAssociation: true };
    expect(mapOne('deal', '5', added).commands[0]?.event).toMatchObject({ type: 'order.upsert', data: { opportunityId: '5', accountId: '8' } });
    expect(mapOne('deal', '5', { ...added, associationRemoved: true }).commands[0]?.event).toMatchObject({ data: { accountId: null } });
    expect(mapOne('deal', '5', { ...added, isPrimaryAssociation: false }).commands).toEqual([]);
    expect(mapOne('deal', '5', { ...added, associationType: 'DEAL_TO_CONTACT' }).commands).toEqual([]);
  });

  it('rejects a subject naming no event of the delivery', () => {
    const run = () => mapOne('deal', '6', { subscriptionType: 'deal.creation', objectId: 5 });
    expect(run).toThrow(expect.objectContaining({ code: 'ERR_CRM_OBJECT_ID_MISMATCH', message: expect.stringContaining('"6"') }));
  });

  it('rejects a body that is not an array of events', () => {
    const run = () => mapCrmEvent({ source: 'hubspot', object: 'deal', objectId: '5', body: { ...base, subscriptionType: 'deal.creation', objectId: 5 }, msgId: 'd' });
    expect(run).toThrow(expect.objectContaining({ code: 'ERR_CRM_INVALID_EVENT' }));
    const empty = () => mapCrmEvent({ source: 'hubspot', object: 'deal', objectId: '5', body: [], msgId: 'd' });
    expect(empty).toThrow(expect.objectContaining({ code: 'ERR_CRM_INVALID_EVENT' }));
  });

  it('rejects an event without eventId', () => {
    const run = () => mapCrmEvent({ source: 'hubspot', object: 'deal', objectId: '5', body: [{ ...base, eventId: undefined, subscriptionType: 'deal.creation', objectId: 5 }], msgId: 'd' });
    expect(run).toThrow(expect.objectContaining({ code: 'ERR_CRM_INVALID_EVENT', message: expect.stringContaining('/0/eventId') }));
  });

  it('rejects a bad amount value', () => {
    const run = () => mapOne('deal', '5', { subscriptionType: 'deal.propertyChange', objectId: 5, propertyName: 'amount', propertyValue: '12,50' });
    expect(run).toThrow(expect.objectContaining({ code: 'ERR_CRM_INVALID_VALUE', message: expect.stringContaining('"12,50"') }));
  });
});
