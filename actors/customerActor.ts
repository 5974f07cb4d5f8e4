import { customerMachine } from '../machines/customerMachine.ts';
import type { EntityDefinition } from '../src/entityDefinition.ts';
import { commandValidatorFor } from './commandValidation.ts';

/** A CRM account synchronised to an ERP customer; key: the CRM account id. */
export const customerActor: EntityDefinition = {
  type: 'customer',
  machine: customerMachine,
  validateCommand: commandValidatorFor('customer'),
};
