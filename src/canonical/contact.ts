import { Type, type Static } from '@sinclair/typebox';

/** A person at a customer account. No command carries contacts yet; bridges may send them. */
export const Contact = Type.Object(
  {
    contactId: Type.String({ minLength: 1 }),
    accountId: Type.Optional(Type.String({ minLength: 1 })),
    firstName: Type.Optional(Type.String()),
    lastName: Type.String({ minLength: 1 }),
    email: Type.Optional(Type.String({ minLength: 3 })),
    phone: Type.Optional(Type.String()),
  },
  { additionalProperties: false, title: 'Contact' },
);
export type Contact = Static<typeof Contact>;
