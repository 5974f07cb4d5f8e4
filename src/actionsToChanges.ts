import type { AnyMachineSnapshot } from 'xstate';
import { OrdoError } from './errors.ts';
import { RECORD_ACTION, type RecordParams } from './machineEffects.ts';

type ActionLike = { type: string; params?: unknown };

/** Changes the host makes from the actions one transition returned. */
export interface TransitionChanges {
  effects: Array<{ kind: string; params: Record<string, unknown> }>;
  timersSet: Array<{ timerId: string; delayMs: number; event: Record<string, unknown> }>;
  timersCancelled: string[];
  notes: RecordParams[];
}

// XState actions the host deliberately ignores: they only change the snapshot,
// which the host already has, or they write debug output.
const SNAPSHOT_ONLY_ACTIONS = new Set(['xstate.assign', 'xstate.log', 'xstate.stopChild']);

/**
 * Sorts the actions of one pure transition into effects, timer changes and
 * history notes. Actor-to-actor XState features (`sendTo`, spawned children)
 * have no meaning across processes, so a machine using them is rejected with
 * a message pointing at `sendToEntity`.
 */
export function actionsToChanges(actions: readonly ActionLike[]): TransitionChanges {
  const changes: TransitionChanges = { effects: [], timersSet: [], timersCancelled: [], notes: [] };

  for (const action of actions) {
    const params = (action.params ?? {}) as Record<string, unknown>;

    if (action.type === 'xstate.raise') {
      addDelayedRaise(changes, params);
    } else if (action.type === 'xstate.cancel') {
      changes.timersCancelled.push(String(params.sendId));
    } else if (action.type === RECORD_ACTION) {
      changes.notes.push(params as unknown as RecordParams);
    } else if (action.type === 'xstate.emit') {
      changes.effects.push({ kind: action.type, params: { event: params.event } });
    } else if (action.type.startsWith('xstate.')) {
      if (SNAPSHOT_ONLY_ACTIONS.has(action.type)) continue;
      throw new OrdoError('ERR_MACHINE_THREW', `Machine action ${action.type} is not supported by the host; use sendToEntity() to message other entities.`);
    } else {
      changes.effects.push({ kind: action.type, params });
    }
  }
  return changes;
}

function addDelayedRaise(changes: TransitionChanges, params: Record<string, unknown>): void {
  // An undelayed raise is handled inside transition() and never reaches the host.
  if (typeof params.delay !== 'number') return;

  const event = params.event as Record<string, unknown>;
  const timerId = typeof params.id === 'string' ? params.id : String(event.type);
  changes.timersSet.push({ timerId, delayMs: params.delay, event });
}

export function snapshotFailed(snapshot: AnyMachineSnapshot): unknown {
  return snapshot.status === 'error' ? (snapshot.error ?? new Error('machine entered the error status')) : undefined;
}
