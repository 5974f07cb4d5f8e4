import { describe, expect, it } from 'vitest';

import { invoiceMachine } from '../../machines/invoiceMachine.ts';
import { MachineDriver, type Effect } from './machineDriver.ts';

const body = {
  orderKey: 'opp-1',
  orderNumber: 'SO-9',
  customerNumber: 'C-100',
  amount: { amountMinor: 50_000, currency: 'USD' },
  productCode: 'P-1',
  quantity: 2,
};

const createRequest = { type: 'erp.invoice.create', params: { idempotencyKey: 'invoice:opp-1:create', invoice: body } };
const voidRequest = { type: 'erp.invoice.void', params: { idempotencyKey: 'invoice:opp-1:void', invoiceNumber: 'INV-3' } };

function tellOrder(event: object): Effect {
  return { type: 'ordo.send', params: { entityType: 'order', key: 'opp-1', event } };
}

const voidedReply = tellOrder({ type: 'invoice.voided', invoiceKey: 'opp-1' });

function startInvoice(): MachineDriver {
  return new MachineDriver(invoiceMachine, { key: 'opp-1', entityType: 'invoice' });
}

function openingInvoice(): MachineDriver {
  const invoice = startInvoice();
  invoice.send({ type: 'invoice.open', ...body });
  return invoice;
}

function issuedInvoice(): MachineDriver {
  const invoice = openingInvoice();
  invoice.send({ type: 'erp.invoice.created', invoiceNumber: 'INV-3' });
  return invoice;
}

function payment(amountMinor: number) {
  return { type: 'payment.received', amount: { amountMinor, currency: 'USD' } };
}

