import { describe, expect, it } from 'vitest';
import { commandValidatorFor } from '../actors/commandValidation.ts';

describe('actor command validation', () => {
  const validateOrder = commandValidatorFor('order');

  it('accepts a valid order command', () => {
    expect(validateOrder({ type: 'order.retry' })).toEqual({ ok: true });
  });

  it('lists only the entity type commands for an unknown type', () => {
    const result = validateOrder({ type: 'order.retyr' });
    expect(result.ok).toBe(false);
    const message = (result as { errors: string[] }).errors[0]!;
    expect(message).toContain('order.retry');
    expect(message).not.toContain('customer.resolve');
    expect(message).not.toContain('erp.salesOrder.created');
  });

  it('rejects a command of another entity type', () => {
    const result = validateOrder({ type: 'customer.resolve' });
    expect(result.ok).toBe(false);
    expect((result as { errors: string[] }).errors[0]).toContain('send it to the customer entity');
  });

  it('rejects an invalid payload with the field path', () => {
    const result = validateOrder({ type: 'order.upsert', data: { quantity: 'many' } });
    expect(result.ok).toBe(false);
  });
});
