import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CrmMappingError } from '../src/crm/crmMappingError.ts';
import { mapCrmEvent } from '../src/crm/mapCrmEvent.ts';

function fixture(name: string): Record<string, any> {
  return JSON.parse(readFileSync(new URL(`./fixtures/crm/${name}`, import.meta.url), 'utf8'));
}

function mapSalesforce(object: string, body: Record<string, any>, msgId = 'sf-gap-1') {
  return mapCrmEvent({ source: 'salesforce', object, objectId: body.ChangeEventHeader.recordIds[0] ?? '-', body, msgId });
}

describe('Salesforce gap and overflow events', () => {
  it('turn a gap into customer resyncs without data', () => {
    const body = fixture('salesforce-cdc-gap-update.json');
    const { commands } = mapSalesforce('Account', body);

    expect(commands.map((command) => command.key)).toEqual(body.ChangeEventHeader.recordIds);
    for (const command of commands) {
      expect(command.entityType).toBe('customer');
      expect(command.event).toEqual({
        type: 'customer.resync',
        reason: 'gap',
        source: { system: 'salesforce', eventId: 'sf-gap-1', version: 1100670839100, sequence: 1, timestamp: '2024-06-01T13:53:20.000Z' },
      });
      expect(command.event).not.toHaveProperty('data');
    }
  });

  it.each(['GAP_CREATE', 'GAP_DELETE', 'GAP_UNDELETE'])('treat %s as a gap', (changeType) => {
    const body = fixture('salesforce-cdc-gap-update.json');
    body.ChangeEventHeader.changeType = changeType;
    body.Name = 'values in a gap event are never applied';
    const { commands } = mapSalesforce('Account', body);
    expect(commands.map((command) => command.event.type)).toEqual(['customer.resync', 'customer.resync']);
  });

  it('turn an overflow into an order resync', () => {
    const { commands } = mapSalesforce('Opportunity', fixture('salesforce-cdc-overflow.json'));
    expect(commands).toHaveLength(1);
    expect(commands[0]?.entityType).toBe('order');
    expect(commands[0]?.event).toMatchObject({ type: 'order.resync', reason: 'overflow' });
    expect(commands[0]?.event).not.toHaveProperty('data');
  });

  it('reject an overflow without record ids', () => {
    let caught: unknown;
    try {
      mapSalesforce('Opportunity', fixture('salesforce-cdc-overflow-no-records.json'));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CrmMappingError);
    expect((caught as CrmMappingError).code).toBe('ERR_CRM_UNADDRESSABLE_EVENT');
    expect((caught as CrmMappingError).message).toContain('resynchronise all Opportunity records');
  });

  it('reject a wildcard record id', () => {
    const body = fixture('salesforce-cdc-gap-update.json');
    body.ChangeEventHeader.recordIds = ['001*'];
    expect(() => mapSalesforce('Account', body)).toThrow(expect.objectContaining({ code: 'ERR_CRM_UNADDRESSABLE_EVENT' }));
  });
});
