import type { OrderTimings } from '../machines/orderContext.ts';
import type { EntityDefinition } from '../src/entityDefinition.ts';
import { customerActor } from './customerActor.ts';
import { invoiceActor } from './invoiceActor.ts';
import { createOrderActor, orderActor } from './orderActor.ts';

/** The entity types of the quote-to-cash workflow. */
export const quoteToCashActors = [customerActor, orderActor, invoiceActor] as const;

/** Builds the quote-to-cash entity types with order timings other than the defaults. */
export function createQuoteToCashActors(options: { orderTimings?: Partial<OrderTimings> } = {}): EntityDefinition[] {
  return [customerActor, createOrderActor(options.orderTimings), invoiceActor];
}
