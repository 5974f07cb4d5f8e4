import { Type, type TProperties } from '@sinclair/typebox';
import { CommandMeta } from './commandMeta.ts';

// The host takes `meta.time` from a body's `eventTime` when there is one, so a body may carry it.
const eventTime = Type.Optional(Type.String({ format: 'date-time', description: 'event time, ISO 8601' }));

/**
 * Builds the schema of one entity command: `type` fixed to the command name, the payload
 * fields beside it, and the optional `eventTime` and `meta`. Any other field is rejected,
 * so a misspelt payload field fails validation instead of being ignored.
 */
export function commandSchema<Name extends string, Payload extends TProperties>(type: Name, payload: Payload) {
  return Type.Object(
    { type: Type.Literal(type), ...payload, eventTime, meta: Type.Optional(CommandMeta) },
    { additionalProperties: false, title: type },
  );
}
