import { assign, setup } from 'xstate';
import type { EntityDefinition } from '../src/entityDefinition.ts';

/** A small machine with the shape of a real entity: a context update and a state change per message. */
export const counterMachine = setup({
  types: {} as {
    context: { count: number; last: number };
    events: { type: 'append'; value: number };
  },
}).createMachine({
  id: 'counter',
  context: { count: 0, last: -1 },
  initial: 'even',
  states: {
    even: { on: { append: { target: 'odd', actions: assign(({ context, event }) => ({ count: context.count + 1, last: event.value })) } } },
    odd: { on: { append: { target: 'even', actions: assign(({ context, event }) => ({ count: context.count + 1, last: event.value })) } } },
  },
});

export const counterDefinition: EntityDefinition = {
  type: 'ledger',
  machine: counterMachine,
  validateCommand: (event) =>
    typeof (event as { value?: unknown }).value === 'number' ? { ok: true } : { ok: false, errors: ['append.value must be a number'] },
};
