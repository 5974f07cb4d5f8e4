import { Type, type Static } from '@sinclair/typebox';
import { Money } from './money.ts';

/** A sellable item. `productCode` is its code in the ERP catalogue. */
export const Product = Type.Object(
  {
    productCode: Type.String({ minLength: 1 }),
    name: Type.String({ minLength: 1 }),
    family: Type.Optional(Type.String({ minLength: 1 })),
    listPrice: Type.Optional(Money),
  },
  { additionalProperties: false, title: 'Product' },
);
export type Product = Static<typeof Product>;
