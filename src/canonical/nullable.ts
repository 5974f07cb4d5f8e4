import { Type, type TSchema } from '@sinclair/typebox';

/** Wraps a field schema so the field may be missing or `null` (cleared in the CRM). */
export function nullable<T extends TSchema>(schema: T) {
  return Type.Optional(Type.Union([schema, Type.Null()]));
}
