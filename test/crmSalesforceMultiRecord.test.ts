import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mapCrmEvent } from '../src/crm/mapCrmEvent.ts';

const body = JSON.parse(
  readFileSync(new URL('./fixtures/crm/salesforce-cdc-opportunity-update-three-records.json', import.meta.url), 'utf8'),
);
const recordIds: string[] = body.ChangeEventHeader.recordIds;

function mapThreeRecords(msgId = 'sf-replay-000123') {
  return mapCrmEvent({ source: 'salesforce', object: 'Opportunity', objectId: recordIds[0]!, body, msgId });
}

describe('Salesforce event naming three records', () => {
  it('yields one order command per record', () => {
    const { commands } = mapThreeRecords();
    expect(commands.map((command) => command.key)).toEqual(recordIds);
    expect(commands.every((command) => command.entityType === 'order')).toBe(true);
  });

  it('derives msgIds from the event id and position', () => {
    const { commands } = mapThreeRecords();
    expect(commands.map((command) => command.msgId)).toEqual([
      'salesforce:sf-replay-000123:0',
      'salesforce:sf-replay-000123:1',
      'salesforce:sf-replay-000123:2',
    ]);
    expect(mapThreeRecords()).toEqual(mapThreeRecords());
  });

  it('sets only changed and nulled fields', () => {
    const [first] = mapThreeRecords().commands;
    expect(first?.event).toEqual({
      type: 'order.upsert',
      data: {
        opportunityId: recordIds[0],
        stage: 'closed_won',
        amount: { amountMinor: 123457, currency: 'USD' },
        quantity: null,
      },
      source: {
        system: 'salesforce',
        eventId: 'sf-replay-000123',
        version: 1100670839012,
        sequence: 1,
        timestamp: '2024-06-01T12:00:00.000Z',
      },
    });
  });

  it('gives each record its own data object', () => {
    const { commands } = mapThreeRecords();
    const keys = commands.map((command) => (command.event as { data: { opportunityId: string } }).data.opportunityId);
    expect(keys).toEqual(recordIds);
    expect(commands[0]?.event).not.toBe(commands[1]?.event);
  });

  it('uses CurrencyIsoCode when the event has one', () => {
    const withCurrency = { ...body, CurrencyIsoCode: 'JPY', Amount: 150000 };
    const [command] = mapCrmEvent({ source: 'salesforce', object: 'Opportunity', objectId: recordIds[0]!, body: withCurrency, msgId: 'm' }).commands;
    expect(command?.event).toMatchObject({ data: { amount: { amountMinor: 150000, currency: 'JPY' } } });
  });

  it('uses the default currency option otherwise', () => {
    const input = { source: 'salesforce', object: 'Opportunity', objectId: recordIds[0]!, body, msgId: 'm' };
    const [command] = mapCrmEvent(input, { defaultCurrency: 'EUR' }).commands;
    expect(command?.event).toMatchObject({ data: { amount: { amountMinor: 123457, currency: 'EUR' } } });
  });
});
