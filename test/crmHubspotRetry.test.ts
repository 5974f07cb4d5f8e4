import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mapCrmEvent } from '../src/crm/mapCrmEvent.ts';

function fixture(name: string): unknown[] {
  return JSON.parse(readFileSync(new URL(`./fixtures/crm/${name}`, import.meta.url), 'utf8'));
}

function mapDelivery(body: unknown[], msgId: string) {
  return mapCrmEvent({ source: 'hubspot', object: 'company', objectId: '6355821024', body, msgId });
}

describe('HubSpot retry', () => {
  it('yields the same msgIds as the first attempt', () => {
    const first = mapDelivery(fixture('hubspot-retry-attempt-0.json'), 'delivery-a');
    const retry = mapDelivery(fixture('hubspot-retry-attempt-1.json'), 'delivery-b');

    const byMsgId = (commands: typeof first.commands) => [...commands].sort((a, b) => a.msgId.localeCompare(b.msgId));
    expect(byMsgId(retry.commands)).toEqual(byMsgId(first.commands));
    expect(first.commands.map((command) => command.msgId)).toEqual(['hubspot:27356661:1859974:502:0', 'hubspot:27356661:1859975:503:0']);
  });

  it('maps deal.creation to an upsert with the id only', () => {
    const { commands } = mapDelivery(fixture('hubspot-retry-attempt-0.json'), 'delivery-a');
    expect(commands[1]).toMatchObject({ entityType: 'order', key: '9876543211', event: { type: 'order.upsert', data: { opportunityId: '9876543211' } } });
  });

  it('separates equal event ids of other portals', () => {
    const [event] = fixture('hubspot-retry-attempt-0.json') as Array<Record<string, unknown>>;
    const otherPortal = { ...event, portalId: 999 };
    const ours = mapDelivery([event], 'a').commands[0]?.msgId;
    const theirs = mapDelivery([otherPortal], 'b').commands[0]?.msgId;
    expect(ours).not.toBe(theirs);
  });
});
