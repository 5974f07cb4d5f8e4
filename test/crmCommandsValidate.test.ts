import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commandEntityTypes, type CommandType } from '../src/canonical/commandSchemas.ts';
import { validateCommand } from '../src/canonical/validateCommand.ts';
import { mapCrmEvent } from '../src/crm/mapCrmEvent.ts';
import type { CrmEventInput } from '../src/crm/entityCommand.ts';

function fixture(name: string): any {
  return JSON.parse(readFileSync(new URL(`./fixtures/crm/${name}`, import.meta.url), 'utf8'));
}

const INPUTS: Array<[string, CrmEventInput]> = [
  ['generic account', { source: 'generic', object: 'account', objectId: 'ACC-1001', body: fixture('generic-account-upserted.json'), msgId: 'g1' }],
  ['generic opportunity', { source: 'generic', object: 'opportunity', objectId: 'OPP-2001', body: fixture('generic-opportunity-upserted.json'), msgId: 'g2' }],
  ['generic payment', { source: 'generic', object: 'payment', objectId: 'PAY-3001', body: fixture('generic-payment-received.json'), msgId: 'g3' }],
  ['salesforce create', { source: 'salesforce', object: 'Account', objectId: '0015f00002JUXA8AAP', body: fixture('salesforce-cdc-account-create.json'), msgId: 's1' }],
  ['salesforce update', { source: 'salesforce', object: 'Opportunity', objectId: '0065f00000Ks1AAAAZ', body: fixture('salesforce-cdc-opportunity-update-three-records.json'), msgId: 's2' }],
  ['salesforce gap', { source: 'salesforce', object: 'Account', objectId: '0015f00002JUXA8AAP', body: fixture('salesforce-cdc-gap-update.json'), msgId: 's3' }],
  ['salesforce overflow', { source: 'salesforce', object: 'Opportunity', objectId: '0065f00000Ks1AAAAZ', body: fixture('salesforce-cdc-overflow.json'), msgId: 's4' }],
  ['hubspot newest first', { source: 'hubspot', object: 'deal', objectId: '9876543210', body: fixture('hubspot-delivery-newest-first.json'), msgId: 'h1' }],
  ['hubspot retry', { source: 'hubspot', object: 'company', objectId: '6355821024', body: fixture('hubspot-retry-attempt-1.json'), msgId: 'h2' }],
];

describe('commands mapped from fixtures', () => {
  it.each(INPUTS)('validate for %s', (_name, input) => {
    const { commands } = mapCrmEvent(input);
    expect(commands.length).toBeGreaterThan(0);

    for (const command of commands) {
      expect(validateCommand(command.event)).toEqual({ ok: true });
      expect(commandEntityTypes[command.event.type as CommandType]).toBe(command.entityType);
      expect(command.key).not.toBe('');
    }
  });

  it('validate with meta added by the host', () => {
    const [command] = mapCrmEvent(INPUTS[0]![1]).commands;
    const withMeta = { ...command!.event, meta: { seq: 1, msgId: command!.msgId, time: '2024-06-01T12:00:00Z', timeMs: 1717243200000, partition: 7 } };
    expect(validateCommand(withMeta)).toEqual({ ok: true });
  });

  it('have unique msgIds across all fixtures', () => {
    const msgIds = INPUTS.flatMap(([, input]) => mapCrmEvent(input).commands.map((command) => command.msgId));
    expect(new Set(msgIds).size).toBe(msgIds.length);
  });
});
