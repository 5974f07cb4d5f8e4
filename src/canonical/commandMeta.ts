import { Type, type Static } from '@sinclair/typebox';

/**
 * Message metadata the host adds to every command before a machine receives it. Machines
 * read time and ids only from here. Unknown fields are allowed so the host can add more
 * without a schema change.
 */
export const CommandMeta = Type.Object(
  {
    seq: Type.Integer({ minimum: 0, description: 'inbox stream sequence of the message' }),
    msgId: Type.String({ description: "the message's Nats-Msg-Id" }),
    time: Type.String({ format: 'date-time', description: 'event time, ISO 8601' }),
    timeMs: Type.Integer({ description: 'the same instant in epoch milliseconds' }),
    partition: Type.Integer({ minimum: 0 }),
    sender: Type.Optional(Type.String({ description: 'who sent an operator command (Ordo-Sender header)' })),
  },
  { title: 'CommandMeta' },
);
export type CommandMeta = Static<typeof CommandMeta>;
