import { orderMachine } from '../machines/orderMachine.ts';
import type { EntityDefinition } from '../src/entityDefinition.ts';
import { commandValidatorFor } from './commandValidation.ts';

/** A CRM opportunity that becomes an ERP sales order when won; key: the CRM opportunity id. */
export const orderActor: EntityDefinition = {
  type: 'order',
  machine: orderMachine,
  validateCommand: commandValidatorFor('order'),
};
