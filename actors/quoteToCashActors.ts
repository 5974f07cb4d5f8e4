import { customerActor } from './customerActor.ts';
import { invoiceActor } from './invoiceActor.ts';
import { orderActor } from './orderActor.ts';

/** The entity types of the quote-to-cash workflow. */
export const quoteToCashActors = [customerActor, orderActor, invoiceActor] as const;
