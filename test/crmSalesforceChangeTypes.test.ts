import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mapCrmEvent } from '../src/crm/mapCrmEvent.ts';

function fixture(name: string): Record<string, any> {
  return JSON.parse(readFileSync(new URL(`./fixtures/crm/${name}`, import.meta.url), 'utf8'));
}

const ACCOUNT_ID = '0015f00002JUXA8AAP';
const OPPORTUNITY_ID = '0065f00000Ks1AAAAZ';

function mapAccount(body: unknown) {
  return mapCrmEvent({ source: 'salesforce', object: 'Account', objectId: ACCOUNT_ID, body, msgId: 'sf-evt-7' });
}

function mapOpportunity(body: unknown) {
  return mapCrmEvent({ source: 'salesforce', object: 'Opportunity', objectId: OPPORTUNITY_ID, body, msgId: 'sf-evt-8' });
}

function withHeader(body: Record<string, any>, header: Record<string, unknown>) {
  return { ...body, ChangeEventHeader: { ...body.ChangeEventHeader, ...header } };
}

describe('Salesforce change types', () => {
  it('maps CREATE with compound address fields', () => {
    const [command] = mapAccount(fixture('salesforce-cdc-account-create.json')).commands;
    expect(command?.event).toMatchObject({
      type: 'customer.upsert',
      data: {
        accountId: ACCOUNT_ID,
        name: 'Wheelworks',
        country: 'USA',
        taxRegion: 'MA',
        annualRevenue: { amountMinor: 250000050, currency: 'USD' },
      },
    });
    expect(command?.event).not.toHaveProperty('data.sector');
    expect(command?.event).not.toHaveProperty('data.parentAccountId');
  });

  it('maps UPDATE of a compound field part', () => {
    const body = withHeader(
      { BillingAddress: { Country: 'Germany', City: 'Berlin' }, Industry: 'Retail' },
      { ...fixture('salesforce-cdc-account-create.json').ChangeEventHeader, changeType: 'UPDATE', changedFields: ['BillingAddress.Country', 'BillingAddress.City'], nulledFields: ['Industry'] },
    );
    const [command] = mapAccount(body).commands;
    expect(command?.event).toMatchObject({ data: { accountId: ACCOUNT_ID, country: 'Germany', sector: null } });
    expect(command?.event).not.toHaveProperty('data.name');
  });

  it('rejects field bitmaps the bridge did not decode', () => {
    const body = withHeader(fixture('salesforce-cdc-account-create.json'), { changeType: 'UPDATE', changedFields: ['0x400080'] });
    expect(() => mapAccount(body)).toThrow(expect.objectContaining({ code: 'ERR_CRM_INVALID_EVENT', message: expect.stringContaining('0x400080') }));
  });

  it('rejects a changed field without value', () => {
    const body = withHeader({}, { ...fixture('salesforce-cdc-account-create.json').ChangeEventHeader, changeType: 'UPDATE', changedFields: ['Name'] });
    expect(() => mapAccount(body)).toThrow(expect.objectContaining({ code: 'ERR_CRM_INVALID_EVENT', message: expect.stringContaining('Name') }));
  });

  it('maps DELETE of an opportunity to order.cancel', () => {
    const body = withHeader(fixture('salesforce-cdc-overflow.json'), { changeType: 'DELETE' });
    const [command] = mapOpportunity(body).commands;
    expect(command?.event).toMatchObject({ type: 'order.cancel', reason: 'opportunity deleted in Salesforce', source: { eventId: 'sf-evt-8' } });
  });

  it('maps DELETE of an account to a resync', () => {
    const body = withHeader(fixture('salesforce-cdc-gap-update.json'), { changeType: 'DELETE' });
    const commands = mapAccount(body).commands;
    expect(commands.map((command) => command.event)).toEqual([
      expect.objectContaining({ type: 'customer.resync', reason: 'deleted' }),
      expect.objectContaining({ type: 'customer.resync', reason: 'deleted' }),
    ]);
  });

  it('maps UNDELETE like CREATE', () => {
    const body = withHeader(fixture('salesforce-cdc-account-create.json'), { changeType: 'UNDELETE' });
    expect(mapAccount(body).commands[0]?.event).toMatchObject({ type: 'customer.upsert', data: { name: 'Wheelworks' } });
  });

  it('maps stage names', () => {
    const header = { ...fixture('salesforce-cdc-overflow.json').ChangeEventHeader, changeType: 'UPDATE', changedFields: ['StageName'] };
    const stageOf = (StageName: string) => (mapOpportunity({ ChangeEventHeader: header, StageName }).commands[0]?.event as any).data.stage;
    expect(stageOf('Closed Won')).toBe('closed_won');
    expect(stageOf('Closed Lost')).toBe('closed_lost');
    expect(stageOf('Prospecting')).toBe('prospecting');
    expect(stageOf('Negotiation/Review')).toBe('engaging');
  });

  it('rejects an event on another object subject', () => {
    const body = fixture('salesforce-cdc-account-create.json');
    const run = () => mapCrmEvent({ source: 'salesforce', object: 'Opportunity', objectId: ACCOUNT_ID, body, msgId: 'm' });
    expect(run).toThrow(expect.objectContaining({ code: 'ERR_CRM_INVALID_EVENT' }));
  });

  it('rejects a subject id outside recordIds', () => {
    const body = fixture('salesforce-cdc-account-create.json');
    const run = () => mapCrmEvent({ source: 'salesforce', object: 'Account', objectId: '001000000000000AAA', body, msgId: 'm' });
    expect(run).toThrow(expect.objectContaining({ code: 'ERR_CRM_OBJECT_ID_MISMATCH' }));
  });

  it('rejects an unhandled object', () => {
    const run = () => mapCrmEvent({ source: 'salesforce', object: 'Lead', objectId: '00Q1', body: {}, msgId: 'm' });
    expect(run).toThrow(expect.objectContaining({ code: 'ERR_CRM_UNKNOWN_OBJECT' }));
  });

  it('rejects an unknown change type', () => {
    const body = withHeader(fixture('salesforce-cdc-account-create.json'), { changeType: 'SNAPSHOT' });
    expect(() => mapAccount(body)).toThrow(expect.objectContaining({ code: 'ERR_CRM_INVALID_EVENT', message: expect.stringContaining('/ChangeEventHeader/changeType') }));
  });

  it('rejects an amount that is not a number', () => {
    const header = { ...fixture('salesforce-cdc-overflow.json').ChangeEventHeader, changeType: 'UPDATE', changedFields: ['Amount'] };
    const run = () => mapOpportunity({ ChangeEventHeader: header, Amount: 'lots' });
    expect(run).toThrow(expect.objectContaining({ code: 'ERR_CRM_INVALID_VALUE', message: expect.stringContaining('"lots"') }));
  });
});
