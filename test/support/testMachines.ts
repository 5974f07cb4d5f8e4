import { assign, cancel, emit, enqueueActions, raise, setup } from 'xstate';
import type { EntityDefinition } from '../../src/entityDefinition.ts';
import { sendToEntity } from '../../src/machineEffects.ts';

type Meta = { seq: number; msgId: string; timeMs: number; key: string };

/** Appends each `append` value to a list, so a test can compare the list with publish order. */
export const ledgerMachine = setup({
  types: {} as {
    context: { values: number[]; lastSeq: number };
    events:
      | { type: 'append'; value: number; meta: Meta }
      | { type: 'ping'; n: number; meta: Meta }
      | { type: 'forward'; meta: Meta }
      | { type: 'boom'; meta: Meta };
  },
  actions: {
    // Executed by the host from the returned action object, never by XState.
    'ordo.send': () => {},
  },
}).createMachine({
  id: 'ledger',
  context: { values: [], lastSeq: 0 },
  on: {
    append: { actions: assign(({ context, event }) => ({ values: [...context.values, event.value], lastSeq: event.meta.seq })) },
    ping: { actions: emit(({ event }) => ({ type: 'pinged', n: event.n })) },
    forward: { actions: enqueueActions(({ enqueue }) => enqueue(sendToEntity({ entityType: 'ledger', key: 'forwarded', event: { type: 'append', value: 0 } }))) },
    boom: {
      guard: () => {
        throw new Error('guard exploded on purpose');
      },
      actions: assign({ lastSeq: 0 }),
    },
  },
});

/** Arms a durable timer on `arm` and records the ring; `disarm` cancels it. */
export const alarmMachine = setup({
  types: {} as {
    context: { rings: number; delayMs: number };
    events: { type: 'arm'; delayMs: number; meta: Meta } | { type: 'disarm'; meta: Meta } | { type: 'ring'; meta?: Meta };
  },
}).createMachine({
  id: 'alarm',
  context: { rings: 0, delayMs: 0 },
  initial: 'idle',
  states: {
    idle: {
      on: {
        arm: {
          target: 'armed',
          actions: [assign({ delayMs: ({ event }) => event.delayMs }), raise({ type: 'ring' }, { id: 'ring', delay: ({ event }) => event.delayMs })],
        },
      },
    },
    armed: {
      on: {
        ring: { target: 'idle', actions: assign({ rings: ({ context }) => context.rings + 1 }) },
        disarm: { target: 'idle', actions: cancel('ring') },
      },
    },
  },
});

export const ledgerDefinition: EntityDefinition = {
  type: 'ledger',
  machine: ledgerMachine,
  validateCommand: (event) => {
    const { type, value } = event as { type: string; value?: unknown };
    if (type === 'append' && typeof value !== 'number') return { ok: false, errors: [`append.value must be a number, got ${JSON.stringify(value)}`] };
    return { ok: true };
  },
};

export const alarmDefinition: EntityDefinition = { type: 'alarm', machine: alarmMachine };

export const TEST_ENTITIES = [ledgerDefinition, alarmDefinition];
