import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mapCrmEvent } from '../src/crm/mapCrmEvent.ts';
import { validateCommand } from '../src/canonical/validateCommand.ts';

interface TreeRecord {
  attributes: { type: string; referenceId: string };
  [field: string]: unknown;
}

function records(name: string): TreeRecord[] {
  return JSON.parse(readFileSync(new URL(`./fixtures/crm/${name}`, import.meta.url), 'utf8')).records;
}

// sObject Tree files name records by referenceId; these stand-in ids play the org's record ids.
const RECORD_IDS: Record<string, string> = {
  AccountRef1: '0015f00002EBK001AA',
  AccountRef2: '0015f00002EBK002AA',
  AccountRef3: '0015f00002EBK003AA',
  OpportunityRef1: '0065f00000EBK001AA',
};

// Wraps a plain record into the CREATE change event Salesforce would publish for it.
function createEvent(record: TreeRecord, index: number) {
  const { attributes, ...fields } = record;
  const resolved = Object.fromEntries(
    Object.entries(fields).map(([field, value]) => [field, typeof value === 'string' && value.startsWith('@') ? RECORD_IDS[value.slice(1)] : value]),
  );
  const recordId = RECORD_IDS[attributes.referenceId]!;
  const body = {
    ChangeEventHeader: {
      entityName: attributes.type,
      recordIds: [recordId],
      changeType: 'CREATE',
      commitTimestamp: Date.UTC(2024, 5, 1, 12, 0, index),
      commitNumber: 1_100_670_840_000 + index,
      sequenceNumber: 1,
      changedFields: [],
      nulledFields: [],
      diffFields: [],
    },
    ...resolved,
  };
  return { source: 'salesforce', object: attributes.type, objectId: recordId, body, msgId: `ebikes-${attributes.referenceId}` };
}

describe('Salesforce E-Bikes sample records', () => {
  it('map the three accounts to customers', () => {
    const commands = records('salesforce-ebikes-accounts.json').flatMap((record, index) => mapCrmEvent(createEvent(record, index)).commands);

    expect(commands.map((command) => command.key)).toEqual([RECORD_IDS.AccountRef1, RECORD_IDS.AccountRef2, RECORD_IDS.AccountRef3]);
    expect(commands.map((command) => command.event)).toEqual([
      expect.objectContaining({ type: 'customer.upsert', data: { accountId: RECORD_IDS.AccountRef1, name: 'Wheelworks', country: 'USA', taxRegion: 'MA' } }),
      expect.objectContaining({ data: { accountId: RECORD_IDS.AccountRef2, name: 'Northern Trail Cycling', country: 'USA', taxRegion: 'CA' } }),
      expect.objectContaining({ data: { accountId: RECORD_IDS.AccountRef3, name: 'Trailblazers', country: 'USA', taxRegion: 'NY' } }),
    ]);
  });

  it('maps the opportunity to an order of its account', () => {
    const [record] = records('salesforce-ebikes-opportunities.json');
    const [command] = mapCrmEvent(createEvent(record!, 0)).commands;

    expect(command?.entityType).toBe('order');
    expect(command?.key).toBe(RECORD_IDS.OpportunityRef1);
    expect(command?.event).toEqual({
      type: 'order.upsert',
      data: {
        opportunityId: RECORD_IDS.OpportunityRef1,
        accountId: RECORD_IDS.AccountRef3,
        stage: 'engaging',
        amount: { amountMinor: 2_300_000, currency: 'USD' },
        closeDate: '2026-08-31',
      },
      source: {
        system: 'salesforce',
        eventId: 'ebikes-OpportunityRef1',
        version: 1_100_670_840_000,
        sequence: 1,
        timestamp: '2024-06-01T12:00:00.000Z',
      },
    });
    expect(validateCommand(command?.event)).toEqual({ ok: true });
  });
});