describe('invoiceMachine', () => {
  it('open requests the ERP invoice', () => {
    const invoice = startInvoice();

    const effects = invoice.send({ type: 'invoice.open', ...body });

    expect(invoice.value).toBe('opening');
    expect(invoice.context.key).toBe('opp-1');
    expect(effects).toEqual([createRequest]);
  });

  it('created invoice is issued to the order', () => {
    const invoice = openingInvoice();

    const effects = invoice.send({ type: 'erp.invoice.created', invoiceNumber: 'INV-3' });

    expect(invoice.value).toBe('issued');
    expect(effects).toEqual([tellOrder({ type: 'invoice.issued', invoiceKey: 'opp-1', invoiceNumber: 'INV-3' })]);
  });

  it('payments in full mark it paid', () => {
    const invoice = issuedInvoice();

    expect(invoice.send(payment(20_000))).toEqual([]);
    expect(invoice.value).toBe('issued');
    expect(invoice.context.paidMinor).toBe(20_000);

    const effects = invoice.send(payment(30_000));

    expect(invoice.value).toBe('paid');
    expect(invoice.snapshot.status).toBe('done');
    expect(effects).toEqual([tellOrder({ type: 'invoice.paid', invoiceKey: 'opp-1' })]);
  });

  it('payment before issue counts once created', () => {
    const invoice = openingInvoice();

    expect(invoice.send(payment(50_000))).toEqual([]);
    const effects = invoice.send({ type: 'erp.invoice.created', invoiceNumber: 'INV-3' });

    expect(invoice.value).toBe('paid');
    expect(effects).toEqual([
      tellOrder({ type: 'invoice.issued', invoiceKey: 'opp-1', invoiceNumber: 'INV-3' }),
      tellOrder({ type: 'invoice.paid', invoiceKey: 'opp-1' }),
    ]);
  });

  it('void of an issued invoice', () => {
    const invoice = issuedInvoice();

    expect(invoice.send({ type: 'invoice.void', reason: 'closed_lost' })).toEqual([voidRequest]);
    expect(invoice.value).toBe('voiding');

    expect(invoice.send({ type: 'erp.invoice.voided', invoiceNumber: 'INV-3' })).toEqual([voidedReply]);
    expect(invoice.value).toBe('voided');
    expect(invoice.snapshot.status).toBe('done');
  });

  it('void while opening voids the created invoice', () => {
    const invoice = openingInvoice();

    expect(invoice.send({ type: 'invoice.void', reason: 'closed_lost' })).toEqual([]);
    expect(invoice.value).toBe('opening');

    const created = invoice.send({ type: 'erp.invoice.created', invoiceNumber: 'INV-3' });
    expect(invoice.value).toBe('voiding');
    expect(created).toEqual([voidRequest]);

    expect(invoice.send({ type: 'erp.invoice.voided', invoiceNumber: 'INV-3' })).toEqual([voidedReply]);
    expect(invoice.value).toBe('voided');
  });

  it('void while opening then ERP rejection', () => {
    const invoice = openingInvoice();
    invoice.send({ type: 'invoice.void' });

    const effects = invoice.send({ type: 'erp.invoice.rejected', operation: 'erp.invoice.create', reason: 'taxConfigMissing', message: 'no tax' });

    expect(invoice.value).toBe('voided');
    expect(effects).toEqual([voidedReply]);
  });

  it('void before open needs no ERP call', () => {
    const invoice = startInvoice();

    const effects = invoice.send({ type: 'invoice.void' });

    expect(invoice.value).toBe('voided');
    expect(effects).toEqual([voidedReply]);
    expect(invoice.send({ type: 'invoice.open', ...body })).toEqual([]);
  });

  it('ERP rejection raises and tells the order', () => {
    const invoice = openingInvoice();

    const effects = invoice.send({ type: 'erp.invoice.rejected', operation: 'erp.invoice.create', reason: 'taxConfigMissing', message: 'no tax region' });

    expect(invoice.value).toBe('rejected');
    expect(effects).toEqual([
      {
        type: 'crm.exception.raise',
        params: {
          reason: 'taxConfigMissing',
          message: 'ERP rejected invoice for order opp-1: no tax region',
          details: { entityType: 'invoice', key: 'opp-1', operation: 'erp.invoice.create' },
        },
      },
      tellOrder({ type: 'invoice.failed', invoiceKey: 'opp-1', reason: 'taxConfigMissing' }),
    ]);

    expect(invoice.send({ type: 'invoice.void' })).toEqual([voidedReply]);
    expect(invoice.value).toBe('voided');
  });

  it('rejected void can be retried', () => {
    const invoice = issuedInvoice();
    invoice.send({ type: 'invoice.void' });

    const effects = invoice.send({ type: 'erp.invoice.rejected', operation: 'erp.invoice.void', reason: 'periodClosed', message: 'period closed' });

    expect(invoice.value).toBe('voidFailed');
    expect(effects[0]).toEqual({
      type: 'crm.exception.raise',
      params: {
        reason: 'invoiceVoidFailed',
        message: 'ERP rejected the void of invoice INV-3 of order opp-1: period closed',
        details: { entityType: 'invoice', key: 'opp-1', operation: 'erp.invoice.void', cause: 'periodClosed', invoiceNumber: 'INV-3' },
      },
    });
    expect(effects[1]).toEqual(tellOrder({ type: 'invoice.failed', invoiceKey: 'opp-1', reason: 'periodClosed' }));

    expect(invoice.send({ type: 'invoice.void' })).toEqual([voidRequest]);
    expect(invoice.value).toBe('voiding');
  });

  it('survives persist and restore mid-workflow', () => {
    const invoice = openingInvoice();
    invoice.send({ type: 'invoice.void' });

    invoice.restore();
    expect(invoice.value).toBe('opening');
    expect(invoice.context.voidRequested).toBe(true);

    expect(invoice.send({ type: 'erp.invoice.created', invoiceNumber: 'INV-3' })).toEqual([voidRequest]);
    invoice.restore();
    expect(invoice.send({ type: 'erp.invoice.voided', invoiceNumber: 'INV-3' })).toEqual([voidedReply]);
  });
});
