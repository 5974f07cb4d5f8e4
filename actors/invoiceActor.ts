import { invoiceMachine } from '../machines/invoiceMachine.ts';
import type { EntityDefinition } from '../src/entityDefinition.ts';
import { commandValidatorFor } from './commandValidation.ts';

/** The ERP invoice of a confirmed order; key: the order key. */
export const invoiceActor: EntityDefinition = {
  type: 'invoice',
  machine: invoiceMachine,
  validateCommand: commandValidatorFor('invoice'),
};
