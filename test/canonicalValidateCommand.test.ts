import { describe, expect, it } from 'vitest';
import { commandEntityTypes, commandSchemas } from '../src/canonical/commandSchemas.ts';
import { SCHEMA_VERSION } from '../src/canonical/schemaVersion.ts';
import { validateCommand } from '../src/canonical/validateCommand.ts';

const source = { system: 'salesforce', eventId: 'evt-1', version: 12, timestamp: '2024-06-01T12:00:00.000Z' };
const meta = { seq: 5, msgId: 'm-1', time: '2024-06-01T12:00:01.000Z', timeMs: 1717243201000, partition: 3 };

function errorsOf(event: unknown): string[] {
  const result = validateCommand(event);
  return result.ok ? [] : result.errors;
}

describe('validateCommand', () => {
  it('accepts an order upsert with meta', () => {
    const event = {
      type: 'order.upsert',
      data: { opportunityId: 'OPP-1', amount: { amountMinor: 1999, currency: 'USD' }, stage: 'closed_won', quantity: null },
      source,
      meta,
    };
    expect(validateCommand(event)).toEqual({ ok: true });
  });

  it('accepts payload-free commands', () => {
    expect(validateCommand({ type: 'order.retry' })).toEqual({ ok: true });
    expect(validateCommand({ type: 'customer.resolve', note: 'tax id added' })).toEqual({ ok: true });
  });

  it('names the path of a float amount', () => {
    const errors = errorsOf({ type: 'payment.received', amount: { amountMinor: 19.99, currency: 'USD' } });
    expect(errors.some((error) => error.startsWith('/amount/amountMinor:') && error.includes('19.99'))).toBe(true);
  });

  it('rejects a lowercase currency', () => {
    const errors = errorsOf({ type: 'payment.received', amount: { amountMinor: 1999, currency: 'usd' } });
    expect(errors.some((error) => error.startsWith('/amount/currency:'))).toBe(true);
  });

  it('rejects an unknown field', () => {
    const errors = errorsOf({ type: 'order.cancel', reasn: 'typo' });
    expect(errors.some((error) => error.includes('reasn'))).toBe(true);
  });

  it('rejects an unknown stage', () => {
    const errors = errorsOf({ type: 'order.upsert', data: { opportunityId: 'OPP-1', stage: 'won' }, source });
    expect(errors.some((error) => error.startsWith('/data/stage:'))).toBe(true);
  });

  it('rejects a bad source timestamp', () => {
    const errors = errorsOf({ type: 'customer.resync', reason: 'gap', source: { ...source, timestamp: 'yesterday' } });
    expect(errors.some((error) => error.startsWith('/source/timestamp:'))).toBe(true);
  });

  it('rejects an impossible close date', () => {
    const errors = errorsOf({ type: 'order.upsert', data: { opportunityId: 'OPP-1', closeDate: '2024-02-30' }, source });
    expect(errors.some((error) => error.startsWith('/data/closeDate:'))).toBe(true);
  });

  it('reports a missing required field', () => {
    const errors = errorsOf({ type: 'erp.salesOrder.created' });
    expect(errors.some((error) => error.startsWith('/orderNumber:'))).toBe(true);
  });

  it('rejects an unknown command type and lists the known ones', () => {
    const errors = errorsOf({ type: 'order.explode' });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('"order.explode"');
    expect(errors[0]).toContain('order.upsert');
  });

  it('rejects a non-object', () => {
    expect(errorsOf('order.retry')[0]).toContain('expected a command object');
    expect(errorsOf(null)[0]).toContain('expected a command object');
  });

  it('covers every command of the vocabulary', () => {
    expect(Object.keys(commandSchemas).sort()).toEqual(Object.keys(commandEntityTypes).sort());
    expect(Object.keys(commandSchemas)).toHaveLength(26);
    expect(SCHEMA_VERSION).toBe(1);
  });
});
