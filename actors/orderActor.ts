import { orderMachine } from '../machines/orderMachine.ts';
import type { OrderTimings } from '../machines/orderContext.ts';
import type { EntityDefinition } from '../src/entityDefinition.ts';
import { commandValidatorFor } from './commandValidation.ts';

/** A CRM opportunity that becomes an ERP sales order when won; key: the CRM opportunity id. */
export const orderActor: EntityDefinition = createOrderActor();

/** Builds the order actor; `timings` override the machine's defaults for new orders. */
export function createOrderActor(timings: Partial<OrderTimings> = {}): EntityDefinition {
  return {
    type: 'order',
    machine: orderMachine,
    validateCommand: commandValidatorFor('order'),
    input: (key) => ({ ...timings, key }),
  };
}
